#!/bin/bash
# guest-zswap.sh ROOT BUILD - when the zswap test is among those run, put
# the traces it replays into the initramfs tree ROOT as /traces/*.swt and
# its settings into /tests/zswap.conf.  `make check` replays the smallest
# bundled trace with lzo (a few minutes under TCG); the full table of
# docs/zswap.md comes from
#   ZSWAP_TRACES=all ZSWAP_CODECS="lzo lz4 zstd" TIMEOUT=5400 \
#	scripts/vm/run.sh zswap
# and the limited pool's from MEM=384 ZSWAP_LIMIT_PCT=1 (ZSWAP_MODES=limited
# skips the unlimited runs; ZSWAP_POOLS, ZSWAP_TIMELINE (ops between
# points, default 500) and ZSWAP_GATE_LIMITED=1 (gate 6.1's limited runs
# even where t_zswap cannot follow its list of pools) and ZSWAP_LEAK=1
# (6.1: first a limited run that leaks pool references, which pins the
# boot pool behind the later ones) pass through too).
set -euo pipefail
R=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case " ${SWAPLAB_VM_TESTS:-} " in *" zswap "*) ;; *) exit 0 ;; esac
traces=${ZSWAP_TRACES:-sqlite}
if [ "$traces" = all ]; then
	traces=
	for t in "$TOP"/traces/*.swt; do
		[ -L "$t" ] || traces="$traces $(basename "$t" .swt)"
	done
fi
mkdir -p "$R/traces"
# one STORE + LOAD at slot 2^32 - 1: the player maps the slots it uses
make -s -C "$TOP" build/mktrace > /dev/null
"$TOP/build/mktrace" slot 4294967295 "$R/tests/slotmax.swt"
for t in $traces; do
	cp -L "$TOP/traces/$t.swt" "$R/traces/"
done
{
	echo "ZSWAP_CODECS=\"${ZSWAP_CODECS:-lzo}\""
	echo "ZSWAP_POOLS=\"${ZSWAP_POOLS:-zbud zsmalloc}\""
	echo "ZSWAP_LIMIT_PCT=${ZSWAP_LIMIT_PCT:-}"
	echo "ZSWAP_TIMELINE=${ZSWAP_TIMELINE:-500}"
	echo "ZSWAP_GATE_LIMITED=${ZSWAP_GATE_LIMITED:-0}"
	echo "ZSWAP_LEAK=${ZSWAP_LEAK:-0}"
	echo "ZSWAP_MODES=\"${ZSWAP_MODES:-unlimited limited}\""
} > "$R/tests/zswap.conf"

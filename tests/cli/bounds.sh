#!/bin/sh
# bounds.sh - crafted traces at the format's bounds (issue 23): memory
# follows the work, not the slot index nor how well a chunk compresses.
#
#   one STORE + LOAD at slot 2^26, 2^28 and 2^32 - 1: replay (one thread
#   and two, zswap, --chunk 16k and 64k with splits) verifies it and `info` reports it, each within 64 MiB of peak
#   RSS; a decompression bomb (100 MiB of 4 KiB pages, 1.6 GiB of 64 KiB
#   pages, from files of 121 and 246 KiB) likewise.  --max-memory stops a
#   replay past it with one line naming what holds the memory.
#
# Usage: SWAPLAB=build/swaplab MKTRACE=build/mktrace tests/cli/bounds.sh
# Needs /usr/bin/time (Debian: time) for the peak RSS.
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
MKTRACE=${MKTRACE:-build/mktrace}
LIMIT_KIB=${LIMIT_KIB:-65536}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -x /usr/bin/time ] || { echo "bounds: no /usr/bin/time (apt install time)"; exit 1; }


# peak DESC WANT CMD...: CMD exits WANT within LIMIT_KIB of peak RSS
peak() {
	desc=$1 want=$2
	shift 2
	/usr/bin/time -f %M -o "$T/rss" "$@" >"$T/out" 2>"$T/err"
	code=$?
	kib=$(tail -1 "$T/rss")
	echo "bounds: $desc: exit $code, peak $((kib / 1024)) MiB"
	if [ "$code" -ne "$want" ]; then
		bad "$desc: exit $code, not $want"
		head -3 "$T/err" | sed 's/^/    /'
	elif [ "$kib" -gt "$LIMIT_KIB" ]; then
		bad "$desc: peak RSS $kib KiB over $LIMIT_KIB KiB"
	else
		ok
	fi
}

# json_num FILE KEY: the first number under "KEY" in FILE
json_num() {
	grep -o "\"$2\": *[0-9]*" "$1" | head -1 | grep -o '[0-9]*$'
}

for n in 67108864 268435456 4294967295; do
	"$MKTRACE" slot $n "$T/s.swt" || { bad "mktrace slot $n"; continue; }
	# the single-stream engine, the threaded one (by slot), zswap's
	# and the chunk store (issue 22): its slots are a slotmap too
	for th in "" "--threads 2" "--frontend zswap" "--chunk 16k" \
		  "--chunk 64k --chunk-split"; do
		rm -f "$T/r.json"
		# shellcheck disable=SC2086
		peak "replay slot $n ${th:-unthreaded}" 0 "$SWAPLAB" replay \
			"$T/s.swt" $th -o "$T/r.json" --quiet
		[ -s "$T/r.json" ] || continue
		if [ "$(json_num "$T/r.json" nr_slots)" = $((n + 1)) ] &&
		   [ "$(json_num "$T/r.json" verify_failures)" = 0 ] &&
		   [ "$(json_num "$T/r.json" loads)" = 1 ]; then
			ok
		else
			bad "replay slot $n: wrong results: $(grep -o '"nr_slots": [0-9]*' "$T/r.json")"
		fi
	done
	peak "bench slot $n, two allocators" 0 "$SWAPLAB" bench "$T/s.swt" \
		--alloc zsmalloc,zbud
	peak "info slot $n" 0 "$SWAPLAB" info "$T/s.swt"
	grep -q "1 used, highest index $n\$" "$T/out" && ok ||
		bad "info slot $n: $(grep slots: "$T/out")"
	rm -f "$T/s.swt"
done
# past the u32 range: the reader's one error line, not a wrapped index
if "$MKTRACE" slot 4294967296 "$T/s.swt" 2>/dev/null; then
	bad "mktrace slot 2^32 wrote a trace"
fi

"$MKTRACE" bomb 4096 "$T/b4.swt" || bad "mktrace bomb 4096"
"$MKTRACE" bomb 65536 "$T/b64.swt" || bad "mktrace bomb 65536"
peak "info 4 KiB bomb" 0 "$SWAPLAB" info "$T/b4.swt"
peak "replay 4 KiB bomb" 0 "$SWAPLAB" replay "$T/b4.swt" -o "$T/b.json" \
	--quiet
[ "$(json_num "$T/b.json" verify_failures)" = 0 ] && ok ||
	bad "replay 4 KiB bomb: verify failures"
peak "replay 4 KiB bomb, 2 threads" 0 "$SWAPLAB" replay "$T/b4.swt" \
	--threads 2 -o "$T/b.json" --quiet
peak "info 64 KiB bomb" 0 "$SWAPLAB" info "$T/b64.swt"
# this build stores 4 KiB pages: one line, exit 2, before any decoding
peak "replay 64 KiB bomb" 2 "$SWAPLAB" replay "$T/b64.swt" -o "$T/b.json" \
	--quiet
[ "$(wc -l <"$T/err")" -eq 1 ] && ok ||
	bad "replay 64 KiB bomb: $(wc -l <"$T/err") stderr lines"

# --max-memory: past it, one line naming what holds the memory, exit 2
"$SWAPLAB" gen --profile realistic --pages 3000 -o "$T/g.swt" >/dev/null 2>&1 ||
	bad "gen failed"
for th in "" "--threads 2"; do
	# shellcheck disable=SC2086
	"$SWAPLAB" replay "$T/g.swt" $th --max-memory 16M -o "$T/m.json" \
		--quiet >"$T/out" 2>"$T/err"
	code=$?
	if [ $code -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
	   grep -q "past --max-memory 16.0 MiB: the store holds" "$T/err" &&
	   [ ! -e "$T/m.json" ]; then
		ok
	else
		bad "replay ${th:-unthreaded} --max-memory 16M: exit $code: $(head -2 "$T/err")"
	fi
done
"$SWAPLAB" replay "$T/g.swt" --max-memory 1G -o "$T/m.json" --quiet &&
	ok || bad "replay --max-memory 1G failed"
# every command that reads traces takes it, and checks it first
for c in "info $T/g.swt" "replay $T/g.swt" "bench $T/g.swt" \
	"dict train $T/g.swt -o $T/d" "fidelity $T/g.swt --codec lz4" \
	"parity $T/g.swt --codec lz4"; do
	# shellcheck disable=SC2086
	"$SWAPLAB" $c --max-memory 1x >/dev/null 2>"$T/err"
	code=$?
	[ $code -eq 2 ] && grep -q "max-memory" "$T/err" && ok ||
		bad "$c --max-memory 1x: exit $code: $(head -1 "$T/err")"
done

finish "bounds"

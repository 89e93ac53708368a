#!/bin/sh
# valgrind.sh - a short replay under valgrind's memcheck: every read of
# uninitialised memory, invalid access, bad free or leak is an error, and
# one error fails the run (make valgrind-test, part of make check).
#
# Usage: scripts/valgrind.sh [SWAPLAB]      (default build/swaplab)
# The replay covers two codecs (kernel lz4 and zstd, or their library
# versions in a build without a kernel tree) and two allocators, then
# `report` reads the results back.
set -u
SWAPLAB=${1:-build/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed (scripts/deps.sh fuzz): skipped"
	exit 0
fi
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 5 -o "$T/t.swt" \
	>/dev/null || { echo "valgrind: gen failed"; exit 1; }
codecs=lz4,zstd
"$SWAPLAB" replay "$T/t.swt" --codec $codecs --alloc ideal \
	-o "$T/probe.json" --quiet >/dev/null 2>&1 || codecs=liblz4,libzstd

pass=0
fail=0
# vg NAME CMD...: memcheck CMD; errors and leaks fail it
vg() {
	name=$1
	shift
	if valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		--track-origins=yes --log-file="$T/vg.$name" "$@" \
		>"$T/out.$name" 2>"$T/err.$name"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: valgrind $name (exit $?): $*"
		head -60 "$T/vg.$name" "$T/err.$name"
	fi
}

vg gen "$SWAPLAB" gen --profile mixed --pages 300 -o "$T/g.swt"
vg replay "$SWAPLAB" replay "$T/t.swt" --codec "$codecs" \
	--alloc zsmalloc,ideal -o "$T/r.json" --quiet
# the store's features: writeback to a backing file, recompression, two
# threads on one store (not with --dedup: deduplicated slots are never
# written back nor recompressed); skipped by a build without them
if "$SWAPLAB" replay --help | grep -q -- --recompress; then
	vg features "$SWAPLAB" replay "$T/t.swt" --codec "${codecs%%,*}" \
		--alloc zsmalloc --backing "$T/backing" \
		--writeback idle --idle-after 200 --recompress "${codecs#*,}" \
		--threads 2 -o "$T/f.json" --quiet
fi
vg info "$SWAPLAB" info "$T/t.swt"
vg report "$SWAPLAB" report "$T/r.json"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# bench.sh - `make bench`: print the benchmark figures (not a test).
#
# On a generated 256 MiB realistic trace: the store's efficiency, i.e. a
# plain codec compress+decompress loop's time over the store's write+read
# time for the same pages in the same run (lz4 + zsmalloc; goal >= 0.90),
# then every kernel codec's figures.
set -eu
SWAPLAB=${1:-build/swaplab}
T=${BENCH_TRACE:-build/bench-realistic-256M.swt}
[ -s "$T" ] || "$SWAPLAB" gen --profile realistic --pages 65536 --seed 1 -o "$T"
echo "== store efficiency: lz4 x zsmalloc, ideal on $T"
"$SWAPLAB" bench "$T" --codec lz4 --alloc zsmalloc,ideal
echo
echo "== codecs x zsmalloc"
"$SWAPLAB" bench "$T" --codec all,libs --alloc zsmalloc

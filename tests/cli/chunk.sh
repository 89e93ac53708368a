#!/bin/sh
# chunk.sh - replay --chunk (large folios) end to end: bad input is one
# error line and exit 2 with nothing written, --chunk 4k is the page-by-
# page replay exactly, a chunked replay verifies every page (and catches
# a corrupted object), gen and the trace format v2 carry folios, and
# report --view chunk tabulates the runs.
#
# Usage: SWAPLAB=build/swaplab tests/cli/chunk.sh
# check() takes its test in single quotes and evals it
# shellcheck disable=SC2016
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# json NAME FILE: a number of the first run, by python's path
json() {
	python3 -c "import json,sys; r=json.load(open(sys.argv[2]))['runs'][0]; print(eval(sys.argv[1]))" "$1" "$2"
}

# --chunk needs the kernel's codecs; a build without them refuses it
lz4=lz4
"$SWAPLAB" --version | grep -q 'kernel codecs: none' && lz4=liblz4

expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 3 -o "$T/v1.swt"
expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 3 \
	--folio-order 2 -o "$T/v2.swt"
expect 0 "$SWAPLAB" info "$T/v1.swt"
check 'grep -q "format v1" "$T/out"' "a trace without folios stays v1"
cp "$T/out" "$T/out.v1"
expect 0 "$SWAPLAB" info "$T/v2.swt"
check 'grep -q "format v2" "$T/out"' "gen --folio-order writes v2"
check '! grep -q "^folios:" "$T/out.v1" 2>/dev/null' "info: no folio line for v1"
# info counts the folios whole: 4 pages each, in slot order
check 'grep -Eq "^folios: +[1-9][0-9]* of order 2 \(16 KiB\): [0-9]+ pages .*; 0 cut short" "$T/out"' \
	"info counts order-2 folios: $(grep ^folios: "$T/out")"
n=$(sed -n 's/^folios: *\([0-9]*\) of order 2 (16 KiB): \([0-9]*\) pages.*/\1 \2/p' "$T/out")
check '[ "$(( ${n% *} * 4 ))" = "${n#* }" ]' "info: pages = 4 x folios ($n)"

# import: 3 random pages then 73.2 pages of text (a 9-byte period, so
# not same-filled), --folio-order 4: pages 0-63 are four aligned folios
# of 16, the last 13 go alone (17 objects)
head -c 12288 /dev/urandom >"$T/img"
yes swaplab- | head -c 300000 >>"$T/img"
expect 0 "$SWAPLAB" import raw "$T/img" --folio-order 4 -o "$T/imp.swt"
check 'grep -q "77 pages from raw.*4 folios of 16 pages" "$T/out"' \
	"import --folio-order groups aligned runs of pages"
expect 0 "$SWAPLAB" info "$T/imp.swt"
check 'grep -q "format v2" "$T/out"' "import --folio-order writes v2"
if [ "$lz4" = lz4 ]; then	# --chunk needs the kernel's codecs
	expect 0 "$SWAPLAB" replay --chunk folio --codec lz4 "$T/imp.swt" \
		-o "$T/imp.json" --quiet
	check '[ "$(json "r[\"chunk\"][\"compress_calls\"]" "$T/imp.json")" = 17 ]' \
		"an imported folio is one object"
	check '[ "$(json "r[\"verify_failures\"]" "$T/imp.json")" = 0 ]' \
		"an imported folio trace verifies"
fi
expect 2 "$SWAPLAB" import raw "$T/img" --folio-order 10 -o "$T/bad.swt"
one_error_line
check '[ ! -e "$T/bad.swt" ]' "import --folio-order 10 writes nothing"

# --- bad input: one line, exit 2, no results file ---
for bad in 48k 16K 0 folios; do
	expect 2 "$SWAPLAB" replay --chunk "$bad" "$T/v2.swt" -o "$T/bad.json"
	one_error_line
done
expect 2 "$SWAPLAB" replay --chunk folio "$T/v1.swt" -o "$T/bad.json"
one_error_line
check 'grep -q "no folio data" "$T/err"' "--chunk folio on v1 says why"
expect 2 "$SWAPLAB" replay --chunk 16k --codec liblz4 "$T/v1.swt" -o "$T/bad.json"
one_error_line
expect 2 "$SWAPLAB" replay --chunk 16k --threads 2 "$T/v1.swt" -o "$T/bad.json"
one_error_line
expect 2 "$SWAPLAB" replay --chunk 16k --frontend zswap "$T/v1.swt" -o "$T/bad.json"
one_error_line
expect 2 "$SWAPLAB" replay --chunk-split "$T/v1.swt" -o "$T/bad.json"
one_error_line
expect 2 "$SWAPLAB" bench --chunk 16k "$T/v1.swt"
check '[ ! -e "$T/bad.json" ]' "no results file after bad input"
expect 2 "$SWAPLAB" gen --profile text --pages 10 --folio-order 10 -o "$T/x.swt"
one_error_line
expect 2 "$SWAPLAB" gen --profile text --pages 10 --folio-order 0 -o "$T/x.swt"
one_error_line

if [ "$lz4" = lz4 ]; then
	# --- 4k is zram as it is: the same peak as the page-by-page replay ---
	expect 0 "$SWAPLAB" replay --quiet --codec lz4 "$T/v1.swt" -o "$T/plain.json"
	expect 0 "$SWAPLAB" replay --quiet --chunk 4k --codec lz4 "$T/v1.swt" -o "$T/c4.json"
	for k in compr_data_size mem_used_total orig_data_size same_pages huge_pages; do
		a=$(json "r['at_peak']['$k']" "$T/plain.json")
		b=$(json "r['at_peak']['$k']" "$T/c4.json")
		check '[ "$a" = "$b" ]' "--chunk 4k at_peak.$k $b != $a"
	done
	# and the same timeline, point by point (op, t_s and the sizes)
	for k in op t_s orig_data_size compr_data_size mem_used_total; do
		a=$(json "[p['$k'] for p in r['timeline']]" "$T/plain.json")
		b=$(json "[p['$k'] for p in r['timeline']]" "$T/c4.json")
		check '[ -n "$a" ] && [ "$a" = "$b" ]' "--chunk 4k timeline $k differs"
	done
	check '[ "$(json "len(r[\"timeline\"])" "$T/c4.json")" -gt 10 ]' "--chunk 4k has a timeline"

	# --- chunked replays verify every page ---
	for c in 16k 64k folio; do
		expect 0 "$SWAPLAB" replay --quiet --chunk $c --codec lz4,zstd \
			"$T/v2.swt" -o "$T/c-$c.json"
		check '[ "$(json "r[\"verify_failures\"]" "$T/c-$c.json")" = 0 ]' "$c verifies"
		check '[ "$(json "r[\"ops\"][\"verified_at_end\"] > 0" "$T/c-$c.json")" = True ]' "$c checks live slots at the end"
		check '[ "$(json "r[\"chunk\"][\"pages_decompressed\"] > r[\"chunk\"][\"loads_decompressed\"]" "$T/c-$c.json")" = True ]' "$c: a load decompresses more than its page"
	done
	# folio order 2 = 16 KiB units: the same objects as --chunk 16k
	a=$(json "r['compr_data_size']" "$T/c-16k.json")
	b=$(json "r['compr_data_size']" "$T/c-folio.json")
	check '[ "$a" = "$b" ]' "folio (order 2) and 16k differ: $a $b"
	# --chunk-split: nothing held after a free, every page still right
	expect 0 "$SWAPLAB" replay --quiet --chunk 16k --chunk-split \
		--codec lz4 "$T/v2.swt" -o "$T/split.json"
	check '[ "$(json "r[\"verify_failures\"]" "$T/split.json")" = 0 ]' "split verifies"
	check '[ "$(json "r[\"at_peak\"][\"stranded_pages\"]" "$T/split.json")" = 0 ]' "split strands nothing"
	check '[ "$(json "r[\"chunk\"][\"splits\"] > 0" "$T/split.json")" = True ]' "split recompressed objects"
	check '[ "$(json "r[\"chunk\"][\"unit\"]" "$T/split.json")" = 16k+split ]' "split's unit name"
	# a corrupted object is caught
	expect 1 "$SWAPLAB" replay --quiet --chunk 16k --codec lz4 \
		--debug-corrupt-store 50 "$T/v2.swt" -o "$T/corrupt.json"
	check '[ "$(json "r[\"verify_failures\"] > 0" "$T/corrupt.json")" = True ]' "corruption found"

	# --- the what-if table ---
	expect 0 "$SWAPLAB" report --view chunk "$T/c4.json" "$T/c-16k.json" \
		"$T/c-64k.json" "$T/c-folio.json"
	check 'grep -Eq "^lz4 +16k " "$T/out"' "chunk view has a 16k row"
	check 'grep -Eq "^zstd +folio " "$T/out"' "chunk view has a folio row"
	expect 0 "$SWAPLAB" report --view chunk --format csv "$T/c-16k.json"
	check '[ "$(head -1 "$T/out" | cut -d, -f1-4)" = "trace,codec,alloc,unit" ]' "csv header"
	check '[ "$(wc -l <"$T/out")" = 3 ]' "csv: a row per run"
	expect 2 "$SWAPLAB" report --view chunk "$T/plain.json"
	one_error_line
fi

finish "chunk.sh"

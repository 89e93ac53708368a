#!/bin/sh
# analyze.sh - end-to-end tests of the analyzers: info's page kinds and
# reuse figures, report formats that parse back (csv columns, markdown
# rows, json that is itself a results file), compare's verdicts and exit
# codes on real and hand-made results, plot files of every kind in PNG and
# SVG, and scripts/ci-compare with one binary on both sides.
#
# Usage: SWAPLAB=build/swaplab tests/cli/analyze.sh
# check() takes its test in single quotes and evals it; $R is split on purpose
# shellcheck disable=SC2016,SC2086,SC2034
set -u
SWAPLAB=${SWAPLAB:-build/swaplab}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

# expect CODE CMD...: run, check the exit code; stdout in $T/out
expect() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "exit $got (want $want): $*"; sed 's/^/    /' "$T/err" | head -5
	fi
}

one_error_line() {
	n=$(wc -l <"$T/err")
	if [ "$n" -eq 1 ] && grep -q '^swaplab' "$T/err"; then ok; else
		bad "want one error line, got $n: $(head -3 "$T/err")"
	fi
}

# line of metric $1 in $T/out (compare output)
metric() { grep -E "^. $1 " "$T/out" | head -1; }
marker() { metric "$1" | cut -c1; }

# --- help ---
for c in compare plot info report; do
	expect 0 "$SWAPLAB" "$c" --help
	check 'grep -q "^usage: swaplab $c" "$T/out"' "$c --help text"
	expect 0 "$SWAPLAB" help "$c"
done

# --- a trace and real results, with repetitions, compaction on ---
R="--compact every=700"
expect 0 "$SWAPLAB" gen --profile realistic --pages 3000 --seed 5 -o "$T/a.swt"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4,zstd \
	--alloc zsmalloc,zbud,ideal --repeat 3 $R \
	-o "$T/r.json" --quiet
check 'grep -q "\"repeats\"" "$T/r.json"' "replay --repeat writes repeats"

# --- info ---
expect 0 "$SWAPLAB" info "$T/a.swt"
check 'grep -q "3000 store" "$T/out"' "info keeps the event line"
check 'grep -q "^same-filled: " "$T/out"' "info keeps the same-filled line"
check 'grep -A1 "^page kinds: " "$T/out" | tr -d "\n" | grep -q "zero .*same-filled .*duplicate .*incompressible .*other"' \
	"info page kinds"
check 'grep -q "^entropy: " "$T/out" && [ "$(grep -c "^  [0-7]-[1-8] " "$T/out")" -eq 8 ]' \
	"info entropy histogram has 8 bins"
check 'grep -q "^working set: *peak [0-9]* live slots" "$T/out"' "info working set"
check 'grep -q "p50 [0-9]*, p90 [0-9]*, p99 [0-9]*, max [0-9]*" "$T/out"' \
	"info reuse distances"
check 'awk "length > 80 { exit 1 }" "$T/out"' "info wider than 80 columns"
expect 0 "$SWAPLAB" info "$T/a.swt" --json
for k in '"stores": 3000' '"same_filled_stores"' '"page_kinds"' \
	'"incompressible_lz4"' '"duplicate"' '"entropy_hist_bits_per_byte"' \
	'"peak_live_slots"' '"reuse_distance"' '"warm_loads"'; do
	check 'grep -q "$k" "$T/out"' "info --json has $k"
done
# the kinds add up to the stores
sum=$(tr -d ' ,' <"$T/out" | awk -F: '/^"(zero|same_filled|duplicate|incompressible_lz4|other)"/ { s += $2 } END { print s }')
check '[ "$sum" = 3000 ]' "page kinds add up to the stores ($sum)"

# --- report: text fits 80 columns, formats parse back ---
expect 0 "$SWAPLAB" report "$T/r.json"
check 'awk "length > 80 { exit 1 }" "$T/out"' "report text wider than 80 columns"
expect 0 "$SWAPLAB" report "$T/r.json" --view alloc
check 'grep -q "^zsmalloc " "$T/out" && grep -q "^zbud " "$T/out"' \
	"alloc view has a row per allocator"
check '! grep -q "^ideal " "$T/out"' "alloc view has no ideal row"
check 'awk "length > 80 { exit 1 }" "$T/out"' "alloc view wider than 80 columns"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv
check '[ "$(head -1 "$T/out")" = "trace,codec,alloc,ratio,effective_ratio,fragmentation,mem_used_total,comp_p50,decomp_p50,verify_failures" ]' \
	"csv header"
check '[ "$(awk -F, "{ print NF }" "$T/out" | sort -u)" = 10 ]' \
	"every csv row has the header's columns"
check '[ "$(wc -l <"$T/out")" -eq 7 ]' "csv has one row per run"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv --fields codec,alloc,ratio,over_ideal
check '[ "$(head -1 "$T/out")" = "trace,codec,alloc,ratio,over_ideal" ]' \
	"csv --fields header"
check 'grep -q "^[^,]*,lz4,ideal,[0-9.]*,0.000000$" "$T/out"' \
	"csv ideal is 0 over ideal"
expect 0 "$SWAPLAB" report "$T/r.json" --view alloc --format csv
check '[ "$(head -1 "$T/out")" = "trace,alloc,codec,mem_used_max,ideal_mem_used_max,over_ideal" ]' \
	"alloc view csv header"
check '[ "$(awk -F, "{ print NF }" "$T/out" | sort -u)" = 6 ] && [ "$(wc -l <"$T/out")" -eq 5 ]' \
	"alloc view csv: 4 records of 6 columns"
expect 0 "$SWAPLAB" report "$T/r.json" --format markdown
check '[ "$(grep "^|" "$T/out" | awk -F"|" "{ print NF }" | sort -u)" = 11 ]' \
	"markdown rows all have the header's cells"
expect 0 "$SWAPLAB" report "$T/r.json" --format json
cp "$T/out" "$T/rt.json"
expect 0 "$SWAPLAB" report "$T/rt.json"
check 'grep -q "^lz4 *zsmalloc" "$T/out"' "report json is a results file"
expect 0 "$SWAPLAB" compare "$T/r.json" "$T/rt.json" --max-regress ratio=0,mem_used_max=0
check 'grep -q "0 thresholds crossed" "$T/out"' "json round trip compares equal"
expect 0 "$SWAPLAB" report "$T/r.json" --format json --fields ratio,comp_p99
cp "$T/out" "$T/rf.json"
expect 0 "$SWAPLAB" report "$T/rf.json" --fields codec,alloc,ratio
check '[ "$(grep -c "^lz4 \|^zstd " "$T/out")" -eq 6 ]' "json --fields parses back"
expect 0 "$SWAPLAB" report "$T/r.json" --view alloc --format json
check 'grep -q "\"over_ideal\"" "$T/out" && grep -q "\"view\": \"alloc\"" "$T/out"' \
	"alloc view json"
expect 2 "$SWAPLAB" report "$T/r.json" --view nosuch
one_error_line

# --- compare: real runs ---
expect 0 "$SWAPLAB" compare "$T/r.json" "$T/r.json"
check '[ "$(marker ratio)" = "=" ] && [ "$(marker mem_used_max)" = "=" ]' \
	"a file equals itself"
check 'grep -q "^ *base  *3 " "$T/out"' "ministat lines show N = 3"
check 'awk "length > 80 { exit 1 }" "$T/out"' "compare wider than 80 columns"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc $R \
	--repeat 2 -o "$T/one.json" --quiet
expect 2 "$SWAPLAB" compare "$T/r.json" "$T/one.json"
one_error_line
check 'grep -q "^unmatched: zstd / zbud" "$T/out"' "unmatched runs are listed"
expect 0 "$SWAPLAB" compare "$T/r.json" "$T/one.json" --allow-unmatched
# another codec level is another result: ratio worse, gated exactly
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec zstd --alloc zsmalloc $R \
	--repeat 2 -o "$T/z3.json" --quiet
sed 's/"codec": "zstd@/"codec": "lz4@/' "$T/z3.json" >"$T/fake.json"
expect 1 "$SWAPLAB" compare "$T/fake.json" "$T/one.json" --max-regress ratio=1%
check '[ "$(marker ratio)" = "!" ]' "a lower ratio crosses ratio=1%"
expect 0 "$SWAPLAB" compare "$T/one.json" "$T/fake.json" --max-regress ratio=1%
check '[ "$(marker ratio)" = "+" ]' "a higher ratio is better"

# --- compare: hand-made samples with known outcomes ---
# mk FILE SCALE N: one lz4/zsmalloc run, N repetitions of latencies x SCALE
mk() {
	awk -v scale="$2" -v n="$3" 'BEGIN {
		split("1.00 1.01 0.99 1.005 0.995", f, " ")
		printf "{\"runs\": [{\"trace\": \"t.swt\", \"codec\": \"lz4\", "
		printf "\"alloc\": \"zsmalloc\", \"settings\": {}, \"ratio\": 3, "
		printf "\"mem_used_max\": 1048576, \"verify_failures\": 0, "
		printf "\"repeats\": ["
		for (i = 1; i <= n; i++) {
			s = scale * f[(i - 1) % 5 + 1]
			printf "%s{\"ops_per_sec\": %f, \"latency_ns\": ", \
				(i > 1 ? ", " : ""), 1e6 / s
			printf "{\"compress\": {\"p50\": %f, \"p99\": %f}}}", \
				1000 * s, 3000 * s
		}
		printf "]}]}\n"
	}' >"$1"
}
mk "$T/base.json" 1 5
mk "$T/same.json" 1 5
mk "$T/better.json" 0.7 5
mk "$T/worse.json" 1.3 5
mk "$T/few.json" 2 1
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/same.json" --max-regress p99=1%
check 'metric compress.p99 | grep -q "no difference proven"' "equal: no difference"
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/better.json" --max-regress p99=1%
check '[ "$(marker compress.p99)" = "+" ] && [ "$(marker ops_per_sec)" = "+" ]' \
	"clearly better is marked +"
check 'metric compress.p99 | grep -q -- "-30.00% +/- "' "better by 30%"
expect 1 "$SWAPLAB" compare "$T/base.json" "$T/worse.json" --max-regress p99=10%
check '[ "$(marker compress.p99)" = "!" ] && [ "$(marker compress.p50)" = "-" ]' \
	"clearly worse crosses p99=10% and marks p50 worse"
check 'grep -q "^crossed: lz4/zsmalloc compress.p99: +30.00%" "$T/out"' \
	"the crossed gate is named"
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/worse.json" --max-regress p99=40%
expect 1 "$SWAPLAB" compare "$T/base.json" "$T/worse.json" --max-regress throughput=5%
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/few.json" --max-regress latency=1%
check 'metric compress.p99 | grep -q "too few samples (N 5/1)"' \
	"too few samples said, not gated"
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/worse.json" --only ratio
check '! grep -q "compress.p99" "$T/out"' "--only limits the lines"

# --- compare: sides pooled from several files ---
for k in 1 2; do
	expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc \
		--quiet -o "$T/p$k.json"
done
expect 0 "$SWAPLAB" compare "$T/p1.json,$T/p2.json" "$T/p2.json,$T/p1.json"
check 'grep -q "0 too few samples" "$T/out"' "pooled files give two samples a side"
expect 0 "$SWAPLAB" compare "$T/p1.json" "$T/p2.json"
check 'grep -q "too few samples (N 1/1)" "$T/out"' "one file a side is one sample"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec zstd --alloc zsmalloc \
	--quiet -o "$T/pz.json"
expect 2 "$SWAPLAB" compare "$T/p1.json,$T/pz.json" "$T/p2.json"
one_error_line
expect 2 "$SWAPLAB" compare "$T/p1.json,$T/missing.json" "$T/p2.json"
one_error_line
cp "$T/p1.json" "$T/odd,name.json"
expect 0 "$SWAPLAB" compare "$T/odd,name.json" "$T/p2.json"

# --- compare: bad input ---
expect 2 "$SWAPLAB" compare "$T/base.json"
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/missing.json"
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/a.swt"
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/same.json" --max-regress nosuch=1%
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/same.json" --max-regress p99
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/same.json" --confidence 0
one_error_line
expect 2 "$SWAPLAB" compare "$T/base.json" "$T/same.json" --bogus
one_error_line

# --- plot: every kind, PNG and SVG, atomically ---
if command -v gnuplot >/dev/null 2>&1; then
	kinds="size-hist ratio-latency frag-timeline latency-cdf over-ideal"
	expect 0 "$SWAPLAB" plot "$T/r.json" -o "$T/png"
	for k in $kinds; do
		f=$T/png/$k.png
		check '[ -s "$f" ] && [ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "211PNG" ]' \
			"$k.png is a non-empty PNG"
		check '[ -s "$T/png/$k.dat" ] && [ -s "$T/png/$k.gp" ]' \
			"$k data and script kept"
	done
	check '! ls -a "$T/png" | grep -q "tmp"' "no temp files left in the plot dir"
	check 'grep -q "index .* with points pt 9" "$T/png/frag-timeline.gp"' \
		"compactions are marked on the timeline"
	check 'grep -q "Pareto frontier" "$T/png/ratio-latency.gp"' \
		"the Pareto frontier is drawn"
	expect 0 "$SWAPLAB" plot "$T/r.json" -o "$T/svg" --format svg
	for k in $kinds; do
		check 'grep -q "<svg" "$T/svg/$k.svg"' "$k.svg is an SVG"
	done
	# two files: one set per trace of each file
	expect 0 "$SWAPLAB" plot "$T/r.json" "$T/one.json" -o "$T/two" \
		--kinds size-hist
	check '[ -s "$T/two/size-hist-1.png" ] && [ -s "$T/two/size-hist-2.png" ]' \
		"one picture per results file"
	# (re)drawing from the kept script works in the plot dir
	check '(cd "$T/png" && gnuplot -e "out=\"again.png\"" size-hist.gp) && [ -s "$T/png/again.png" ]' \
		"kept script draws again"
	# without an ideal run, over-ideal is skipped with a warning
	expect 0 "$SWAPLAB" plot "$T/one.json" -o "$T/noideal"
	check '[ ! -e "$T/noideal/over-ideal.png" ] && grep -q "over-ideal skipped" "$T/err"' \
		"over-ideal needs an ideal run"
	expect 2 "$SWAPLAB" plot "$T/r.json" -o "$T/x" --format gif
	one_error_line
	expect 2 "$SWAPLAB" plot "$T/r.json"
	one_error_line
	expect 2 "$SWAPLAB" plot "$T/r.json" -o "$T/x" --kinds nosuch
	one_error_line
	expect 2 "$SWAPLAB" plot "$T/missing.json" -o "$T/x"
	one_error_line
	touch "$T/file"
	expect 2 "$SWAPLAB" plot "$T/r.json" -o "$T/file"
	one_error_line
else
	echo "analyze: gnuplot not installed: plot tests skipped"
fi

# --- ci-compare: the same build on both sides passes ---
expect 0 "$TOP/scripts/ci-compare" --base "$SWAPLAB" --new "$SWAPLAB" \
	--trace "$T/a.swt" --codec lz4 --repeat 2 -o "$T/ci" \
	--max-regress ratio=0,effective_ratio=0,mem_used_max=0
check 'grep -q "0 thresholds crossed" "$T/ci/compare.txt"' "ci-compare passes on itself"
check 'grep -q "0 too few samples" "$T/ci/compare.txt"' "ci-compare pools its alternated repetitions"
check '[ -s "$T/ci/base-2.json" ] && [ -s "$T/ci/new-2.json" ]' "ci-compare keeps each repetition"
expect 2 "$TOP/scripts/ci-compare" --base "$SWAPLAB" --new "$SWAPLAB" \
	--trace "$T/a.swt" --repeat x -o "$T/ci3"
expect 2 "$TOP/scripts/ci-compare" --base "$SWAPLAB" --new "$SWAPLAB" \
	--trace "$T/missing.swt" -o "$T/ci2"

# --- an option given twice: the error names the option, not its value ---
for c in "report $T/r.json --format csv --format csv:--format" \
	"info $T/a.swt --json --json:--json" \
	"plot $T/r.json -o $T/p -o $T/p:--output" \
	"compare $T/r.json $T/r.json --brief --brief:--brief"; do
	# shellcheck disable=SC2086
	expect 2 "$SWAPLAB" ${c%:*}
	one_error_line
	check 'grep -q "option '"'${c##*:}'"' given twice" "$T/err"' \
		"${c%% *}: error names ${c##*:}: $(cat "$T/err")"
done

echo "analyze: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

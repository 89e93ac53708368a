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
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT




# line of metric $1 in $T/out (compare output)
metric() { grep -E "^. $1 " "$T/out" | head -1; }
marker() { metric "$1" | cut -c1; }

# --- help ---
for c in compare plot info report stat; do
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
check '[ "$(head -1 "$T/out")" = "trace,codec,alloc,ratio_at_peak,effective_ratio_at_peak,fragmentation_at_peak,mem_used_total_at_peak,comp_p50,decomp_p50,verify_failures,peak_op" ]' \
	"csv header"
check '[ "$(awk -F, "{ print NF }" "$T/out" | sort -u)" = 11 ]' \
	"every csv row has the header's columns"
check '[ "$(wc -l <"$T/out")" -eq 7 ]' "csv has one row per run"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv --fields codec,alloc,ratio,over_ideal
check '[ "$(head -1 "$T/out")" = "trace,codec,alloc,ratio_at_peak,over_ideal,peak_op" ]' \
	"csv --fields header"
check 'grep -q "^[^,]*,lz4,ideal,[0-9.]*,0.000000,[1-9][0-9]*$" "$T/out"' \
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

# --- report --at: every format names the moment of its state figures ---
expect 0 "$SWAPLAB" report "$T/r.json"
check 'grep -Eq "^at peak(, each run its own)? \(op [0-9.]+ of [0-9]+\)" "$T/out"' \
	"text header names the peak and its op"
expect 0 "$SWAPLAB" report "$T/r.json" --at end
check 'grep -q "^at end (op \([0-9]*\) of \1)" "$T/out"' "text header names the end"
expect 0 "$SWAPLAB" report "$T/r.json" --format markdown
check 'grep -Eq "^Store state at peak(, each run its own)? \(op" "$T/out"' \
	"markdown names the peak"
expect 0 "$SWAPLAB" report "$T/r.json" --format markdown --at cumulative
check 'grep -q "^Store state ratio cumulative over every store" "$T/out"' \
	"markdown names the cumulative ratio"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv --at end
check 'head -1 "$T/out" | grep -q ",ratio_at_end,effective_ratio_at_end," && ! head -1 "$T/out" | grep -q peak_op' \
	"csv columns name the end"
expect 0 "$SWAPLAB" report "$T/r.json" --format csv --at cumulative --fields codec,ratio
check '[ "$(head -1 "$T/out")" = "trace,codec,ratio_cumulative" ]' \
	"csv columns name the cumulative ratio"
expect 0 "$SWAPLAB" report "$T/r.json" --format json --fields ratio,mem_used_total
check 'grep -q "\"ratio_at_peak\"" "$T/out" && grep -q "\"mem_used_total_at_peak\"" "$T/out" && grep -q "\"peak_op\"" "$T/out"' \
	"json --fields keys name the peak"
expect 0 "$SWAPLAB" report "$T/r.json" --format json
check 'grep -q "\"at_peak\"" "$T/out" && grep -q "\"at_end\"" "$T/out" && grep -q "\"ratio_cumulative\"" "$T/out"' \
	"json runs carry every moment"
# the peak holds at least as much memory as the end, in every run
expect 0 "$SWAPLAB" report "$T/r.json" --format csv --fields mem_used_total,mem_used_max
check 'awk -F, "NR > 1 && (\$2 <= 0 || \$2 > \$3) { exit 1 }" "$T/out"' \
	"peak mem_used_total is positive and at most mem_used_max"
expect 0 "$SWAPLAB" report "$T/r.json" --format cover-letter
check 'awk "length > 72 { exit 1 }" "$T/out"' "cover letter fits 72 columns"
check 'grep -q "at peak" "$T/out" && grep -Eq " (MiB|KiB) +us +us$" "$T/out"' \
	"cover letter names the moment and the unit"
check 'grep -q "^  trace hash    xxh3-128:[0-9a-f]\{32\}" "$T/out"' \
	"cover letter: the trace's content hash"
check 'grep -q "^  host CPU " "$T/out" && grep -q "^  allocator     zsmalloc[^ ]* = model of" "$T/out"' \
	"cover letter: host CPU and allocator"
check 'grep -A1 "^  reproduce with:" "$T/out" | grep -q "^  swaplab replay .*a.swt --codec lz4,zstd"' \
	"cover letter: the command that reproduces the runs"
expect 0 "$SWAPLAB" report "$T/r.json" --format cover-letter --at end
check 'grep -q "at end (op" "$T/out" && grep -q "at the end of the trace" "$T/out"' \
	"cover letter --at end names the end"
expect 2 "$SWAPLAB" report "$T/r.json" --at sometime
one_error_line

# --- rows say what they are: settings and files that tell runs apart ---
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc,ideal \
	--same-filled off -o "$T/sf.json" --quiet
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc,ideal \
	-o "$T/son.json" --quiet
expect 0 "$SWAPLAB" report "$T/son.json" "$T/sf.json"
check 'grep -q " run$" "$T/out" && grep -q "^lz4 *zsmalloc .* same_filled=true file=son.json$" "$T/out" && grep -q "^lz4 *zsmalloc .* same_filled=false file=sf.json$" "$T/out"' \
	"a run column names the settings and file that differ"
expect 0 "$SWAPLAB" report "$T/son.json" "$T/son.json"
check 'grep -q "file=1:son.json$" "$T/out" && grep -q "file=2:son.json$" "$T/out"' \
	"the same file twice: rows say which"
expect 0 "$SWAPLAB" report "$T/son.json" "$T/sf.json" --view alloc
check '[ "$(grep -c "^zsmalloc \[same_filled=" "$T/out")" -eq 2 ]' \
	"alloc view: one row per run, never two runs in a cell"
expect 0 "$SWAPLAB" report "$T/son.json" "$T/sf.json" --format json
check '! grep -q "\"_label\"\|\"_file\"\|\"_row\"" "$T/out"' "json runs carry no labels"
expect 0 "$SWAPLAB" report "$T/r.json"
check '! grep -q " run$" "$T/out"' "no run column when rows are distinct"

# --- failed and written-back work is visible ---
"$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc --memlimit 1M \
	-o "$T/ml.json" 2>"$T/err"
check 'tail -1 "$T/err" | grep -q "STORES FAILED in 1 run"' \
	"a replay whose stores failed says so on its last line"
expect 0 "$SWAPLAB" report "$T/ml.json"
check 'grep -q "^codec .* failed$" "$T/out" && grep -Eq "^lz4 .* [1-9][0-9]*$" "$T/out"' \
	"the table shows failed stores when there are some"
check 'awk "length > 80 { exit 1 }" "$T/out"' "report with failures fits 80 columns"
expect 0 "$SWAPLAB" report "$T/r.json"
check '! grep -q " failed$" "$T/out"' "no failed column without failures"
expect 0 "$SWAPLAB" report "$T/ml.json" --format csv --fields failed_stores,bd_writes
check 'grep -Eq ",[1-9][0-9]*,0,[0-9]+$" "$T/out"' "--fields failed_stores,bd_writes"
expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc --memlimit 1M \
	--backing "$T/bd.img" --writeback huge -o "$T/wb.json" --quiet
expect 0 "$SWAPLAB" report "$T/wb.json"
check 'grep -q " wb$" "$T/out"' "the table shows written-back pages"
expect 1 "$SWAPLAB" compare "$T/wb.json" "$T/ml.json" --allow-unmatched --ignore-settings all
check 'metric failed_stores | grep -q "^- "' "compare marks more failed stores worse"

# --- progress: on a terminal only, and not with --quiet ---
if command -v script >/dev/null; then
	script -qec "$SWAPLAB replay $T/a.swt --codec lz4,zstd -o $T/pg.json" /dev/null >"$T/out"
	check 'tr "\r" "\n" <"$T/out" | grep -q "^.*run 2/2 zstd[^ ]* × zsmalloc[^ ]*, [0-9]*%, ETA [0-9-]*:[0-9-]*$"' \
		"replay shows run n/N, percent and ETA on a terminal"
	script -qec "$SWAPLAB replay $T/a.swt --codec lz4 --quiet -o $T/pg.json" /dev/null >"$T/out"
	check '! grep -q "ETA" "$T/out"' "no progress with --quiet"
	script -qec "$SWAPLAB bench $T/a.swt --codec lz4,zstd" /dev/null >"$T/out"
	check 'tr "\r" "\n" <"$T/out" | grep -q "run 2/2 zstd[^ ]* × zsmalloc[^ ]*, 0%, ETA"' \
		"bench shows progress on a terminal"
fi
"$SWAPLAB" replay "$T/a.swt" --codec lz4 -o "$T/pg.json" 2>"$T/err"
check '! grep -q "ETA" "$T/err"' "no progress when stderr is not a terminal"

# --- stat: canned sysfs text decoded, bad devices refused ---
F="$T/sys/block"
mkdir -p "$F/zram0" "$F/zram1" "$F/swaplab0" "$F/loop0"
echo 4294967296 >"$F/zram0/disksize"
echo "  2138112   501234   622592        0   622592       12        0        3        5" >"$F/zram0/mm_stat"
echo "       0        0        0      100" >"$F/zram0/io_stat"
echo "lzo [lzo-rle] lz4" >"$F/zram0/comp_algorithm"
echo 0 >"$F/zram1/disksize"
echo 1073741824 >"$F/swaplab0/disksize"
echo " 4096000 1024000 1228800 0 1300000 10 2 1 1 1000 3072 4 8192 0 0" >"$F/swaplab0/mm_stat"
echo "0 5 0 7 1200 1100" >"$F/swaplab0/io_stat"
echo "  2 1 3" >"$F/swaplab0/bd_stat"
export SWAPLAB_SYSFS="$T/sys"
expect 0 "$SWAPLAB" stat /dev/zram0
check 'grep -q "^zram0: lzo-rle, disksize 4.0 GiB" "$T/out" && grep -q "ratio 4.27, effective ratio 3.43, fragmentation 19.5%" "$T/out"' \
	"stat decodes mm_stat: ratio, eff, frag"
expect 0 "$SWAPLAB" stat
check 'grep -q "^zram0:" "$T/out" && grep -q "^swaplab0:" "$T/out" && ! grep -q "^zram1" "$T/out"' \
	"stat without DEV: every initialised device"
check 'grep -q "writeback   2 pages on the backing device (1 read, 3 written)" "$T/out"' \
	"stat decodes bd_stat"
expect 0 "$SWAPLAB" stat swaplab0 --json
check 'grep -q "\"pages_stored\":1000" "$T/out" && grep -q "\"num_writes\":1100" "$T/out" && grep -q "\"effective_ratio\":3.33" "$T/out"' \
	"stat --json names every field"
expect 0 "$SWAPLAB" stat zram0 --interval 0.05 --count 3 --json
check '[ "$(grep -c "\"delta\":{" "$T/out")" -eq 2 ]' "stat --interval: deltas from the second sample"
expect 0 "$SWAPLAB" stat zram0 --interval 0.05 --count 2
check '[ "$(grep -c "^ *[0-9.]* zram0 " "$T/out")" -eq 2 ]' "stat --interval: a line a sample"
for d in /dev/zram1 loop0 /dev/sda zram7 zram0x; do
	expect 2 "$SWAPLAB" stat $d
	one_error_line
done
expect 2 "$SWAPLAB" stat zram0 --interval 0
one_error_line
unset SWAPLAB_SYSFS

# --- a sampler-made trace frees every slot when the process exits: at
# the end the store is empty, at peak it is not ---
expect 0 "$SWAPLAB" record --interval 20 --cold 2 -o "$T/fa.swt" -- \
	sh -c 'x=$(seq 1 200000); sleep 0.4; echo ${#x} >/dev/null'
expect 0 "$SWAPLAB" replay "$T/fa.swt" --codec lz4 --alloc zsmalloc -o "$T/fa.json" --quiet
expect 0 "$SWAPLAB" report "$T/fa.json" --format csv --at end --fields orig_data_size
check '[ "$(sed -n 2p "$T/out")" = "$T/fa.swt,0" ]' "sampler trace ends empty"
expect 0 "$SWAPLAB" report "$T/fa.json" --format csv --fields ratio,effective_ratio,orig_data_size
check 'awk -F, "NR == 2 && \$2 > 1 && \$3 > 1 && \$4 > 0 { ok = 1 } END { exit !ok }" "$T/out"' \
	"sampler trace: non-zero peak figures"

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

# --- compare: default gates on sizes at peak, printed; latency opt-in ---
# mkp FILE RATIO MEM: one run whose peak has RATIO, MEM bytes at most
mkp() {
	printf '{"runs": [{"trace": "t.swt", "codec": "lz4", "alloc": "zsmalloc", "settings": {}, "mem_used_max": %s, "verify_failures": 0, "at_peak": {"ratio": %s}}]}\n' \
		"$3" "$2" >"$1"
}
mkp "$T/pk.json" 3.0 1048576
mkp "$T/pk10.json" 2.7 1048576
mkp "$T/pkmem.json" 3.0 1150000
expect 1 "$SWAPLAB" compare "$T/pk.json" "$T/pk10.json"
check '[ "$(marker ratio_at_peak)" = "!" ]' "default gate: a 10% lower peak ratio crosses"
check 'grep -q "^gates (worst tolerated change): ratio_at_peak 0%, mem_used_max 0%" "$T/out"' \
	"the gate list is printed"
expect 1 "$SWAPLAB" compare "$T/pk.json" "$T/pkmem.json"
check '[ "$(marker mem_used_max)" = "!" ]' "default gate: more peak memory crosses"
expect 0 "$SWAPLAB" compare "$T/pk10.json" "$T/pk.json"
expect 0 "$SWAPLAB" compare "$T/pk.json" "$T/pk10.json" --max-regress ratio_at_peak=11%
expect 0 "$SWAPLAB" compare "$T/pk.json" "$T/pk10.json" --max-regress peak_ratio=off
check '! grep -q "^gates.*ratio_at_peak" "$T/out"' "an off gate is not listed"
expect 1 "$SWAPLAB" compare "$T/pk.json" "$T/pk10.json" --max-regress p99=5%
check 'grep -A3 "^gates" "$T/out" | grep -q "compress.p99 5%" && grep -q "^gates.*ratio_at_peak 0%" "$T/out"' \
	"other keys add to the defaults"
# latency is not gated by default, however much worse
expect 0 "$SWAPLAB" compare "$T/base.json" "$T/worse.json"

# --- compare: sides pooled from several files ---
for k in 1 2; do
	expect 0 "$SWAPLAB" replay "$T/a.swt" --codec lz4 --alloc zsmalloc \
		--quiet -o "$T/p$k.json"
done
expect 0 "$SWAPLAB" compare "$T/p1.json,$T/p2.json" "$T/p2.json,$T/p1.json"
check 'grep -q "0 too few samples" "$T/out"' "pooled files give two samples a side"
expect 0 "$SWAPLAB" compare "$T/p1.json" "$T/p2.json"
check 'grep -q "too few samples (N 1/1)" "$T/out"' "one file a side is one sample"
check '[ "$(marker ratio_at_peak)" = "=" ] && [ "$(marker mem_used_max)" = "=" ]' \
	"self-vs-self replays pass the default gates"
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
	# a picture's temp name is PATH.tmp.PID, as every output's: what a
	# killed plot left is removed by the next one
	: > "$T/png/size-hist.png.tmp.999999999"
	touch -d '2 minutes ago' "$T/png/size-hist.png.tmp.999999999"
	expect 0 "$SWAPLAB" plot "$T/r.json" -o "$T/png"
	check '[ ! -e "$T/png/size-hist.png.tmp.999999999" ]' \
		"a killed plot's stale temp picture is removed"
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
	# every title line fits the picture; only drawn series have a key entry
	long_title() {
		grep "set title\|set multiplot" "$1" |
			awk -F'\\\\n' '{ for (i = 1; i <= NF; i++) if (length($i) > 118) bad = 1 } END { exit !bad }'
	}
	for k in $kinds; do
		check '! long_title "$T/png/$k.gp"' "$k: no title line longer than the picture"
	done
	check 'grep -q "title .peak (max mem_used)." "$T/png/frag-timeline.gp" && grep -q "with points pt 4 " "$T/png/frag-timeline.gp"' \
		"the timeline marks each run's peak"
	check 'grep -q "set key outside" "$T/png/frag-timeline.gp"' \
		"the timeline key is outside the data"
	expect 0 "$SWAPLAB" plot "$T/fa.json" -o "$T/nocomp" --kinds frag-timeline,ratio-latency
	check '! grep -q "compaction" "$T/nocomp/frag-timeline.gp"' \
		"no compaction key entry without compactions"
	check 'awk "!/^#/ && NF { if (\$2 <= 1) bad = 1 } END { exit bad }" "$T/nocomp/ratio-latency.dat"' \
		"ratio-latency of a sampler trace plots the peak ratio, not 0"
	expect 0 "$SWAPLAB" plot "$T/r.json" -o "$T/time" --kinds frag-timeline --x time
	check 'grep -q "seconds into the trace" "$T/time/frag-timeline.gp" && [ -s "$T/time/frag-timeline.png" ]' \
		"--x time draws the timeline over seconds"
	expect 2 "$SWAPLAB" plot "$T/r.json" -o "$T/x" --x sometime
	one_error_line
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

# --- the metric table (format/metrics.c, docs/results-format.md) ---
expect 0 "$SWAPLAB" report --list-fields
check 'head -1 "$T/out" | grep -q "^metric  *unit  *better  *meaning"' \
	"--list-fields heads its columns"
check 'grep -q "^compress.p50  *ns  *lower " "$T/out" && grep -q "also: comp_p50" "$T/out"' \
	"--list-fields: compress.p50 in ns, lower better, report's comp_p50 an alias"
check 'grep -q "^ratio  *ratio  *higher .*(--at)" "$T/out"' \
	"--list-fields: ratio is higher-better and moves with --at"
expect 0 "$SWAPLAB" report --list-fields --format csv
cp "$T/out" "$T/fields.csv"
check '[ "$(head -1 "$T/fields.csv")" = "name,aliases,unit,better,moment,backends,shown_by,path,repeats_path,meaning" ]' \
	"--list-fields csv header"
nf=$(awk 'END { print NR - 1 }' "$T/fields.csv")
check '[ "$nf" -gt 40 ]' "--list-fields lists the table ($nf figures)"
# every figure has its row in docs/results-format.md, its path named there
undoc=$(tail -n +2 "$T/fields.csv" | cut -d, -f1 | while read -r m; do
	grep -qF "| \`$m\` |" "$TOP/docs/results-format.md" || echo "$m"; done)
check '[ -z "$undoc" ]' "figures missing from docs/results-format.md: $undoc"
expect 2 "$SWAPLAB" report --list-fields --format json
one_error_line "text or csv"
# each figure report or compare shows is named in its --help (by one of
# its names; compare's OP.STAT figures by their groups)
"$SWAPLAB" report --help >"$T/report.help"
"$SWAPLAB" compare --help >"$T/compare.help"
unnamed=$(tail -n +2 "$T/fields.csv" | while IFS=, read -r name also _u _b _m _be shown _r; do
	for a in report compare; do
		case " $shown " in *" $a "*) ;; *) continue ;; esac
		case "$a:$name" in compare:*.*) continue ;; esac
		hit=
		for k in $name $also; do
			grep -qw -- "$k" "$T/$a.help" && hit=1
		done
		[ -n "$hit" ] || echo "$a:$name"
	done
done)
check '[ -z "$unnamed" ]' "figures shown but not named in --help: $unnamed"
# report's and compare's old names keep working: they are aliases now
expect 0 "$SWAPLAB" report "$T/r.json" --fields codec,compress.p50,eff,bd_writes --format csv
check '[ "$(head -1 "$T/out")" = "trace,codec,comp_p50,effective_ratio_at_peak,bd_writes,peak_op" ]' \
	"report --fields takes canonical names and aliases, prints its own keys"
expect 0 "$SWAPLAB" compare "$T/r.json" "$T/r.json" --only comp_p50,bd_writes --brief
check '[ "$(grep -c "^. compress.p50 " "$T/out")" -eq 6 ] && ! grep -q "^. decompress" "$T/out"' \
	"compare --only takes report's names"

# every figure the table says a backend writes is in that backend's runs:
# the bundled sqlite trace through zram, zswap of both kernels and --chunk
SQL="$TOP/traces/sqlite.swt"
expect 0 "$SWAPLAB" replay "$SQL" --frontend zswap,zram --codec lz4 \
	--kernel 6.1 -o "$T/be61.json" --quiet
expect 0 "$SWAPLAB" replay "$SQL" --frontend zswap --codec lz4 \
	--kernel 6.12 -o "$T/be612.json" --quiet
expect 0 "$SWAPLAB" replay "$SQL" --chunk 16k --codec lz4 \
	-o "$T/bech.json" --quiet
expect 0 "$SWAPLAB" report --list-fields "$T/be61.json" "$T/be612.json" \
	"$T/bech.json" "$T/r.json"
check 'tail -1 "$T/out" | grep -q "^10 runs checked against the metric table: 0 figures missing"' \
	"every backend's runs carry their figures: $(tail -3 "$T/out")"
# and a run without one is named, exit 1
sed 's/"pool_limit_hit"/"pool_limit_gone"/g; s/"same_pages"/"same_gone"/' \
	"$T/be61.json" >"$T/beless.json"
expect 1 "$SWAPLAB" report --list-fields "$T/beless.json"
check 'grep -q "^run 0 (zswap, [^)]*): no pool_limit_hit (zswap.pool_limit_hit)" "$T/out"' \
	"a missing zswap counter is named: $(head -2 "$T/out")"
check 'grep -q "): no same_pages (same_pages)" "$T/out"' \
	"a missing zram-named figure is named"
# bad input: one error line, exit 2
expect 2 "$SWAPLAB" report --list-fields "$T/no-such.json"
one_error_line "no-such.json"
expect 2 "$SWAPLAB" report --list-fields --format markdown
one_error_line "text or csv"
# a report-only column is no compare key, a compare-only figure no column
expect 2 "$SWAPLAB" compare "$T/r.json" "$T/r.json" --only codec
one_error_line "unknown --only key 'codec'"
expect 2 "$SWAPLAB" report "$T/r.json" --fields ratio_at_peak
one_error_line "unknown field 'ratio_at_peak'"
# a run no backend of the table wrote is said, not checked
printf '{"swaplab_version": "x", "runs": [{"trace": "t", "codec": "c", "alloc": "a"}]}\n' \
	>"$T/nobe.json"
expect 0 "$SWAPLAB" report --list-fields "$T/nobe.json"
check 'grep -q "^run 0 (c/a): no backend known to the table: not checked" "$T/out" && tail -1 "$T/out" | grep -q "^0 runs checked"' \
	"a run of no known backend is not checked: $(cat "$T/out")"

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

finish "analyze"

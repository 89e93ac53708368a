#!/bin/sh
# sweep.sh - `swaplab sweep` and `swaplab merge` end to end: job lists
# and hashes that do not depend on how the plan is named, local runs with
# --jobs, resume (done jobs skipped and counted; a changed trace reruns its
# jobs), a sweep killed half way that reruns only what is missing, a
# failing job named with its log while the others merge, the bad plans of
# issue 19 (one line, exit 2, nothing created), merge refusing runs of one
# configuration with different trace content, report/compare/plot on a
# directory, and GNU parallel running the emitted job list to the same
# sizes as the local run.
#
# Usage: SWAPLAB=build/swaplab tests/cli/sweep.sh
# check() takes its test in single quotes and evals it
# shellcheck disable=SC2016
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
case $SWAPLAB in /*) ;; *) SWAPLAB=$PWD/$SWAPLAB ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT



one_error_line() {
	n=$(wc -l <"$T/err")
	if [ "$n" -eq 1 ] && grep -q "^swaplab sweep: .*$1" "$T/err"; then ok
	else bad "want one error line with '$1', got $n: $(head -3 "$T/err")"
	fi
}

# the sizes of every run, one sorted line each: what must be identical
sizes() {
	"$SWAPLAB" report --format csv --fields \
		codec,alloc,orig_data_size,compr_data_size,mem_used_total,mem_used_max,same_pages,huge_pages \
		"$1" | tail -n +2 | sort
}

expect 0 "$SWAPLAB" sweep --help
check 'grep -q "^usage: swaplab sweep" "$T/out"' "sweep --help"
expect 0 "$SWAPLAB" merge --help

mkdir "$T/p" "$T/p/tr"
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 1 -o "$T/p/tr/a.swt" >/dev/null
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 2 -o "$T/p/tr/b.swt" >/dev/null
cat >"$T/p/plan.json" <<'PLAN'
{
  "name": "t",
  "traces": ["tr/*.swt"],
  "axes": {
    "codec": ["lz4", {"name": "zstd", "levels": [1, 3]}],
    "alloc": ["zsmalloc", "zbud"]
  },
  "exclude": [{"codec": "zstd:3", "alloc": "zbud"}],
  "options": {"timeline": 500}
}
PLAN
# the same plan, keys and traces in another order
cat >"$T/p/plan2.json" <<'PLAN'
{
  "options": {"timeline": 500},
  "exclude": [{"alloc": "zbud", "codec": "zstd:3"}],
  "axes": {
    "alloc": ["zsmalloc", "zbud"],
    "codec": ["lz4", {"name": "zstd", "levels": [1, 3]}]
  },
  "traces": ["tr/b.swt", "tr/a.swt"],
  "name": "t"
}
PLAN

# --- list: 2 traces x 3 codecs x 2 allocs - 2 excluded = 10 jobs ---
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --list
cp "$T/out" "$T/list1"
check '[ "$(wc -l <"$T/list1")" -eq 10 ]' "10 jobs listed"
check '[ "$(grep -c " todo " "$T/list1")" -eq 10 ]' "all to do"
check '! grep -q "zstd:3 x zbud" "$T/list1"' "exclusion applied"
check '[ ! -e "$T/L" ]' "--list creates nothing"
(cd "$T/p" && "$SWAPLAB" sweep ./plan.json -o "$T/L" --list >"$T/list2" 2>/dev/null)
check 'cmp -s "$T/list1" "$T/list2"' "hashes do not depend on the plan's path"
"$SWAPLAB" sweep "$T/p/plan2.json" -o "$T/L" --list 2>/dev/null |
	awk '{print $1}' | sort >"$T/h2"
awk '{print $1}' "$T/list1" | sort >"$T/h1"
check 'cmp -s "$T/h1" "$T/h2"' "hashes do not depend on key order"

# --- run here, 2 at a time; every job one file named by its hash ---
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --run --jobs 2
check 'grep -q "10 run, 0 skipped" "$T/err"' "10 jobs run"
for h in $(cat "$T/h1"); do
	check '[ -s "$T/L/$h.json" ] && [ -s "$T/L/logs/$h.log" ]' "results and log of $h"
done
check 'grep -q "\"trace_hash\": \"xxh3-128:" "$T/L/$(head -1 "$T/h1").json"' \
	"results carry the trace content hash"
check 'grep -q "\"config_hash\": \"$(head -1 "$T/h1")\"" "$T/L/$(head -1 "$T/h1").json"' \
	"results carry the configuration hash"
check 'grep -q "\"host\"" "$T/L/$(head -1 "$T/h1").json"' "results carry the host"
check '[ -z "$(ls -A "$T/L" | grep part)" ]' "no part files left"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --run --jobs 2
check 'grep -q "0 run, 10 skipped" "$T/err"' "a rerun skips all 10"
rm "$T/L/$(sed -n 2p "$T/h1").json" "$T/L/$(sed -n 7p "$T/h1").json"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --list
check '[ "$(grep -c " todo " "$T/out")" -eq 2 ]' "two jobs to do again"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --run
check 'grep -q "2 run, 8 skipped" "$T/err"' "only the missing two run"

# --- merge, and the analyzers on a directory ---
expect 0 "$SWAPLAB" merge "$T/L" -o "$T/all.json"
check 'grep -q "10 runs merged" "$T/err"' "merge: 10 runs"
check '[ "$(sizes "$T/L")" = "$(sizes "$T/all.json")" ]' "report DIR = report of the merge"
expect 0 "$SWAPLAB" merge "$T/L" "$T/all.json" -o "$T/all2.json"
check 'grep -q "10 runs merged.*10 duplicates kept once" "$T/err"' "duplicates kept once"
expect 0 "$SWAPLAB" compare "$T/L" "$T/all.json"
expect 0 "$SWAPLAB" plot "$T/L" -o "$T/plots"
check '[ -n "$(ls "$T/plots")" ]' "plot of a directory"

# --- a changed trace reruns its jobs; mixing old and new is refused ---
cp -r "$T/L" "$T/old"
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 9 --force -o "$T/p/tr/b.swt" >/dev/null
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --list
check '[ "$(grep -c " todo tr/b.swt" "$T/out")" -eq 5 ] && [ "$(grep -c " todo " "$T/out")" -eq 5 ]' \
	"a changed trace makes its 5 jobs to do"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --run --jobs 2
check 'grep -q "5 run, 5 skipped" "$T/err"' "and only those run"
expect 2 "$SWAPLAB" merge "$T/old" "$T/L" -o "$T/mix.json"
check 'grep -q "disagree on trace content" "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ]' \
	"merge refuses two trace contents under one configuration"
check '[ ! -e "$T/mix.json" ]' "nothing written when refused"
expect 2 "$SWAPLAB" compare --ignore-settings all "$T/old" "$T/L"
check 'grep -q "/tr/b.swt: base and new replayed different contents (trace_hash differs)" "$T/err"' \
	"compare refuses runs of two trace contents"
cp "$T/old/$(awk '/ tr\/b.swt /{print $1; exit}' "$T/list1").json" "$T/L/stale.json"
expect 2 "$SWAPLAB" report "$T/L"
check 'grep -q "disagree on trace content" "$T/err"' "report refuses a directory mixing trace contents"
rm "$T/L/stale.json"
# runs of one configuration whose sizes differ are refused as well
sed 's/"compr_data_size": \([0-9]*\)/"compr_data_size": 1\1/' \
	"$T/L/$(head -1 "$T/h1").json" >"$T/forged.json"
expect 2 "$SWAPLAB" merge "$T/L" "$T/forged.json" -o "$T/mix.json"
check 'grep -q "disagree on compr_data_size" "$T/err"' "merge refuses other sizes"

# --- killed half way: the rerun runs only the missing jobs ---
"$SWAPLAB" sweep "$T/p/plan.json" -o "$T/K" --run --quiet &
pid=$!
i=0
while [ "$(ls "$T/K" 2>/dev/null | grep -c '\.json$')" -lt 3 ] && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
kill -TERM $pid
wait $pid 2>/dev/null
sleep 0.3
have=$(ls "$T/K" | grep -c '\.json$')
check '[ "$have" -ge 3 ] && [ "$have" -lt 10 ]' "killed part way ($have of 10 done)"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/K" --run
check 'grep -q "$((10 - have)) run, $have skipped" "$T/err"' \
	"after the kill only the $((10 - have)) missing jobs run"
check '[ "$(sizes "$T/K")" = "$(sizes "$T/L")" ]' "resumed sweep = uninterrupted one"

# --- a failing job is named with its log; the others still merge ---
mkdir "$T/f"
cp "$T/p/tr/a.swt" "$T/f/a.swt"
head -c 5000 "$T/p/tr/b.swt" >"$T/f/broken.swt"
cat >"$T/f/plan.json" <<'PLAN'
{"traces": ["a.swt", "broken.swt"], "axes": {"codec": ["lz4", "zstd"]}}
PLAN
expect 2 "$SWAPLAB" sweep "$T/f/plan.json" -o "$T/F" --run --jobs 2
check '[ "$(grep -c "job .* (broken.swt x .*) failed (exit 2); log: .*/logs/.*\.log" "$T/err")" -eq 2 ]' \
	"both failing jobs named with their log"
check 'grep -q "2 run, 0 skipped (already done), 2 failed" "$T/err"' "failures counted"
expect 1 "$SWAPLAB" merge "$T/F" -o "$T/fm.json"
check 'grep -q "2 of 4 sweep jobs missing" "$T/err" && [ "$(grep -c "^  [0-9a-f]\{16\} broken.swt" "$T/err")" -eq 2 ]' \
	"merge names the missing jobs"
check '[ "$(sizes "$T/fm.json" | wc -l)" -eq 2 ]' "the others merged"

# --- bad plans: one line, exit 2, nothing created ---
badplan() {
	msg=$1
	printf '%s\n' "$2" >"$T/p/bad.json"
	expect 2 "$SWAPLAB" sweep "$T/p/bad.json" -o "$T/B" --run
	one_error_line "$msg"
	check '[ ! -e "$T/B" ]' "nothing created for: $msg"
}
badplan "unknown axis 'colour'" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz4"], "colour": ["red"]}}'
badplan "unknown codec 'lz5'" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz5"]}}'
badplan "level 99 out of range" '{"traces": ["tr/a.swt"], "axes": {"codec": [{"name": "zstd", "levels": [99]}]}}'
badplan "unknown allocator 'zsmaloc'" '{"traces": ["tr/a.swt"], "axes": {"alloc": ["zsmaloc"]}}'
badplan "trace 'tr/nope.swt': no such file" '{"traces": ["tr/nope.swt"], "axes": {"codec": ["lz4"]}}'
badplan "matches no file" '{"traces": ["x/*.swt"], "axes": {"codec": ["lz4"]}}'
badplan "product is empty" '{"traces": ["tr/a.swt"], "axes": {"codec": []}}'
badplan "exclusions leave no job" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz4"]}, "exclude": [{"codec": "lz4"}]}'
badplan "over 1000000 jobs" "{\"traces\": [\"tr/a.swt\"], \"axes\": {\"codec\": [\"lz4\", \"zstd\", \"lzo\", \"lz4hc\"], \"threads\": [$(seq -s, 1 64)], \"huge_threshold\": [$(seq -s, 1 4096)]}}"
badplan "not valid JSON" '{"traces": '
badplan "option 'output' is the sweep's own" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz4"]}, "options": {"output": "x"}}'
badplan "bad --timeline" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz4"]}, "options": {"timeline": 0}}'
badplan "one spec per value" '{"traces": ["tr/a.swt"], "axes": {"codec": ["lz4,zstd"]}}'
if "$SWAPLAB" replay --help | grep -q -- --frontend; then ok; else
	badplan "has no --frontend option" '{"traces": ["tr/a.swt"], "axes": {"frontend": ["zswap"]}}'
fi
expect 2 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/B" --submit parallel
expect 2 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/B"

# --- emitted Slurm script: only groups with work left, throttled ---
rm "$T/L/$(sed -n 4p "$T/list1" | cut -d' ' -f1).json"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --emit slurm --group-size 3 --throttle 2
check 'grep -q "^#SBATCH --array=1%2$" "$T/out"' "array of the one group to do, %2"
check 'grep -q "^#SBATCH --output=.*/logs/slurm-%A_%a.log$" "$T/out"' "per-task logs"
check 'grep -q -- "--group-size 3 --task \"\$SLURM_ARRAY_TASK_ID\"$" "$T/out"' "task command"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --task 1 --group-size 3
check 'grep -q "1 run, 2 skipped" "$T/err"' "a task runs its group's missing job"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/L" --emit slurm
check 'grep -q "nothing to emit" "$T/err" && [ ! -s "$T/out" ]' "nothing to emit when done"

# --- GNU parallel over the emitted job list = the local run ---
if command -v parallel >/dev/null 2>&1; then
	expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/P" --emit parallel
	cp "$T/out" "$T/jobs.txt"
	check '[ "$(wc -l <"$T/jobs.txt")" -eq 10 ]' "10 parallel job lines"
	expect 0 parallel --will-cite -j 2 --joblog "$T/joblog" <"$T/jobs.txt"
	expect 0 "$SWAPLAB" merge "$T/P" -o "$T/pm.json"
	expect 0 "$SWAPLAB" merge "$T/L" -o "$T/lm.json"
	check '[ "$(sizes "$T/pm.json" | wc -l)" -eq 10 ] && [ "$(sizes "$T/pm.json")" = "$(sizes "$T/lm.json")" ]' \
		"parallel's merged results = the local run, run for run"
	expect 0 "$SWAPLAB" merge "$T/P" "$T/L" -o "$T/both.json"
	check 'grep -q "10 duplicates kept once" "$T/err"' "parallel and local agree in merge"
else
	bad "GNU parallel is not installed (scripts/deps.sh installs it)"
fi

finish "sweep"

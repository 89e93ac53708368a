#!/bin/sh
# slurm.sh - `swaplab sweep --submit slurm` against a real Slurm: the test
# brings up a single-node cluster from Debian's packages (munged,
# slurmctld, slurmd, all configured in a temp dir, on ports of their
# own), submits a 12-job sweep as a throttled array of 2-job groups,
# waits, merges, and checks the merged results against a local
# `sweep --run` of the same plan, run for run; then that a resubmission
# after a lost result runs only that job.  Every daemon it started is
# stopped at the end, also on failure.  Needs root (daemons, munge key);
# without root it says so loudly and skips.
#
# Usage: SWAPLAB=build/swaplab tests/cli/slurm.sh
# check() takes its test in single quotes and evals it
# shellcheck disable=SC2016
set -u
. "$(dirname "$0")/lib.sh"
SWAPLAB=${SWAPLAB:-build/swaplab}
case $SWAPLAB in /*) ;; *) SWAPLAB=$PWD/$SWAPLAB ;; esac
if [ "$(id -u)" -ne 0 ]; then
	echo "slurm: SKIPPED -- NOT ROOT: the single-node Slurm test needs root to run munged, slurmctld and slurmd" >&2
	exit 0
fi
for b in munged slurmctld slurmd sbatch sinfo; do
	command -v "$b" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
	if ! command -v "$b" >/dev/null 2>&1; then
		echo "slurm: FAIL: $b missing (scripts/deps.sh sweep installs slurm-wlm and munge)"
		exit 1
	fi
done
T=$(mktemp -d /tmp/swaplab-slurm.XXXXXX)
chmod 700 "$T"
pids=
stop() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap stop EXIT
trap 'exit 2' INT TERM

sizes() {
	"$SWAPLAB" report --format csv --fields \
		codec,alloc,orig_data_size,compr_data_size,mem_used_total,mem_used_max,same_pages,huge_pages \
		"$1" | tail -n +2 | sort
}
die() {
	echo "slurm: FAIL: $*"
	for f in munged.log slurmctld.log slurmd.log; do
		[ -f "$T/$f" ] && { echo "--- $f"; tail -15 "$T/$f"; }
	done
	exit 1
}

# --- munge: a key and a socket of our own ---
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$T/munge.key"
mkdir -m 700 "$T/munge"
munged --force --foreground --key-file="$T/munge.key" \
	--socket="$T/munge/sock" --pid-file="$T/munge/pid" \
	--log-file="$T/munged.log" --seed-file="$T/munge/seed" \
	>"$T/munged.out" 2>&1 &
pids="$pids $!"

# --- slurm: one node, this host, ports from the test's pid ---
node=$(hostname -s)
port=$((20000 + $$ % 20000))
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<CONF
ClusterName=swaplabtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/sock
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MaxArraySize=10001
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
i=0
while [ ! -S "$T/munge/sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$T/munge/sock" ] || die "munged did not start"
slurmctld -D -i >"$T/slurmctld.out" 2>&1 &
pids="$pids $!"
sleep 1
slurmd -D >"$T/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] || [ $i -ge 60 ]; do
	sleep 0.5; i=$((i + 1))
done
[ "$(sinfo -h -o %t 2>/dev/null)" = idle ] ||
	die "the node did not come up: $(sinfo -h -o %t 2>&1)"
ok

# --- a 12-job plan, run here and through Slurm ---
mkdir "$T/p"
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 1 -o "$T/p/a.swt" >/dev/null
"$SWAPLAB" gen --profile realistic --pages 2000 --seed 2 -o "$T/p/b.swt" >/dev/null
cat >"$T/p/plan.json" <<'PLAN'
{
  "name": "slurmtest",
  "traces": ["a.swt", "b.swt"],
  "axes": {"codec": ["lz4", "zstd", "lzo-rle"], "alloc": ["zsmalloc", "zbud"]}
}
PLAN
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/local" --run --jobs 2
check 'grep -q "12 run, 0 skipped" "$T/err"' "local run of 12 jobs"
expect 0 timeout 600 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/slurm" \
	--submit slurm --wait --group-size 2 --throttle 2
check 'grep -q "12 of 12 jobs done, 0 missing" "$T/err"' "slurm ran all 12 jobs"
check 'grep -q "^#SBATCH --array=0-5%2$" "$T/slurm/sweep.sbatch"' "6 tasks, throttled to 2"
check '[ "$(ls "$T/slurm/logs" | grep -c "^slurm-[0-9]*_[0-5]\.log$")" -eq 6 ]' \
	"one log per array task"
expect 0 "$SWAPLAB" merge "$T/slurm" -o "$T/slurm.json"
expect 0 "$SWAPLAB" merge "$T/local" -o "$T/local.json"
check '[ "$(sizes "$T/slurm.json" | wc -l)" -eq 12 ] && [ "$(sizes "$T/slurm.json")" = "$(sizes "$T/local.json")" ]' \
	"Slurm's merged results = the local run, run for run"
expect 0 "$SWAPLAB" merge "$T/slurm" "$T/local" -o "$T/both.json"
check 'grep -q "12 duplicates kept once" "$T/err"' "merge: Slurm and local runs agree"

# --- resume through Slurm: only the lost job runs ---
lost=$("$SWAPLAB" sweep "$T/p/plan.json" -o "$T/slurm" --list 2>/dev/null | sed -n 7p | cut -d' ' -f1)
rm "$T/slurm/$lost.json"
rm -f "$T/slurm/logs/slurm-"*
expect 0 timeout 600 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/slurm" \
	--submit slurm --wait --group-size 2
check 'grep -q "^#SBATCH --array=3$" "$T/slurm/sweep.sbatch"' "resubmission: one task"
check 'grep -q "2 jobs: 1 run, 1 skipped" "$T/slurm/logs/"slurm-*_3.log' \
	"the task ran the lost job only"
expect 0 "$SWAPLAB" sweep "$T/p/plan.json" -o "$T/slurm" --submit slurm --wait
check 'grep -q "all 12 jobs done: nothing to submit" "$T/err"' "nothing submitted when done"

# --- a failing array task: its jobs named with their logs ---
head -c 5000 "$T/p/b.swt" >"$T/p/broken.swt"
cat >"$T/p/fail.json" <<'PLAN'
{"traces": ["a.swt", "broken.swt"], "axes": {"codec": ["lz4"]}}
PLAN
expect 2 timeout 600 "$SWAPLAB" sweep "$T/p/fail.json" -o "$T/fail" \
	--submit slurm --wait
check 'grep -q "job [0-9a-f]* (broken.swt x lz4) has no results; log: .*/logs/[0-9a-f]*\.log: " "$T/err"' \
	"the failed job is named with its log"
check 'grep -q "1 of 2 jobs done, 1 missing" "$T/err"' "the other job done"
expect 1 "$SWAPLAB" merge "$T/fail" -o "$T/fail.json"

finish "slurm"

#!/bin/sh
# run-all.sh BUILD KVER... -- [TEST...]: scripts/vm/run.sh on each kernel,
# all at once, each with its own build dir (BUILD/vm-KVER) and log
# (BUILD/vm-KVER.log, printed whole when its run ends).  A guest under TCG
# keeps about one host CPU busy, so on a machine with as many CPUs as
# kernels the boots cost the wall time of the longest one, not their sum.
# VM_PARALLEL=0 runs them one after the other.  A test that fails is run
# again, alone (below).  Exit: the first non-zero exit of a run that did
# not pass on its second try, else 0.
set -u
B=$1
shift
kvers=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	kvers="$kvers $1"
	shift
done
[ $# -gt 0 ] && shift
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case $B in /*) BD=$B ;; *) BD=$TOP/$B ;; esac
# the guests share the static CLI: built once, before they start
make -s -C "$TOP" "$B/swaplab-static" > /dev/null 2>&1 || true
par=${VM_PARALLEL:-1}
[ "$(nproc)" -ge 2 ] || par=0
rc=0
pids=
for k in $kvers; do
	if [ "$par" = 1 ]; then
		echo "vm-test: kernel $k (log: $BD/vm-$k.log)"
		KVER=$k VM_BUILD=$BD/vm-$k "$TOP/scripts/vm/run.sh" "$@" \
			> "$BD/vm-$k.log" 2>&1 &
		pids="$pids $!"
	else
		echo "vm-test: kernel $k"
		KVER=$k VM_BUILD=$BD/vm-$k "$TOP/scripts/vm/run.sh" "$@"
		r=$?
		[ $rc = 0 ] && rc=$r
	fi
done
# shellcheck disable=SC2086 # one word per pid
set -- $pids
failed=
for k in $kvers; do
	[ $# -gt 0 ] || break
	wait "$1"
	r=$?
	shift
	echo "vm-test: kernel $k: exit $r"
	sed 's/^/    /' "$BD/vm-$k.log"
	[ $r = 0 ] || failed="$failed $k:$r"
done
[ "$par" = 1 ] || exit $rc
# A test that failed (exit 1: not a build or boot failure) runs once more,
# alone on a fresh boot; passing then, it is reported as flaky, with the
# first run's failing checks, and does not fail the suite.  VM_RETRY=0: no
# second run.
flaky=
for kr in $failed; do
	k=${kr%:*} r=${kr##*:}
	ts=$(sed -n 's/^RESULT \([a-z0-9_]*\) FAIL.*/\1/p' "$BD/vm-$k.log")
	if [ "$r" = 1 ] && [ -n "$ts" ] && [ "${VM_RETRY:-1}" = 1 ]; then
		echo "vm-test: kernel $k: again, alone:" $ts
		# shellcheck disable=SC2086 # one word per test
		KVER=$k VM_BUILD=$BD/vm-$k OUT=$BD/vm-$k/retry \
			"$TOP/scripts/vm/run.sh" $ts > "$BD/vm-$k.retry.log" 2>&1
		r=$?
		sed 's/^/    /' "$BD/vm-$k.retry.log"
		[ $r = 0 ] && flaky="$flaky $k"
	fi
	[ $rc = 0 ] && rc=$r
done
# A CI log is often read from its tail: what failed, and the failing
# checks of each failed test, come last and short.
for kr in $failed; do
	k=${kr%:*}
	case " $flaky " in
	*" $k "*) echo "vm-test: kernel $k: FLAKY (failed, then passed alone):" ;;
	*) echo "vm-test: kernel $k FAILED:" ;;
	esac
	grep -E '^(RESULT .* FAIL|vm: )' "$BD/vm-$k.log" | head -5 | sed 's/^/    /'
	for t in $(sed -n 's/^RESULT \([a-z0-9_]*\) FAIL.*/\1/p' "$BD/vm-$k.log"); do
		grep -E '^FAIL' "$BD/vm-$k/out/$t.log" 2> /dev/null | head -4 |
			cut -c1-300 | sed "s/^/    $t: /"
	done
done
exit $rc

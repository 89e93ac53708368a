#!/bin/sh
# replay_threads.sh - the multi-threaded replay engine under ThreadSanitizer:
# helpers spinning and sleeping between batches, groups taken as they come,
# store features on, split by cpu and by slot; and the runs of a pass on
# --jobs threads fed by the decoding thread, and the read-back at the end
# shared by threads.  Any report fails the run.
set -eu
SWAPLAB=${SWAPLAB:-build/tsan-swaplab/swaplab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
"$SWAPLAB" gen --profile mixed --pages 3000 --seed 3 -o "$T/t.swt" >/dev/null
# four cpus and few slots: by cpu, streams often wait for each other
"$SWAPLAB" gen --profile mixed --pages 3000 --seed 4 --cpus 4 --slots 64 \
	-o "$T/t4.swt" >/dev/null
# enough slots (8000) that the end-of-run read-back is shared by threads
"$SWAPLAB" gen --profile mixed --pages 12000 --seed 5 --slots 8000 \
	-o "$T/t8.swt" >/dev/null
pass=0
for opts in "--threads 2" "--threads 3" "--threads 2 --split cpu" \
	"--threads 2 --dedup on --compact every=500" \
	"--threads 4 --alloc zsmalloc,ideal" "4 --threads 4 --split cpu" \
	"4 --threads 2 --split cpu" \
	"--jobs 2" "--jobs 2 --alloc zsmalloc,zbud,ideal" \
	"--jobs 3 --alloc zsmalloc,zbud --compact every=700" \
	"8 --jobs 2" "8 --jobs 2 --alloc zsmalloc,zbud,ideal"; do
	t=t.swt
	case $opts in
	4\ *) t=t4.swt; opts=${opts#4 } ;;
	8\ *) t=t8.swt; opts=${opts#8 } ;;
	esac
	# shellcheck disable=SC2086
	if "$SWAPLAB" replay "$T/$t" --codec liblz4 $opts --quiet \
		-o "$T/r.json" &&
		grep -q '"verify_failures": 0' "$T/r.json"; then
		pass=$((pass + 1))
	else
		echo "tsan: replay $opts: FAILED"
		exit 1
	fi
done
echo "tsan: replay engine, $pass thread configurations: ok"

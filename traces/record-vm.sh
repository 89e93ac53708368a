#!/bin/bash
# record-vm.sh - re-record the bundled traces: boots the VM (scripts/vm/run.sh)
# with python3 and sqlite3 in the guest, runs tests/vm/t_traces.sh (each
# workload in a cgroup-v2 with memory.max, swapping to /dev/swaplab0,
# recorded by `swaplab record --kernel`), and writes traces/NAME.swt and
# traces/NAME.md (provenance: date, kernel, memcg limit, exact command,
# recorder report, `swaplab info`).
#
#   traces/record-vm.sh [WORKLOAD...]   dict json sqlite awk (default: all);
#                                       dict-mthp: KVER=6.12..., 64 KiB mTHP on
#   env: VM_BUILD (build/vm-traces), TIMEOUT (1500), MAX_MB (20), RUN (1)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
export VM_BUILD=${VM_BUILD:-$TOP/build/vm-traces}
export SWAPLAB_WORKLOADS=1 TIMEOUT=${TIMEOUT:-1500} TRACE_WORKLOADS="$*"
OUT=${OUT:-$VM_BUILD/out}
export OUT
# RUN=0: only collect what an earlier run left in $OUT
[ "${RUN:-1}" = 0 ] || "$TOP/scripts/vm/run.sh" traces || echo "record-vm: the VM run reported a failure; keeping what came back" >&2
n=0
for swt in "$OUT"/traces-*.swt "$OUT"/share/traces-*.swt; do
	[ -f "$swt" ] || continue
	name=$(basename "$swt" .swt); name=${name#traces-}
	if [ $(stat -c %s "$swt") -gt $((${MAX_MB:-20} * 1048576)) ]; then
		echo "record-vm: $name: $(du -h "$swt" | cut -f1), over ${MAX_MB:-20} MiB: not bundled (a smaller workload or a higher memory.max in tests/vm/t_traces.sh)" >&2
		continue
	fi
	cp "$swt" "$TOP/traces/$name.swt"
	{
		echo "# $name.swt"
		echo
		echo "Recorded with \`swaplab record --kernel\` in the VM (traces/record-vm.sh,"
		echo "tests/vm/t_traces.sh; the workload's source is in tests/vm/workloads/)."
		echo
		echo '```'
		d=$(dirname "$swt")
		cat "$d/traces-$name.prov"
		echo
		cat "$d/traces-$name.rec"
		echo '```'
		echo
		echo '`swaplab info`:'
		echo
		echo '```'
		sed "s|/tmp/$name.swt|$name.swt|" "$d/traces-$name.info"
		echo '```'
	} > "$TOP/traces/$name.md"
	echo "traces/$name.swt: $(du -h "$TOP/traces/$name.swt" | cut -f1)"
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "record-vm: no trace came back" >&2; exit 1; }

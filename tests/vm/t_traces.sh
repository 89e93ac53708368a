# t_traces: not a test but a recording job (traces/record-vm.sh runs it,
# with SWAPLAB_WORKLOADS=1 so python3 and sqlite3 are in the guest): real
# programs in a cgroup-v2 with memory.max, swapping to /dev/swaplab0,
# recorded with `swaplab record --kernel`; each trace, its recorder output
# and `swaplab info` go back to the host as traces-NAME.*.
. /tests/lib.sh
load_swaplab num_devices=1 rec_buf_mb=64
setup swaplab0 lzo-rle zsmalloc 1G
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/work; mkdir -p $CG
W=/workloads
T=/sys/kernel/mm/transparent_hugepage
M=$T/hugepages-64kB	# 6.8+: 64 KiB anonymous folios (mTHP)
# rec NAME MEMORY.MAX CMD...: record one workload
rec() {
	name=$1 limit=$2
	shift 2
	echo $limit > $CG/memory.max
	{
		echo "name: $name"
		echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
		echo "kernel: $(uname -r) ($(uname -v))"
		echo "memcg: memory.max=$limit (cgroup v2), swap: /dev/swaplab0 lzo-rle zsmalloc, $(nproc) CPUs, $(grep MemTotal /proc/meminfo | tr -s ' ')"
		[ -d $M ] && echo "THP: $(cat $T/enabled); mTHP 64kB: $(cat $M/enabled); 2048kB: $(cat $T/hugepages-2048kB/enabled)"
		echo "command: $*"
	} > /tmp/$name.prov
	s=$(cut -d' ' -f1 /proc/uptime)
	[ -d $M ] && o0=$(cat $M/stats/swpout) f0=$(cat $M/stats/swpout_fallback)
	swaplab record --kernel --device swaplab0 -o /tmp/$name.swt -- \
		sh -c "echo \$\$ > $CG/cgroup.procs; exec $*" > /tmp/$name.rec 2>&1
	rc=$?
	e=$(cut -d' ' -f1 /proc/uptime)
	echo "recorder exit: $rc, $(echo "$e - $s" | bc) s" >> /tmp/$name.prov
	[ -d $M ] && echo "kernel, 64 KiB folios while recording: swpout $(( $(cat $M/stats/swpout) - o0 )), swpout_fallback $(( $(cat $M/stats/swpout_fallback) - f0 ))" >> /tmp/$name.prov
	cat /tmp/$name.prov /tmp/$name.rec
	[ $rc = 0 ] && pass "$name recorded" || fail "$name: recorder rc=$rc"
	swaplab info /tmp/$name.swt > /tmp/$name.info 2>&1
	head -12 /tmp/$name.info
	for f in prov rec info swt; do
		cp /tmp/$name.$f /mnt/host/traces-$name.$f || fail "copy $name.$f"
	done
	rm -f /tmp/$name.swt
}
# traces/record-vm.sh WORKLOAD... puts its choice in /workloads/list
list=$(cat $W/list 2> /dev/null)
for w in ${list:-dict json sqlite awk}; do
	case $w in
	dict) rec python-dict 24M /usr/bin/python3 $W/dict.py 50000 ;;
	json) rec python-json 24M /usr/bin/python3 $W/json_roundtrip.py 30000 ;;
	sqlite) rec sqlite 20M "/usr/bin/sqlite3 :memory: < $W/sqlite.sql" ;;
	awk) rec busybox-awk 16M sh $W/awk.sh 250000 ;;
	# 6.12: python-dict with 64 KiB mTHP on, its folios swapped out whole
	dict-mthp)
		[ -d $M ] || { fail "dict-mthp: no mTHP on $(uname -r)"; continue; }
		m0=$(sed 's/.*\[\(.*\)\].*/\1/' $M/enabled)
		echo always > $M/enabled
		rec python-dict-mthp 24M /usr/bin/python3 $W/dict.py 50000
		echo $m0 > $M/enabled ;;
	esac
done
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
unload_swaplab
done_test

# t_lifecycle: LIFECYCLE_CYCLES (50) x (hot_add, init, swapon, load,
# swapoff, reset, hot_remove), then rmmod; dmesg must show no WARN, BUG, oops or leak.
. /tests/lib.sh
N=${LIFECYCLE_CYCLES:-50}
load_swaplab num_devices=0
C=/sys/class/swaplab-control
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/lc; mkdir -p $CG; echo 3M > $CG/memory.max
codecs="lz4 lzo-rle zstd lzo"
i=0; bad=0
out0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
while [ $i -lt $N ]; do
	id=$(cat $C/hot_add) || { fail "hot_add $i"; break; }
	d=swaplab$id
	set -- $codecs; shift $((i % 4)); codec=${1:-lz4}
	echo $codec > /sys/block/$d/comp_algorithm
	echo 16M > /sys/block/$d/disksize || bad=$((bad + 1))
	mkswap /dev/$d > /dev/null && swapon /dev/$d || bad=$((bad + 1))
	sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 4 $i" > /tmp/lc 2>&1 || { bad=$((bad + 1)); cat /tmp/lc; }
	swapoff /dev/$d || bad=$((bad + 1))
	echo 1 > /sys/block/$d/reset || bad=$((bad + 1))
	echo $id > $C/hot_remove || bad=$((bad + 1))
	i=$((i + 1))
done
[ $bad = 0 ] && pass "$i cycles" || fail "$bad failed steps in $i cycles"
out=$(($(awk '$1 == "pswpout" { print $2 }' /proc/vmstat) - out0))
[ $out -ge $((i * 50)) ] && pass "the load swapped $out pages out over $i cycles" ||
	fail "load too light: $out pages swapped out in $i cycles"
tail -1 /tmp/lc
rmdir $CG
rmmod swaplab && pass rmmod || fail rmmod
[ -d /sys/module/swaplab ] && fail "module still loaded"
dmesg_clean
done_test

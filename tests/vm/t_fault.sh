# t_fault: the module when the kernel fails it (issue 21).  Debian's
# kernels build no CONFIG_FAULT_INJECTION, so the module's own
# fault_every=N (kmod/swaplab_fault.c) fails one in N allocations it makes.
# A write-heavy run (slfault: random overwrites and reads) and a swap-heavy
# run (a hog swapping to it) must see: no oops or WARN, every failed write
# counted in io_stat's failed_writes (the workload's own EIO count), every
# page whose write succeeded read back intact, the counters balanced after
# reset (no leak report at unload), and reset refused while it is in use.
. /tests/lib.sh
load_swaplab num_devices=1
F=/sys/module/swaplab/parameters
S=/sys/block/swaplab0
w() { sltool syswrite "$@"; }
io() { tr -s ' ' < $S/io_stat | sed 's/^ //'; }
[ -w $F/fault_every ] || { fail "no fault_every parameter"; done_test; }
expect 0 cat $F/faults_injected

# write-heavy, on the default allocator and codec, at three fault rates
for every in 97 13 3; do
	expect ok w $S/disksize 32M
	i0=$(cat $F/faults_injected)
	echo $every > $F/fault_every
	slfault /dev/swaplab0 0 30000 $every > /tmp/f 2>&1; rc=$?
	echo 0 > $F/fault_every
	inj=$(($(cat $F/faults_injected) - i0))
	out=$(cat /tmp/f); io=$(io)
	say "fault_every=$every: $out; injected $inj; io_stat $io; mm_stat $(mm swaplab0)"
	[ $rc = 0 ] && pass "every=$every: every stored page read back, no read error" ||
		fail "every=$every: exit $rc: $out"
	nf=$(echo "$out" | sed 's/.*failed=\([0-9]*\).*/\1/')
	[ "$nf" -gt 0 ] && [ "$(field 2 "$io")" = "$nf" ] && [ "$inj" -ge "$nf" ] &&
		pass "every=$every: $inj injected, $nf writes failed = failed_writes $(field 2 "$io")" ||
		fail "every=$every: injected $inj, workload failed $nf, io_stat $io"
	[ "$(field 1 "$io")" = 0 ] || fail "failed_reads: $io"
	# in use: reset and hot_remove refused, the device intact
	exec 3< /dev/swaplab0
	expect EBUSY w $S/reset 1
	expect EBUSY w /sys/class/swaplab-control/hot_remove 0
	exec 3<&-
	expect ok w $S/reset 1
done

# reset racing with I/O: every reset while the workload has the device open
# is refused; the workload is not disturbed.  A reset may succeed only once
# the workload has closed it, which is after it printed its verdict (the
# loop sees an exited but not yet reaped workload as running).
expect ok w $S/disksize 32M
slfault /dev/swaplab0 0 20000 5 > /tmp/f 2>&1 &
pid=$!
# the resets start once the workload has the device open: a reset before
# that succeeds and leaves it a device of no pages (a CI run failed so)
while kill -0 $pid 2> /dev/null &&
      ! ls -l /proc/$pid/fd 2> /dev/null | grep -q swaplab0; do
	:
done
n=0 busy=0 early=0
while kill -0 $pid 2> /dev/null; do
	r=$(w $S/reset 1); n=$((n + 1))
	[ "$r" = EBUSY ] && busy=$((busy + 1))
	if [ "$r" = ok ]; then
		grep -q '^slfault:' /tmp/f || early=1
		n=$((n - 1))
		break
	fi
done
wait $pid; rc=$?
[ $rc = 0 ] && [ $busy = $n ] && [ $early = 0 ] &&
	pass "$n resets during I/O, all EBUSY; $(cat /tmp/f)" ||
	fail "resets during I/O: $busy of $n EBUSY, early reset $early, workload exit $rc: $(cat /tmp/f)"
expect ok w $S/reset 1

# swap-heavy: a hog swaps to it while writes fail; swap keeps what it
# could not write, so the hog must find all its memory intact
expect ok w $S/disksize 128M
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/fault; mkdir -p $CG; echo 24M > $CG/memory.max
i0=$(cat $F/faults_injected)
echo 20 > $F/fault_every
sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 64 11" > /tmp/h 2>&1; rc=$?
echo 0 > $F/fault_every
inj=$(($(cat $F/faults_injected) - i0)); io=$(io)
say "swap: $(cat /tmp/h); injected $inj; io_stat $io; mm_stat $(mm swaplab0)"
[ $rc = 0 ] && pass "hog intact under faults: $(cat /tmp/h)" || fail "hog: $(cat /tmp/h)"
[ "$inj" -gt 0 ] && [ "$(field 2 "$io")" -gt 0 ] &&
	pass "swap: $inj injected, $(field 2 "$io") failed writes counted" ||
	fail "swap: injected $inj, io_stat $io"
expect EBUSY w $S/reset 1
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
m=$(mm swaplab0)
[ "$(field 10 "$m")" -le 1 ] && pass "after swapoff: $(field 10 "$m") slot left (the header)" ||
	fail "after swapoff: $m"
expect ok w $S/reset 1
say "dmesg lines of the injected failures: $(dmesg | grep -c 'Write-error on swap-device')"
# the pools are empty: rmmod reports any page still held as a leak
unload_swaplab
dmesg_clean
done_test

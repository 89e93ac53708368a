# t_record: `swaplab record --kernel` round trip.  A hog in a cgroup-v2
# with memory.max writes pages that say what they are; swap takes them to
# /dev/swaplab0; the recorder writes the trace; rechog checks that every
# store in it is a page the hog wrote, byte for byte, in the order the hog
# wrote each page's versions, that every load reads an occupied slot, and
# that the trace holds as many stores and loads as the device did, with
# nothing lost or dropped.
. /tests/lib.sh
MB=${RECORD_MB:-160}
load_swaplab num_devices=1 rec_buf_mb=64
setup swaplab0 lzo-rle zsmalloc 512M
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/rechog; mkdir -p $CG; echo 64M > $CG/memory.max
io() { cat /sys/block/swaplab0/io_stat | tr -s ' ' | sed 's/^ //'; }
up() { cut -d' ' -f1 /proc/uptime; }
hog() { sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog $MB $1"; }
# the benchmark: the same hog without recording first, same boot
io0=$(io); s0=$(up)
hog 8 > /tmp/hog0.out 2>&1 || fail "hog without recording"
s1=$(up); io1=$(io)
w0=$(( $(field 6 "$io1") - $(field 6 "$io0") ))
rate0=$(echo "$w0 / ($s1 - $s0)" | bc)
say "recording off: $w0 swap-outs in $(echo "$s1 - $s0" | bc) s: $rate0 pages/s"
io0=$(io)
s0=$(up)
swaplab record --kernel --device swaplab0 -o /tmp/rec.swt -- \
	sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog $MB 7" > /tmp/rec.out 2>&1
rc=$?
s1=$(up)
io1=$(io)
cat /tmp/rec.out
[ $rc = 0 ] && pass "record --kernel exit 0 (nothing lost or dropped)" || fail "record --kernel rc=$rc"
grep -q 'mismatches=0 ' /tmp/rec.out && pass "hog read back every page" || fail "hog mismatches"
grep -q ' lost 0 (trace buffer reported 0)' /tmp/rec.out && pass "0 events lost" || fail "events lost"
grep -q 'pages dropped 0 (module: 0 ' /tmp/rec.out && pass "0 pages dropped" || fail "pages dropped"
writes=$(( $(field 6 "$io1") - $(field 6 "$io0") ))
reads=$(( $(field 5 "$io1") - $(field 5 "$io0") ))
rate=$(echo "$writes / ($s1 - $s0)" | bc)
say "device during recording: $writes writes, $reads reads in $(echo "$s1 - $s0" | bc) s"
say "RECORD_RATE on=$rate off=$rate0 pages/s share=$(echo "100 * $rate / $rate0" | bc)%"
rechog check /tmp/rec.swt 7 > /tmp/check.out 2>&1
crc=$?
cat /tmp/check.out
[ $crc = 0 ] && pass "every stored page is the hog's, in order" || fail "rechog check rc=$crc"
set -- $(sed -n 's/^rechog check: stores=\([0-9]*\) loads=\([0-9]*\) .*/\1 \2/p' /tmp/check.out)
[ "${1:-0}" -gt 10000 ] && pass "$1 stores recorded" || fail "only ${1:-0} stores"
[ "${1:-0}" = "$writes" ] && pass "stores = device writes ($writes)" || fail "stores ${1:-?} != device writes $writes"
[ "${2:-0}" = "$reads" ] && pass "loads = device reads ($reads)" || fail "loads ${2:-?} != device reads $reads"
swaplab info /tmp/rec.swt | head -30
rm -f /tmp/rec.swt
# a killed recorder leaves its tracefs instance and kprobes behind; the
# next recorder removes them
swaplab record --kprobes --duration 60 -o /tmp/k9.swt > /dev/null 2>&1 &
k9=$!
sleep 3
kill -9 $k9
wait $k9 2> /dev/null
ls $T/instances | grep -q '^swaplab_record_' && pass "killed recorder left an instance" ||
	say "killed recorder left no instance"
# --kprobes on the same swap device: no module events, no contents
io0=$(io)
swaplab record --kprobes -o /tmp/kp.swt -- \
	sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog 96 9" > /tmp/kp.out 2>&1
rc=$?
io1=$(io)
cat /tmp/kp.out
[ $rc = 0 ] && pass "record --kprobes exit 0" || fail "record --kprobes rc=$rc"
writes=$(( $(field 6 "$io1") - $(field 6 "$io0") ))
reads=$(( $(field 5 "$io1") - $(field 5 "$io0") ))
swaplab info /tmp/kp.swt > /tmp/kp.info 2>&1 || fail "info on the kprobes trace"
head -8 /tmp/kp.info
set -- $(sed -n 's/^events: *[0-9]*: \([0-9]*\) store, \([0-9]*\) load, \([0-9]*\) free.*/\1 \2 \3/p' /tmp/kp.info)
[ "${2:-0}" = "$reads" ] && pass "kprobes: loads = device reads ($reads)" || fail "kprobes: loads ${2:-?} != device reads $reads"
# 6.12: PG_head and a folio's order moved, swap_range_free is inlined
# (swap_entry_range_free is probed): the same counts as on 6.1
[ "${1:-0}" -gt 10000 ] && [ "$1" = "$writes" ] && pass "kprobes: stores = device writes ($writes)" || fail "kprobes: stores ${1:-?} != device writes $writes"
nf=$(( $(field 4 "$io1") - $(field 4 "$io0") ))
[ "${3:-0}" -gt 0 ] && [ "$3" = "$nf" ] && pass "kprobes: frees = device slot-free notifications ($nf)" ||
	fail "kprobes: frees ${3:-?} != device notify_free $nf"
say "kprobes on $KV: stores ${1:-?} (device writes $writes), loads ${2:-?} (reads $reads), frees ${3:-?} (device notify_free $nf)"
swaplab replay /tmp/kp.swt --codec lz4 -o /tmp/kp.json > /tmp/kp.replay 2>&1
[ $? = 2 ] && pass "replay refuses the no-content trace" || fail "replay of a no-content trace: $(cat /tmp/kp.replay)"
rm -f /tmp/kp.swt
ls $T/instances | grep -q '^swaplab_record_' && fail "stale instances: $(ls $T/instances)" ||
	pass "no recorder instance left behind"
grep -q swaplab_kp $T/kprobe_events && fail "kprobes left: $(cat $T/kprobe_events)" ||
	pass "no kprobe left behind"
# a trace-cmd recording of the events, for `import trace-dat` on the host
if command -v trace-cmd > /dev/null; then
	trace-cmd record -q -e swaplab -o /x/record-trace.dat -- \
		sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog 80 10" > /tmp/tc.out 2>&1 &&
		pass "trace-cmd record" || fail "trace-cmd record: $(tail -3 /tmp/tc.out)"
	ls -la /x/record-trace.dat
	cp /x/record-trace.dat /mnt/host/ 2> /dev/null
fi
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
unload_swaplab
dmesg_clean
done_test

# t_folio: the kernel recorders keep large folios (issue 22).  On 6.12
# with 64 KiB mTHP "always", the hog's anonymous memory faults in as
# 64 KiB folios, and reclaim writes each whole, as one bio to 16 aligned
# slots of /dev/swaplab0 (non-rotational: swap clusters, order-4 slots).
# `record --kernel` writes them as folios of order 4 (format v2); their
# count is held against the kernel's own count (hugepages-64kB/stats/
# swpout) and `rechog check` verifies that each folio's 16 pages are 16
# consecutive pages of the hog.  THP is left as the kernel has it (Debian:
# "always"), so 2 MiB THPs go out whole too (order 9, counted against
# vmstat's thp_swpout).  With 64 KiB mTHP and 2 MiB THP off: no folio at
# all.  `record --kprobes` (the folio's order from __swap_writepage) sees
# the same folios, and as many loads as the device's reads (6.12 swaps a
# large folio in whole: one swap_read_folio, 2^order loads).
#
# 6.1 has no mTHP (6.8+), but a 2 MiB THP goes out whole there too (one
# bio: ->rw_page refuses it): the order-9 folios are checked against
# thp_swpout (not aligned in the hog: 6.1 does not align its mapping).
. /tests/lib.sh
M=/sys/kernel/mm/transparent_hugepage/hugepages-64kB
load_swaplab num_devices=1 rec_buf_mb=64
setup swaplab0 lzo-rle zsmalloc 512M
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/foliohog; mkdir -p $CG; echo 64M > $CG/memory.max
P=/sys/kernel/mm/transparent_hugepage/hugepages-2048kB
[ -d $P ] || P=/sys/kernel/mm/transparent_hugepage	# 6.1: THP only
[ -d $M ] && mode0=$(sed 's/.*\[\(.*\)\].*/\1/' $M/enabled)
pmd0=$(sed 's/.*\[\(.*\)\].*/\1/' $P/enabled)
say "THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled); 2 MiB: $(cat $P/enabled)"
# mstat NAME: the 64 KiB folios' counter NAME, 0 without mTHP
mstat() { [ -d $M ] && cat $M/stats/$1 || echo 0; }
io() { cat /sys/block/swaplab0/io_stat | tr -s ' ' | sed 's/^ //'; }
# n4, n9 FILE: order-4 and order-9 folios in a trace, by `swaplab info`
n4() { sed -n 's/^folios: *\([0-9]*\) of order 4 .*/\1/p' $1; }
n9() { sed -n 's/^folios:.* \([0-9]*\) of order 9 .*/\1/p' $1; }
thp() { sed -n 's/^thp_swpout \(.*\)/\1/p' /proc/vmstat; }
# rec MODE SEED KIND: record the hog with 64 KiB mTHP MODE
rec() {
	[ -d $M ] && echo $1 > $M/enabled
	s0=$(mstat swpout)
	f0=$(mstat swpout_fallback)
	t0=$(thp)
	io0=$(io)
	swaplab record $3 -o /tmp/f$2.swt -- \
		sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog 96 $2" > /tmp/f$2.out 2>&1
	rc=$?
	swpout=$(( $(mstat swpout) - s0 ))
	thpout=$(( $(thp) - t0 ))
	io1=$(io)
	reads=$(( $(field 5 "$io1") - $(field 5 "$io0") ))
	fallback=$(( $(mstat swpout_fallback) - f0 ))
	cat /tmp/f$2.out
	[ $rc = 0 ] && pass "record $3 (mTHP $1) exit 0" || fail "record $3 (mTHP $1) rc=$rc"
	swaplab info /tmp/f$2.swt > /tmp/f$2.info 2>&1 || fail "info: $(cat /tmp/f$2.info)"
	grep -E '^(trace|events|folios):' /tmp/f$2.info
	say "mTHP $1, record $3: kernel 64 KiB swpout $swpout, fallback $fallback, thp_swpout $thpout; trace: $(n4 /tmp/f$2.info) folios of order 4, $(n9 /tmp/f$2.info) of order 9"
}
echo always > $P/enabled
rec always 21 --kernel
grep -q '(format v2' /tmp/f21.info && pass "kernel trace is format v2" || fail "not v2"
n=$(n4 /tmp/f21.info)
if [ -d $M ]; then
	[ "${n:-0}" -gt 100 ] && pass "$n order-4 folios recorded with mTHP on" || fail "only ${n:-0} order-4 folios with mTHP on"
	[ "${n:-0}" -le "$swpout" ] && [ "${n:-0}" -ge $((swpout * 9 / 10)) ] &&
		pass "folios recorded $n, kernel swpout $swpout (>= 90%)" || fail "folios recorded ${n:-0}, kernel swpout $swpout"
fi
n9=$(n9 /tmp/f21.info)
[ "${n9:-0}" = "$thpout" ] && pass "2 MiB folios recorded ${n9:-0} = thp_swpout" || fail "2 MiB folios ${n9:-0}, thp_swpout $thpout"
[ -d $M ] || [ "${n9:-0}" -gt 0 ] || fail "6.1: no 2 MiB folio recorded"
rechog check /tmp/f21.swt 21 > /tmp/c21.out 2>&1
crc=$?
cat /tmp/c21.out
[ $crc = 0 ] && pass "every folio is 16 consecutive pages of the hog" || fail "rechog check rc=$crc"
al=0
[ -d $M ] || al=${n9:-0}	# 6.1 does not align the hog's mapping
grep -q "folios=$((${n:-0} + ${n9:-0})) folio_bad=0 folio_unaligned=$al " /tmp/c21.out &&
	pass "rechog counts the same $((${n:-0} + ${n9:-0})) folios, $al unaligned" || fail "rechog folio count"
swaplab replay --quiet --chunk folio --codec lz4 /tmp/f21.swt -o /tmp/f21.json > /tmp/r21.out 2>&1 &&
	pass "replay --chunk folio of the recorded trace" || fail "replay --chunk folio: $(tail -3 /tmp/r21.out)"
cp /tmp/f21.swt /tmp/f21.info /tmp/f21.out /mnt/host/ 2> /dev/null
rm -f /tmp/f21.swt /tmp/f21.json
echo never > $P/enabled
rec never 22 --kernel
echo $pmd0 > $P/enabled
grep -q '^folios: *none' /tmp/f22.info && [ "$swpout" = 0 ] && [ "$thpout" = 0 ] &&
	pass "mTHP and THP off: no folio recorded, kernel swpout 0" || fail "off: $(grep ^folios: /tmp/f22.info), swpout $swpout, thp_swpout $thpout"
rm -f /tmp/f22.swt
echo always > $P/enabled
rec always 23 --kprobes
echo $pmd0 > $P/enabled
n=$(n4 /tmp/f23.info)
n9=$(n9 /tmp/f23.info)
[ -d $M ] && { [ "${n:-0}" -gt 100 ] && [ "${n:-0}" = "$swpout" ] &&
	pass "kprobes: $n order-4 folios = kernel swpout" || fail "kprobes: ${n:-0} folios, kernel swpout $swpout"; }
[ "${n9:-0}" = "$thpout" ] && pass "kprobes: ${n9:-0} 2 MiB folios = thp_swpout" || fail "kprobes: 2 MiB folios ${n9:-0}, thp_swpout $thpout"
set -- $(sed -n 's/^events: *[0-9]*: \([0-9]*\) store, \([0-9]*\) load.*/\1 \2/p' /tmp/f23.info)
[ "${2:-0}" = "$reads" ] && pass "kprobes: loads = device reads ($reads), large folios read whole" ||
	fail "kprobes: loads ${2:-?} != device reads $reads"
rm -f /tmp/f23.swt
[ -d $M ] && echo $mode0 > $M/enabled
echo $pmd0 > $P/enabled
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
unload_swaplab
dmesg_clean
done_test

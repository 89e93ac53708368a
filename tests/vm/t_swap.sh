# t_swap: a hog in a cgroup-v2 with memory.max writes checksummed pages,
# gets swapped to /dev/swaplab0 and verifies every page on the way back;
# mm_stat must follow what swap did (slots freed by swap-free notify).
. /tests/lib.sh
load_swaplab num_devices=1
setup swaplab0 lzo-rle zsmalloc:kernel=6.1 512M
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
cat /proc/swaps
out0=$(awk '$1 == "pswpout" { print $2 }' /proc/vmstat)
in0=$(awk '$1 == "pswpin" { print $2 }' /proc/vmstat)
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/hog; mkdir -p $CG; echo 64M > $CG/memory.max
( while :; do echo "$(awk 'NR == 2 { print $4 }' /proc/swaps) $(mm swaplab0)"; sleep 1; done > /tmp/samples ) &
sampler=$!
sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 128 5" > /tmp/hog 2>&1
rc=$?
kill $sampler
cat /tmp/hog
[ $rc = 0 ] && pass "hog: 0 mismatches" || fail "hog rc=$rc"
out=$(( $(awk '$1 == "pswpout" { print $2 }' /proc/vmstat) - out0 ))
in=$(( $(awk '$1 == "pswpin" { print $2 }' /proc/vmstat) - in0 ))
m=$(mm swaplab0); io=$(cat /sys/block/swaplab0/io_stat | tr -s ' ' | sed 's/^ //')
say "pswpout=$out pswpin=$in"
say "mm_stat after: $m"
say "io_stat after: $io"
say "samples (swap used KiB | mm_stat), peak:"; sort -n -k2 /tmp/samples | tail -1
[ $out -gt 10000 ] && pass "swapped out $out pages" || fail "only $out pages swapped out"
writes=$(field 6 "$io"); reads=$(field 5 "$io")
[ "$writes" -ge "$out" ] && pass "device writes $writes >= pswpout $out" || fail "device writes $writes < pswpout $out"
[ "$reads" -ge "$in" ] && pass "device reads $reads >= pswpin $in" || fail "device reads $reads < pswpin $in"
[ "$(field 1 "$io")" = 0 ] || fail "failed_reads: $io"
# every slot swap wrote was freed by swap-free notify, except the header
# page and what still sits in the per-CPU swap-slot caches (64 per CPU)
stored=$(field 10 "$m"); nf=$(field 4 "$io")
[ "$stored" -le $((1 + 64 * $(nproc))) ] && pass "slots freed after exit: $stored left" ||
	fail "pages_stored $stored after hog exit"
[ $((nf + stored)) -ge "$out" ] && pass "notify_free $nf + stored $stored >= pswpout $out" ||
	fail "notify_free $nf + stored $stored < pswpout $out"
peak=$(sort -n -k2 /tmp/samples | tail -1)
set -- $peak
[ -n "$2" ] && [ "$2" -gt 0 ] && [ "$3" -le "$4" ] && [ "$4" -le "$6" ] &&
	[ "$2" -le $(($1 * 1024 + 4096 * 129)) ] &&
	pass "peak sample consistent: swap used $1 KiB, orig $2 compr $3 used $4 max $6" ||
	fail "peak sample: $peak"
swapoff /dev/swaplab0 || fail swapoff
say "mm_stat after swapoff: $(mm swaplab0)"
rmdir $CG
unload_swaplab
dmesg_clean
done_test

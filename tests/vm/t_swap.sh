# t_swap: hogs in a cgroup-v2 with memory.max write checksummed pages, get
# swapped to /dev/swaplab0 and verify every page on the way back; mm_stat
# must follow what swap did (slots freed by swap-free notify).  Run 1: one
# hog, lzo-rle on the 6.1 zsmalloc model.  Run 2: two hogs at once (both
# vCPUs swapping), zstd on zbud with dedup, pages repeating every 512.
. /tests/lib.sh
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/hog; mkdir -p $CG
vm() { awk -v k=$1 '$1 == k { print $2 }' /proc/vmstat; }

# run CODEC ALLOC DEDUP HOGS MB_EACH MEMCG_MAX
run() {
	say "== $1 x $2, dedup $3: $4 hog(s) of $5 MB in memory.max $6"
	load_swaplab num_devices=1
	echo $3 > /sys/block/swaplab0/dedup
	setup swaplab0 $1 $2 512M
	mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
	echo $6 > $CG/memory.max
	out0=$(vm pswpout); in0=$(vm pswpin)
	( while :; do echo "$(awk 'NR == 2 { print $4 }' /proc/swaps) $(mm swaplab0)"; sleep 1; done > /tmp/samples ) &
	sampler=$!
	pids=
	for h in $(seq $4); do
		sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog $5 $h" > /tmp/hog$h 2>&1 &
		pids="$pids $!"
	done
	h=1
	for p in $pids; do
		wait $p && pass "hog $h: $(cat /tmp/hog$h)" || fail "hog $h: $(cat /tmp/hog$h)"
		h=$((h + 1))
	done
	kill $sampler
	out=$(($(vm pswpout) - out0)); in=$(($(vm pswpin) - in0))
	m=$(mm swaplab0); io=$(cat /sys/block/swaplab0/io_stat | tr -s ' ' | sed 's/^ //')
	say "pswpout=$out pswpin=$in"
	say "mm_stat after: $m"
	say "io_stat after: $io"
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
	say "peak sample (swap used KiB | mm_stat): $peak"
	set -- $peak
	# /proc/swaps and mm_stat are read one after the other while the hog
	# runs, so allow what the swap-slot caches hold plus a few percent of
	# skew between the two reads (a loaded host slows the guest's reader)
	[ -n "$2" ] && [ "$2" -gt 0 ] && [ "$3" -le "$4" ] && [ "$4" -le "$6" ] &&
		[ "$2" -le $(($1 * 1024 * 105 / 100 + 4096 * 129)) ] &&
		pass "peak sample consistent: swap used $1 KiB, orig $2 compr $3 used $4 max $6" ||
		fail "peak sample: $peak"
	[ "$DEDUP_RUN" = 1 ] && { [ "${12}" -gt 0 ] && pass "dedup_pages at peak: ${12}" || fail "no dedup at peak"; }
	swapoff /dev/swaplab0 || fail swapoff
	say "mm_stat after swapoff: $(mm swaplab0)"
	unload_swaplab
}
DEDUP_RUN=0 run lzo-rle zsmalloc:kernel=6.1 0 1 128 64M
SLTOOL_DUP=512 DEDUP_RUN=1 run zstd zbud 1 2 64 64M
rmdir $CG
dmesg_clean
done_test

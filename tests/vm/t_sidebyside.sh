# t_sidebyside: the same pages on zram0 and on swaplab0 with the 6.1
# zsmalloc model and the same codec; mm_stat rows printed together.  The
# codec is the kernel's own in both, so compressed sizes must agree.
. /tests/lib.sh
load_swaplab num_devices=1
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
hdr="orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since [pages_stored huge_threshold]"
for codec in lz4 lzo-rle zstd; do
	zram_offers $codec || continue
	setup zram0 $codec "" 64M
	setup swaplab0 $codec $ZS 64M
	for d in zram0 swaplab0; do
		sltool fill /dev/$d 12000 77 > /dev/null || fail "fill $d"
		sltool verify /dev/$d 12000 77 > /dev/null || fail "verify $d"
	done
	z=$(mm zram0); s=$(mm swaplab0)
	say "== $codec: $hdr"
	say "zram0     $z"
	say "swaplab0  $s"
	for f in 1 2 6 8; do
		[ "$(field $f "$z")" = "$(field $f "$s")" ] && pass "$codec field $f equal: $(field $f "$z")" ||
			fail "$codec field $f: zram $(field $f "$z") swaplab $(field $f "$s")"
	done
	say "$codec mem_used_total zram/swaplab: $(field 3 "$z") / $(field 3 "$s")"
	echo 1 > /sys/block/zram0/reset
	echo 1 > /sys/block/swaplab0/reset
done
# the same hog swapping to each device in turn (lz4): peak rows together;
# swap is not deterministic, so these are printed, not compared
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/sbs; mkdir -p $CG; echo 32M > $CG/memory.max
for d in zram0 swaplab0; do
	a=; [ $d = swaplab0 ] && a=$ZS
	setup $d lz4 "$a" 256M
	mkswap /dev/$d > /dev/null && swapon /dev/$d || fail "swapon $d"
	( while :; do echo "$(mm $d)"; sleep 1; done > /tmp/s_$d ) &
	sp=$!
	sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 64 3" > /tmp/h_$d 2>&1 || fail "hog on $d: $(cat /tmp/h_$d)"
	kill $sp
	swapoff /dev/$d
	echo 1 > /sys/block/$d/reset
done
say "== swap, lz4, hog 64M in 32M memcg, peak mm_stat: $hdr"
say "zram0     $(sort -n -k1 /tmp/s_zram0 | tail -1)"
say "swaplab0  $(sort -n -k1 /tmp/s_swaplab0 | tail -1)"
rmdir $CG
unload_swaplab
done_test

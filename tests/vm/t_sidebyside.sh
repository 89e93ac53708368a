# t_sidebyside: the same pages on zram0 and on swaplab0 with the 6.1
# zsmalloc model and the same codec; mm_stat rows printed together.  The
# codec is the kernel's own in both, so compressed sizes must agree.
. /tests/lib.sh
load_swaplab num_devices=1
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
hdr="orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages pages_compacted huge_pages huge_pages_since [pages_stored huge_threshold]"
for codec in lz4 lzo-rle zstd; do
	setup zram0 $codec "" 64M
	setup swaplab0 $codec zsmalloc:kernel=6.1 64M
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
unload_swaplab
done_test

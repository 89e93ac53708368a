# t_features: zram's recompression and writeback on swaplab0.  Pages
# written with lzo, marked idle, some read again (no longer idle), the rest
# recompressed with zstd; then huge and idle pages written back to zram0
# as the backing device, also under swap; every page must read back
# intact and the pool must shrink.
. /tests/lib.sh
load_swaplab num_devices=1
S=/sys/block/swaplab0
expect ok sltool syswrite $S/comp_algorithm lzo
expect EINVAL sltool syswrite $S/recomp_algorithm "algo=nosuch"
expect EINVAL sltool syswrite $S/recomp_algorithm "algo=zstd priority=9"
expect EINVAL sltool syswrite $S/recomp_algorithm "codec=zstd"
expect ok sltool syswrite $S/recomp_algorithm "algo=zstd priority=1"
grep -q '^#1: .*\[zstd\]' $S/recomp_algorithm && pass "recomp_algorithm shows #1 [zstd]" ||
	fail "recomp_algorithm: $(cat $S/recomp_algorithm)"
expect EINVAL sltool syswrite $S/idle all
expect EINVAL sltool syswrite $S/recompress ""
expect ok sltool syswrite $S/disksize 64M
expect EBUSY sltool syswrite $S/recomp_algorithm "algo=lz4"
expect EINVAL sltool syswrite $S/recompress "type=cold"
expect EINVAL sltool syswrite $S/idle some
sltool fill /dev/swaplab0 8000 31 > /dev/null || fail "fill"
m0=$(mm swaplab0)
expect ok sltool syswrite $S/idle all
# the first 2000 pages are read again: no longer idle
sltool verify /dev/swaplab0 2000 31 > /dev/null || fail "read back"
expect ok sltool syswrite $S/recompress type=idle
m1=$(mm swaplab0)
say "before: $m0"
say "after:  $m1"
rec=$(field 14 "$m1"); saved=$(field 15 "$m1")
[ "$rec" -gt 0 ] && [ "$saved" -gt 0 ] &&
	pass "recompressed $rec idle pages, $saved bytes saved" ||
	fail "nothing recompressed: $m1"
[ "$(field 2 "$m1")" -eq $(( $(field 2 "$m0") - saved )) ] &&
	pass "compr_data_size fell by the bytes saved: $(field 2 "$m0") -> $(field 2 "$m1")" ||
	fail "compr_data_size $(field 2 "$m0") -> $(field 2 "$m1"), saved $saved"
sltool verify /dev/swaplab0 8000 31 > /tmp/v || fail "verify: $(cat /tmp/v)"
pass "every page intact: $(cat /tmp/v)"
# a second pass finds nothing new among the idle ones
expect ok sltool syswrite $S/recompress type=idle
[ "$(field 14 "$(mm swaplab0)")" -eq "$rec" ] && pass "second pass: no page twice" ||
	fail "second pass recompressed again: $(mm swaplab0)"
# all slots, huge ones included: the rest of the pages
expect ok sltool syswrite $S/recompress ""
rec2=$(field 14 "$(mm swaplab0)")
[ "$rec2" -gt "$rec" ] && pass "type=all took the recently read ones too: $rec2" ||
	fail "type=all: $(mm swaplab0)"
sltool verify /dev/swaplab0 8000 31 > /tmp/v || fail "verify after all: $(cat /tmp/v)"
# recomp_algorithm is kept across reset, the counters are not
expect ok sltool syswrite $S/reset 1
expect ok sltool syswrite $S/disksize 16M
[ "$(field 14 "$(mm swaplab0)")" -eq 0 ] && pass "counters reset" || fail "counters after reset: $(mm swaplab0)"
expect ok sltool syswrite $S/reset 1

# --- writeback to a backing block device (zram0 here), as zram's ---
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
setup zram0 lz4 "" 64M
expect ENOENT sltool syswrite $S/backing_dev /dev/nosuch
expect none cat $S/backing_dev
expect ok sltool syswrite $S/backing_dev /dev/zram0
expect /dev/zram0 cat $S/backing_dev
expect ok sltool syswrite $S/disksize 64M
expect EBUSY sltool syswrite $S/backing_dev none
expect EINVAL sltool syswrite $S/writeback cold
sltool fill /dev/swaplab0 8000 41 > /dev/null || fail "fill"
m0=$(mm swaplab0); huge=$(field 8 "$m0")
expect "0 0 0" sh -c "tr -s ' ' < $S/bd_stat | sed 's/^ //'"
expect ok sltool syswrite $S/writeback huge
b1=$(tr -s ' ' < $S/bd_stat | sed 's/^ //'); m1=$(mm swaplab0)
[ "$huge" -gt 0 ] && [ "$(field 1 "$b1")" -eq "$huge" ] && [ "$(field 3 "$b1")" -eq "$huge" ] &&
	[ "$(field 8 "$m1")" -eq 0 ] &&
	pass "writeback huge: $huge pages to zram0 (bd_stat $b1), none huge left" ||
	fail "writeback huge: huge $huge, bd_stat $b1, mm_stat $m1"
[ "$(field 3 "$m1")" -lt "$(field 3 "$m0")" ] &&
	pass "pool shrank: $(field 3 "$m0") -> $(field 3 "$m1")" || fail "pool: $m0 -> $m1"
expect ok sltool syswrite $S/idle all
sltool verify /dev/swaplab0 3000 41 > /dev/null || fail "read back the first 3000"
expect ok sltool syswrite $S/writeback idle
b2=$(tr -s ' ' < $S/bd_stat | sed 's/^ //')
[ "$(field 1 "$b2")" -gt "$(field 1 "$b1")" ] &&
	pass "writeback idle: bd_count $(field 1 "$b1") -> $(field 1 "$b2")" ||
	fail "writeback idle: $b1 -> $b2"
sltool verify /dev/swaplab0 8000 41 > /tmp/v || fail "verify: $(cat /tmp/v)"
b3=$(tr -s ' ' < $S/bd_stat | sed 's/^ //')
[ "$(field 2 "$b3")" -gt 0 ] &&
	pass "every page intact, $(field 2 "$b3") read from zram0: $(cat /tmp/v)" ||
	fail "no backing reads: $b3"
# rewritten and freed slots give their blocks back
sltool fill /dev/swaplab0 8000 42 > /dev/null || fail "refill"
sltool verify /dev/swaplab0 8000 42 > /dev/null || fail "verify refill"
expect 0 sh -c "tr -s ' ' < $S/bd_stat | sed 's/^ //' | cut -d' ' -f1"
# swap on it, with pages written back while it is in use
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/feat; mkdir -p $CG; echo 24M > $CG/memory.max
sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 64 5" > /tmp/h 2>&1 &
hog=$!
sleep 3
expect ok sltool syswrite $S/idle all
expect ok sltool syswrite $S/writeback idle
wait $hog && pass "hog verified with writeback under it: $(tail -1 /tmp/h)" ||
	fail "hog: $(cat /tmp/h)"
say "bd_stat during swap: $(cat $S/bd_stat)"
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
# reset releases the backing device: zram0 can be reset, writeback says ENODEV
expect ok sltool syswrite $S/reset 1
expect none cat $S/backing_dev
expect ok sltool syswrite /sys/block/zram0/reset 1
expect ok sltool syswrite $S/disksize 16M
expect ENODEV sltool syswrite $S/writeback huge
expect ok sltool syswrite $S/reset 1
unload_swaplab
dmesg_clean
done_test

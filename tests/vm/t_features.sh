# t_features: zram's recompression on swaplab0 (recomp_algorithm, idle,
# recompress) and a live mem_limit: pages written with lzo, marked idle,
# some read again (no longer idle), the rest recompressed with zstd; every
# page must read back intact and the pool must shrink.
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
unload_swaplab
dmesg_clean
done_test

# t_stat: swaplab stat decodes the live counters of zram0 and swaplab0
# (issue 20): the figures it prints are mm_stat's, its deltas follow the
# pages written between two samples, and a device that is not zram or
# swaplab, or not initialised, is one error line and exit 2.
. /tests/lib.sh
command -v swaplab > /dev/null || { fail "no static swaplab in the initramfs"; done_test; }
load_swaplab num_devices=1
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
# uninitialised: refused
swaplab stat /dev/swaplab0 > /tmp/o 2> /tmp/e
[ $? = 2 ] && grep -q "not initialised" /tmp/e && [ "$(wc -l < /tmp/e)" = 1 ] &&
	pass "stat of an uninitialised device: exit 2, one line" || fail "uninit: $(cat /tmp/e)"
swaplab stat /dev/null > /tmp/o 2> /tmp/e
[ $? = 2 ] && grep -q "not a zram or swaplab device" /tmp/e &&
	pass "stat /dev/null: exit 2" || fail "/dev/null: $(cat /tmp/e)"
setup zram0 lz4 "" 16M
setup swaplab0 lz4 zsmalloc 16M
# text pages on both: compressible, not same-filled
i=0
while [ $i -lt 200 ]; do echo "line $i of the stat test, some text to compress"; i=$((i + 1)); done > /tmp/txt
for d in zram0 swaplab0; do
	dd if=/tmp/txt of=/dev/$d bs=4096 count=1 conv=sync 2> /dev/null
	for n in 1 2 3 4 5 6 7; do
		cat /tmp/txt /tmp/txt | dd of=/dev/$d bs=4096 seek=$n count=1 \
			conv=sync,notrunc oflag=direct 2> /dev/null
	done
done
sync
for d in zram0 swaplab0; do
	swaplab stat /dev/$d > /tmp/o 2>&1 || fail "stat $d: $(cat /tmp/o)"
	cat /tmp/o
	orig=$(field 1 "$(mm $d)")
	grep -q "^$d: lz4, disksize 16.0 MiB" /tmp/o && pass "$d: codec and disksize" ||
		fail "$d header: $(head -1 /tmp/o)"
	swaplab stat /dev/$d --json > /tmp/j 2>&1
	grep -q "\"orig_data_size\":$orig[,}]" /tmp/j && [ "$orig" -gt 0 ] &&
		pass "$d: json orig_data_size is mm_stat's ($orig)" || fail "$d json: $(cat /tmp/j)"
	grep -q '"effective_ratio":' /tmp/j && pass "$d: effective ratio" || fail "$d: no eff"
done
# deltas: write between two samples of one stat run
( sleep 1; cat /tmp/txt /tmp/txt | dd of=/dev/swaplab0 bs=4096 seek=20 count=1 \
	conv=sync,notrunc oflag=direct 2> /dev/null ) &
swaplab stat swaplab0 --interval 2 --count 2 --json > /tmp/d 2>&1
wait
tail -1 /tmp/d | grep -q '"delta":{[^}]*"orig_data_size":4096' &&
	pass "delta: one page stored between samples" || fail "delta: $(cat /tmp/d)"
swaplab stat --interval 0.2 --count 2 > /tmp/o 2>&1 &&
	[ "$(grep -c '^ *[0-9.]* \(zram0\|swaplab0\) ' /tmp/o)" = 4 ] &&
	pass "every initialised device, one line a sample" || fail "all: $(cat /tmp/o)"
# a replay into the device records its (sampled) peak for report
echo 1 > /sys/block/zram0/reset
swaplab gen --profile realistic --pages 600 --seed 4 -o /tmp/t.swt > /dev/null 2>&1
swaplab replay /tmp/t.swt --codec lz4 --target /dev/zram0 -o /tmp/tr.json \
	--quiet > /tmp/o 2>&1 || fail "replay --target: $(cat /tmp/o)"
swaplab report /tmp/tr.json > /tmp/o 2>&1
cat /tmp/o
grep -q "^at peak (op [0-9]* of [0-9]*), sampled every [0-9]* ops" /tmp/o &&
	grep -q "^lz4[^ ]* .* [1-9][0-9.]*  *[0-9.]*[1-9][0-9.]* " /tmp/o &&
	pass "a --target run reports its sampled peak" || fail "target peak: $(cat /tmp/o)"
for d in zram0 swaplab0; do echo 1 > /sys/block/$d/reset; done
unload_swaplab
dmesg_clean
done_test

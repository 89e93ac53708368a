# t_dict: a dictionary from `swaplab dict train` loads into 6.12's zram as
# it is (algorithm_params dict=), and swaplab's kernel codecs with that
# dictionary (zstd@6.12:dict=FILE, lz4, lz4hc) give zram's compressed
# length for every page, as do levels alone (algorithm_params level=).
# 6.12's lz4 backend fails every write with a dictionary over 64 KiB:
# shown on zram itself, and refused by swaplab.  On 6.1 (no
# algorithm_params) a dictionary or level for zram is refused in one line.
. /tests/lib.sh
command -v swaplab > /dev/null || { fail "no static swaplab in the initramfs"; done_test; }
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
Z=/sys/block/zram0
swaplab gen --profile realistic --pages 3000 --seed 5 -o /tmp/dict.swt \
	> /dev/null || fail "gen"
swaplab dict train /tmp/dict.swt -o /tmp/d64.dict --kernel $KV > /tmp/dict.txt 2>&1 ||
	fail "dict train: $(cat /tmp/dict.txt)"
swaplab dict train /tmp/dict.swt --size 16K -o /tmp/d16.dict > /dev/null 2>&1 ||
	fail "dict train 16K"
swaplab dict train /tmp/dict.swt --size 100K -o /tmp/d100.dict > /dev/null 2>&1 ||
	fail "dict train 100K"
cat /tmp/dict.txt
if [ $KV = 6.1 ]; then
	[ ! -e $Z/algorithm_params ] && pass "6.1's zram has no algorithm_params" ||
		fail "6.1's zram has algorithm_params"
	grep -q "6.1's zram takes no dictionary" /tmp/dict.txt &&
		pass "dict --kernel 6.1 says zram cannot use it" || fail "dict --kernel 6.1 note"
	for c in zstd:dict=/tmp/d64.dict zstd:level=1; do
		swaplab parity /tmp/dict.swt --codec $c --pages 10 > /tmp/p.txt 2>&1
		[ $? = 2 ] && [ $(wc -l < /tmp/p.txt) = 1 ] &&
			pass "parity refuses $c on 6.1: $(cat /tmp/p.txt)" ||
			fail "parity $c on 6.1: $(cat /tmp/p.txt)"
	done
	done_test
fi
for c in zstd:dict=/tmp/d64.dict zstd:level=8:dict=/tmp/d64.dict \
	zstd:level=1 zstd:dict=/tmp/d100.dict lz4:dict=/tmp/d64.dict \
	lz4:level=4:dict=/tmp/d16.dict lz4hc:dict=/tmp/d16.dict \
	lz4hc:level=12 deflate:level=1; do
	swaplab parity /tmp/dict.swt --codec $c --pages ${DICT_PAGES:-500} \
		> /tmp/p.txt 2>&1
	rc=$?
	cat /tmp/p.txt
	cat /tmp/p.txt >> /tmp/dict-parity.txt
	[ $rc = 0 ] && grep -q "algorithm_params: algo=" /tmp/p.txt &&
		pass "parity $c" || fail "parity $c (exit $rc)"
done
cp /tmp/dict.txt /tmp/dict-parity.txt /mnt/host/ 2> /dev/null
# the dictionary helps zstd on zram itself, and the model stores what zram
# does (replay --target sets zram up with algorithm_params)
swaplab replay /tmp/dict.swt --target /dev/zram0 --codec zstd -o /tmp/r0.json \
	> /tmp/r0.txt 2>&1 || fail "replay --target zstd: $(tail -1 /tmp/r0.txt)"
swaplab replay /tmp/dict.swt --target /dev/zram0 --codec zstd:dict=/tmp/d64.dict \
	-o /tmp/r1.json > /tmp/r1.txt 2>&1 || fail "replay --target zstd:dict: $(tail -1 /tmp/r1.txt)"
swaplab replay /tmp/dict.swt --codec zstd:dict=/tmp/d64.dict -o /tmp/m1.json \
	> /dev/null 2>&1 || fail "model replay zstd:dict"
k0=$(sed -n 's/.*"compr_data_size": *\([0-9]*\).*/\1/p' /tmp/r0.json | head -1)
k1=$(sed -n 's/.*"compr_data_size": *\([0-9]*\).*/\1/p' /tmp/r1.json | head -1)
m1=$(sed -n 's/.*"compr_data_size": *\([0-9]*\).*/\1/p' /tmp/m1.json | head -1)
say "zram zstd end-of-trace compr_data_size: $k0 plain, $k1 with the dictionary; model $m1"
[ -n "$k1" ] && [ "$k1" -lt "${k0:-0}" ] && pass "the dictionary saves $((k0 - k1)) bytes on zram" ||
	fail "dictionary on zram: $k1 vs $k0"
[ -n "$m1" ] && [ "$m1" = "$k1" ] && pass "model compr_data_size = zram's with the dictionary ($k1)" ||
	fail "model $m1 != zram $k1 with the dictionary"
# over 64 KiB: 6.12's lz4 backend fails every write; swaplab refuses it
echo 1 > $Z/reset
echo lz4 > $Z/comp_algorithm
echo "algo=lz4 dict=/tmp/d100.dict" > $Z/algorithm_params
echo 4M > $Z/disksize
if dd if=/tmp/d16.dict of=/dev/zram0 bs=4096 count=1 oflag=direct 2> /dev/null; then
	fail "zram lz4 took a write with a 100K dictionary"
else
	pass "zram lz4 fails a write with a 100K dictionary"
fi
swaplab parity /tmp/dict.swt --codec lz4:dict=/tmp/d100.dict --pages 10 > /tmp/p.txt 2>&1
[ $? = 2 ] && [ $(wc -l < /tmp/p.txt) = 1 ] && pass "swaplab refuses lz4 with a 100K dictionary: $(cat /tmp/p.txt)" ||
	fail "lz4 100K: $(cat /tmp/p.txt)"
echo 1 > $Z/reset
done_test

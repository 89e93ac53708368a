# t_parity: per-page compressed lengths of swaplab's kernel-exact codecs
# against the running kernel's zram (6.1 or 6.12), page by page (issue 4): 100% of non-huge
# pages must have the kernel's length; the library codecs' share is
# printed for reference.  (842 is not built by Debian's kernel: its unit
# tests round-trip it through the kernel's own decompressor.)
. /tests/lib.sh
command -v swaplab > /dev/null || { fail "no static swaplab in the initramfs"; done_test; }
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
swaplab gen --profile realistic --pages 3000 --seed 5 -o /tmp/par.swt \
	> /dev/null || fail "gen"
for p in lzo:liblzo2 lzo-rle:liblzo2 lz4:liblz4 lz4hc:liblz4hc:9 \
	zstd:libzstd:3 deflate:zlib; do
	codec=${p%%:*}
	lib=${p#*:}
	zram_offers $codec || continue
	swaplab parity /tmp/par.swt --codec $codec --lib $lib --pages 1500 \
		> /tmp/par-$codec.txt 2>&1
	rc=$?
	cat /tmp/par-$codec.txt
	cp /tmp/par-$codec.txt /mnt/host/ 2> /dev/null
	[ $rc = 0 ] && pass "parity $codec" || fail "parity $codec (exit $rc)"
done
if ! zram_offers lzo-rle; then
	swaplab parity /tmp/par.swt --codec lzo-rle > /tmp/par-lzo-rle.txt 2>&1
	[ $? = 2 ] && [ $(wc -l < /tmp/par-lzo-rle.txt) = 1 ] &&
		pass "parity refuses lzo-rle on $KV" ||
		fail "parity lzo-rle on $KV: $(cat /tmp/par-lzo-rle.txt)"
fi
echo 1 > /sys/block/zram0/reset
done_test

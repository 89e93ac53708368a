# t_fidelity: the model, swaplab0 and zram0 on the same trace, for every
# codec the running kernel's zram offers (issue 8; 6.1 and 6.12).  swaplab fidelity exits 0 only
# when the model's compr_data_size equals zram's, its mem_used_total is
# within 1% of zram's at the end and at every timeline point, and
# swaplab0 equals the model exactly.  Tables and JSON go back to the host.
. /tests/lib.sh
command -v swaplab > /dev/null || { fail "no static swaplab in the initramfs"; done_test; }
load_swaplab num_devices=1
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
O=/mnt/host
swaplab gen --profile realistic --pages 6000 --seed 3 -o /tmp/fid.swt \
	> /dev/null || fail "gen"
for codec in $ZRAM_CODECS; do
	swaplab fidelity /tmp/fid.swt --codec $codec \
		--alloc $ZS -o $O/fidelity-$codec.json \
		> /tmp/fid-$codec.txt 2>&1
	rc=$?
	cat /tmp/fid-$codec.txt
	cp /tmp/fid-$codec.txt $O/ 2> /dev/null
	[ $rc = 0 ] && pass "fidelity $codec" || fail "fidelity $codec (exit $rc)"
done
# a codec this zram lacks is refused with one line, exit 2
if ! zram_offers lzo; then
	swaplab fidelity /tmp/fid.swt --codec lzo > /tmp/fid-lzo.txt 2>&1
	[ $? = 2 ] && [ $(wc -l < /tmp/fid-lzo.txt) = 1 ] &&
		pass "fidelity refuses lzo: $(cat /tmp/fid-lzo.txt)" ||
		fail "fidelity lzo on $KV: $(cat /tmp/fid-lzo.txt)"
fi
for d in zram0 swaplab0; do echo 1 > /sys/block/$d/reset; done
unload_swaplab
dmesg_clean
done_test

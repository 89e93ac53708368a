# t_fidtraces: swaplab fidelity on the bundled real traces (issue 8's
# deliverable table), model vs swaplab0 vs zram0 on the running kernel.  Not in
# tests/vm/order (it takes minutes under TCG); run it with
#   SWAPLAB_FID_TRACES=1 TIMEOUT=1800 scripts/vm/run.sh fidtraces
. /tests/lib.sh
command -v swaplab > /dev/null || { fail "no static swaplab in the initramfs"; done_test; }
ls /traces/*.swt > /dev/null 2>&1 || { fail "no /traces (SWAPLAB_FID_TRACES=1)"; done_test; }
load_swaplab num_devices=1
for t in /traces/*.swt; do
	for codec in $ZRAM_CODECS; do
		n=$(basename $t .swt)-$codec
		swaplab fidelity $t --codec $codec --alloc $ZS \
			-o /mnt/host/fid-$n.json > /tmp/$n.txt 2>&1
		rc=$?
		cat /tmp/$n.txt
		[ $rc = 0 ] && pass "fidelity $n" || fail "fidelity $n (exit $rc)"
	done
done
for d in zram0 swaplab0; do echo 1 > /sys/block/$d/reset; done
unload_swaplab
done_test

# t_fidelity: the swaplab CLI (static, from the top-level build) replays one
# synthetic trace into its userspace model, /dev/swaplab0 and /dev/zram0
# with the same codec, and gates on their agreement (swaplab fidelity).
. /tests/lib.sh
command -v swaplab > /dev/null || { say "no static swaplab in the initramfs: skipped"; exit 0; }
load_swaplab num_devices=1
swaplab gen --profile realistic --pages 8000 --seed 3 -o /tmp/t.swt || fail "gen"
for codec in lz4 zstd; do
	swaplab fidelity /tmp/t.swt --codec $codec -o /x/fidelity-$codec.json
	rc=$?
	[ $rc = 0 ] && pass "fidelity $codec" || fail "fidelity $codec: exit $rc"
done
for d in zram0 swaplab0; do echo 1 > /sys/block/$d/reset; done
unload_swaplab
dmesg_clean
done_test

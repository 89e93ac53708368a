# t_bench: 4 KiB random write and read throughput, swaplab0 / zram0, same
# codec (lz4), swaplab on the 6.1 zsmalloc model.  The host is shared and
# noisy, so the devices alternate in short rounds (order flipped each
# round) and the figure is the median of the per-round ratios.
. /tests/lib.sh
load_swaplab num_devices=1
setup zram0 lz4 "" 64M
setup swaplab0 lz4 zsmalloc:kernel=6.1 64M
for d in zram0 swaplab0; do sltool bench /dev/$d 16384 100 0 > /dev/null || fail "fill $d"; done
: > /tmp/b
for r in 1 2 3 4 5 6 7; do
	if [ $((r % 2)) = 1 ]; then devs="zram0 swaplab0"; else devs="swaplab0 zram0"; fi
	for d in $devs; do
		SLTOOL_NOFILL=1 sltool bench /dev/$d 16384 4000 $r > /tmp/one || fail "bench $d"
		echo "round=$r $(cat /tmp/one)" | tee -a /tmp/b
	done
done
awk '{ split($3, a, "="); d = a[2]; split($1, rr, "="); r = rr[2];
       for (i = 4; i <= NF; i++) { split($i, kv, "=");
	   if (kv[1] == "write_iops") w[d, r] = kv[2];
	   if (kv[1] == "read_iops") rd[d, r] = kv[2] }
       n = r }
     function median(x, k,   i, j, t) {
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
	return x[int((k + 1) / 2)] }
     END { for (r = 1; r <= n; r++) {
		zw += w["/dev/zram0", r]; sw += w["/dev/swaplab0", r];
		zr += rd["/dev/zram0", r]; sr += rd["/dev/swaplab0", r];
		qw[r] = w["/dev/swaplab0", r] / w["/dev/zram0", r];
		qr[r] = rd["/dev/swaplab0", r] / rd["/dev/zram0", r] }
	   printf "bench mean iops: zram0 write=%d read=%d swaplab0 write=%d read=%d\n",
		zw / n, zr / n, sw / n, sr / n;
	   printf "RATIO swaplab0/zram0 (median of %d rounds) write=%.3f read=%.3f\n",
		n, median(qw, n), median(qr, n) }' /tmp/b
echo 1 > /sys/block/zram0/reset
echo 1 > /sys/block/swaplab0/reset
unload_swaplab
done_test

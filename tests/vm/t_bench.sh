# t_bench: 4 KiB random write and read throughput, swaplab0 / zram0, same
# codec (lz4), swaplab on the 6.1 zsmalloc model.  The host is shared and
# its load drifts, so sltool pair interleaves the two devices in chunks of
# 256 ops; the figure is the median ratio of 5 such runs.
. /tests/lib.sh
load_swaplab num_devices=1
setup zram0 lz4 "" 64M
setup swaplab0 lz4 zsmalloc:kernel=6.1 64M
: > /tmp/b
for r in 1 2 3 4 5; do
	sltool pair /dev/zram0 /dev/swaplab0 16384 8000 $r | tee -a /tmp/b || fail "pair $r"
done
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "=");
	   if (kv[1] == "write_ratio") w[NR] = kv[2];
	   if (kv[1] == "read_ratio") r[NR] = kv[2];
	   if (kv[1] ~ /_iops$/) s[kv[1]] += kv[2] } }
     function median(x, k,   i, j, t) {
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
		if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
	return x[int((k + 1) / 2)] }
     END { printf "bench mean iops: zram0 write=%d read=%d swaplab0 write=%d read=%d\n",
		s["a_write_iops"] / NR, s["a_read_iops"] / NR,
		s["b_write_iops"] / NR, s["b_read_iops"] / NR;
	   printf "RATIO swaplab0/zram0 (median of %d interleaved runs) write=%.3f read=%.3f\n",
		NR, median(w, NR), median(r, NR) }' /tmp/b
echo 1 > /sys/block/zram0/reset
echo 1 > /sys/block/swaplab0/reset
unload_swaplab
done_test

# t_bench: 4 KiB random write and read throughput, swaplab0 / zram0, same
# codec (lz4), swaplab on the 6.1 zsmalloc model; alternated runs, best of.
. /tests/lib.sh
load_swaplab num_devices=1
setup zram0 lz4 "" 128M
setup swaplab0 lz4 zsmalloc:kernel=6.1 128M
: > /tmp/b
for r in 1 2 3; do
	for d in zram0 swaplab0; do
		sltool bench /dev/$d 16384 8000 $r | tee -a /tmp/b || fail "bench $d"
	done
done
awk '{ split($2, a, "="); d = a[2]; for (i = 3; i <= NF; i++) { split($i, kv, "=");
	if (kv[1] == "write_iops" && kv[2] > w[d]) w[d] = kv[2];
	if (kv[1] == "read_iops" && kv[2] > r[d]) r[d] = kv[2] } }
     END { printf "bench best: zram0 write_iops=%d read_iops=%d swaplab0 write_iops=%d read_iops=%d\n",
		w["/dev/zram0"], r["/dev/zram0"], w["/dev/swaplab0"], r["/dev/swaplab0"];
	   printf "RATIO swaplab0/zram0 write=%.3f read=%.3f\n",
		w["/dev/swaplab0"] / w["/dev/zram0"], r["/dev/swaplab0"] / r["/dev/zram0"] }' /tmp/b
echo 1 > /sys/block/zram0/reset
echo 1 > /sys/block/swaplab0/reset
unload_swaplab
done_test

# t_integrity: write/verify checksummed pages in random order with
# overwrites, discards and zero-outs, for several codec x allocator pairs;
# compact the fragmented pool before the final check; mm_stat must agree.
# Then four writers at once on one device while it is compacted.
. /tests/lib.sh
load_swaplab num_devices=0
allocs=$(echo 0 > /dev/null; id=$(cat /sys/class/swaplab-control/hot_add); \
	cat /sys/block/swaplab$id/allocator; echo $id > /sys/class/swaplab-control/hot_remove)
say "allocators: $allocs"
for pair in lzo-rle,zsmalloc lz4,zsmalloc:kernel=6.1 zstd,zsmalloc:chain=16 \
	    lz4hc,zbud lzo,kmalloc deflate,ideal; do
	codec=${pair%%,*}; alloc=${pair#*,}
	echo "$allocs" | grep -qw "${alloc%%:*}" || { say "skip $pair: no allocator"; continue; }
	id=$(cat /sys/class/swaplab-control/hot_add)
	d=swaplab$id
	setup $d $codec $alloc 24M
	SLTOOL_COMPACT=/sys/block/$d/compact sltool integrity /dev/$d 0 6000 $id$RANDOM > /tmp/out 2>&1
	rc=$?
	cat /tmp/out
	[ $rc = 0 ] && pass "$codec x $alloc: 0 mismatches" || fail "$codec x $alloc: rc=$rc"
	m=$(mm $d); io=$(cat /sys/block/$d/io_stat | tr -s ' ' | sed 's/^ //')
	say "$codec x $alloc mm_stat: $m"
	say "$codec x $alloc io_stat: $io"
	orig=$(field 1 "$m"); compr=$(field 2 "$m"); used=$(field 3 "$m")
	umax=$(field 5 "$m"); same=$(field 6 "$m"); huge=$(field 8 "$m")
	stored=$(field 10 "$m")
	[ "$orig" = $((stored * 4096)) ] || fail "orig_data_size $orig != pages_stored*4096"
	[ "$compr" -le "$used" ] || fail "compr_data_size $compr > mem_used_total $used"
	[ "$used" -le "$umax" ] || fail "mem_used_total $used > mem_used_max $umax"
	[ $((same + huge)) -le "$stored" ] || fail "same+huge > stored"
	[ "$(field 1 "$io") $(field 2 "$io")" = "0 0" ] || fail "failed reads/writes: $io"
	echo 1 > /sys/block/$d/reset || fail "reset $d"
	[ "$(mm $d | cut -d' ' -f1-3)" = "0 0 0" ] || fail "mm_stat after reset: $(mm $d)"
	echo $id > /sys/class/swaplab-control/hot_remove || fail "hot_remove $id"
done
# concurrent I/O on one device: 4 writers on disjoint ranges (2 vCPUs),
# with compaction running under them
id=$(cat /sys/class/swaplab-control/hot_add); d=swaplab$id
setup $d lz4 zsmalloc 32M
( while :; do echo 1 > /sys/block/$d/compact; sleep 0.2; done ) &
compactor=$!
pids=
for k in 0 1 2 3; do
	SLTOOL_BASE=$((k * 2048)) sltool integrity /dev/$d 2048 3000 $((k + 40)) > /tmp/par$k 2>&1 &
	pids="$pids $!"
done
k=0
for p in $pids; do
	wait $p && pass "parallel writer $k: $(cat /tmp/par$k)" || fail "parallel writer $k: $(cat /tmp/par$k)"
	k=$((k + 1))
done
kill $compactor
say "parallel mm_stat: $(mm $d)"
echo 1 > /sys/block/$d/reset; echo $id > /sys/class/swaplab-control/hot_remove
unload_swaplab
dmesg_clean
done_test

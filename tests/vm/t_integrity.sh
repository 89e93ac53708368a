# t_integrity: write/verify checksummed pages in random order with
# overwrites, discards and zero-outs, for several codec x allocator pairs;
# compact the fragmented pool before the final check; mm_stat must agree.
# Then four writers at once on one device while it is compacted.
. /tests/lib.sh
load_swaplab num_devices=0
allocs=$(echo 0 > /dev/null; id=$(cat /sys/class/swaplab-control/hot_add); \
	cat /sys/block/swaplab$id/allocator; echo $id > /sys/class/swaplab-control/hot_remove)
say "allocators: $allocs"
# CODEC,ALLOC[,dedup]: dedup runs get pages that repeat every 64
for pair in lzo-rle,zsmalloc lz4,zsmalloc:kernel=6.1 zstd,zsmalloc:chain=16 \
	    lz4hc,zbud lzo,kmalloc deflate,ideal lz4,zsmalloc,dedup lzo-rle,zbud,dedup; do
	codec=${pair%%,*}; alloc=${pair#*,}; dedup=0; dup=
	say "== $pair"
	case $alloc in *,dedup) alloc=${alloc%,dedup}; dedup=1; dup=64 ;; esac
	echo "$allocs" | grep -qw "${alloc%%:*}" || { say "skip $pair: no allocator"; continue; }
	id=$(cat /sys/class/swaplab-control/hot_add)
	d=swaplab$id
	echo $dedup > /sys/block/$d/dedup
	setup $d $codec $alloc 24M
	SLTOOL_DUP=$dup SLTOOL_COMPACT=/sys/block/$d/compact sltool integrity /dev/$d 0 6000 $id$RANDOM > /tmp/out 2>&1
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
	if [ $dedup = 1 ]; then
		[ "$(field 12 "$m")" -gt 1000 ] && pass "dedup_pages $(field 12 "$m"), saved $(field 13 "$m") B" ||
			fail "dedup_pages $(field 12 "$m")"
	fi
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
# as a plain disk: a file system, with discard on delete
id=$(cat /sys/class/swaplab-control/hot_add); d=swaplab$id
setup $d zstd zsmalloc 64M
mkdir -p /mnt/fs
if mke2fs -q -b 4096 /dev/$d && mount -t ext2 -o discard /dev/$d /mnt/fs; then
	sltool hog 1 1 > /dev/null
	dd if=/dev/urandom of=/tmp/rand bs=64k count=64 2> /dev/null
	for n in 1 2 3; do cp /tmp/rand /mnt/fs/f$n; done
	cp -r /tests /mnt/fs/
	umount /mnt/fs && mount -t ext2 -o discard /dev/$d /mnt/fs || fail "remount"
	ok=1
	for n in 1 2 3; do cmp -s /tmp/rand /mnt/fs/f$n || ok=0; done
	for f in /tests/*; do cmp -s $f /mnt/fs$f || ok=0; done
	[ $ok = 1 ] && pass "ext2 on $d: files read back equal" || fail "ext2 on $d: files differ"
	m1=$(mm $d)
	rm /mnt/fs/f1 /mnt/fs/f2; sync; umount /mnt/fs
	m2=$(mm $d)
	say "ext2 mm_stat: $m1"
	say "after rm (discard): $m2"
	[ $(($(field 10 "$m1") - $(field 10 "$m2"))) -ge 2048 ] &&
		pass "discard on delete freed $(($(field 10 "$m1") - $(field 10 "$m2"))) slots" ||
		fail "discard freed too little"
else
	fail "mke2fs/mount on $d"
fi
echo 1 > /sys/block/$d/reset; echo $id > /sys/class/swaplab-control/hot_remove
unload_swaplab
dmesg_clean
done_test

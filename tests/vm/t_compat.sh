# t_compat: the module as a drop-in zram (issue 21).  zram's documented
# workflows (Documentation/admin-guide/blockdev/zram.rst: hot_add and
# hot_remove, disksize with suffixes, max_comp_streams, mem_limit, mkfs +
# mount + fill, mkswap/swapon/swapoff, reset, compact, idle, writeback,
# the stat files) run once on /dev/zram1 and, by the same function with
# the name changed, on /dev/swaplab1, on fresh devices with no allocator
# written.  Each step writes one outcome line per device kind; the two
# lists must be equal line for line, mm_stat's nine zram fields included
# where the pages written are the same.  The ext4 steps write what the
# filesystem decides (journal commits are timed), so their mm_stat is
# compared byte-exact through an image instead: the filesystem zram held,
# copied off, written the same way to both kinds.  The table of ratios of
# the mkfs + fill steps goes to compat-ratio.txt.
. /tests/lib.sh
load_swaplab num_devices=1
[ -d /sys/block/zram0 ] || { fail "no zram0"; done_test; }
/sbin/mke2fs -V 2>&1 | grep -q '^mke2fs 1\.' || { fail "no e2fsprogs mke2fs"; done_test; }
w() { sltool syswrite "$@"; }
mm9() { mm $1 | cut -d' ' -f1-9; }
io4() { tr -s ' ' < /sys/block/$1/io_stat | sed 's/^ //' | cut -d' ' -f1-4; }
bds() { tr -s ' ' < /sys/block/$1/bd_stat | sed 's/^ //'; }
vm() { awk -v k=$1 '$1 == k { print $2 }' /proc/vmstat; }
# the fixed inputs: ext4 made the same way each time, one swap header
UUID=5a3c0e2a-7d41-4c55-9a0e-21c0ffee0021
export E2FSPROGS_FAKE_TIME=1700000000
MKFS="/sbin/mke2fs -q -F -t ext4 -U $UUID -E hash_seed=$UUID,lazy_itable_init=0,lazy_journal_init=0,nodiscard"
dd if=/dev/zero of=/tmp/sw bs=1M count=64 2> /dev/null && mkswap /tmp/sw > /dev/null &&
	head -c 4096 /tmp/sw > /tmp/swhdr && rm /tmp/sw || fail "swap header"
seq 1 2500000 > /tmp/text
for i in 1 2 3 4; do cat /bin/busybox; done > /tmp/bin
mkdir -p /mnt/c
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/compat; mkdir -p $CG
# zram0 is the backing device of the writeback step, for both kinds
echo 64M > /sys/block/zram0/disksize || fail "zram0 disksize"
# the zram attributes that neither Debian kernel's zram has with its config
# (recomp_algorithm and recompress need CONFIG_ZRAM_MULTI_COMP) are not
# compared; the ones swaplab lacks are listed here with the reason, and
# are printed, not silently skipped
GAPS=""
# algorithm_params (6.12): a raw-content dictionary of text
head -c 16384 /tmp/text > /tmp/pdict

# wf KIND: every workflow on KIND (zram or swaplab); outcomes to
# /tmp/compat-KIND.txt, one line each, with nothing naming the kind
wf() {
	P=$1 B=/sys/block C=/sys/class/$1-control R=/tmp/compat-$1.txt
	: > $R
	rec() { echo "$*" >> $R; }
	# names: every /dev/KIND* is a disk; a script's "next index" is the
	# glob's count, and hot_add must give that number
	n=0 other=
	for d in /dev/$P*; do
		n=$((n + 1))
		[ -d $B/${d#/dev/} ] || other="$other ${d#/dev/$P}"
	done
	rec "glob: $n nodes, not disks:${other:- none}"
	id=$(cat $C/hot_add)
	rec "hot_add after a glob count of $n: $id"
	D=$P$id S=$B/$P$id
	[ -b /dev/$D ] && [ -d $S ] || { fail "$P: no /dev/$D"; return; }
	# hot_add gives the lowest free index, as idr_alloc() from 0
	a=$(cat $C/hot_add); b=$(cat $C/hot_add)
	rec "hot_remove $a: $(w $C/hot_remove $a)"
	c=$(cat $C/hot_add)
	rec "hot_add: $a $b, after removing $a: $c"
	rec "hot_remove $b $c: $(w $C/hot_remove $b) $(w $C/hot_remove $c)"
	rec "hot_remove $b again: $(w $C/hot_remove $b)"
	# settings and the stat files
	rec "default algorithm: $(sed 's/.*\[\([^]]*\)\].*/\1/' $S/comp_algorithm)"
	rec "max_comp_streams 4: $(w $S/max_comp_streams 4) shows $(cat $S/max_comp_streams)"
	rec "debug_stat: $(head -1 $S/debug_stat)"
	for f in $(ls /sys/block/zram0); do
		[ -f /sys/block/zram0/$f ] || continue
		case " $GAPS " in *" $f "*)
			[ $P = swaplab ] && [ -e $S/$f ] &&
				fail "swaplab has $f: drop it from GAPS"
			continue ;;
		esac
		rec "file $f: $([ -e $S/$f ] && echo yes || echo no)"
	done
	rec "uninitialised: disksize $(cat $S/disksize) initstate $(cat $S/initstate) mm_stat $(mm9 $D)"
	rec "idle before disksize: $(w $S/idle all); compact: $(w $S/compact 1)"
	for v in 4096 65536K 64M 1G; do
		r=$(w $S/disksize $v)
		rec "disksize $v: $r -> $(cat $S/disksize) initstate $(cat $S/initstate) $(blockdev --getsize64 /dev/$D)"
		rec "disksize again: $(w $S/disksize 8M); reset: $(w $S/reset 1) -> $(cat $S/disksize) $(cat $S/initstate)"
	done
	# mem_limit: writes past it fail, counted; reset clears it
	rec "mem_limit 2M: $(w $S/mem_limit 2M); disksize 64M: $(w $S/disksize 64M)"
	sltool fill /dev/$D 4096 3 > /tmp/f 2>&1
	rec "fill past mem_limit: exit $? $(tail -1 /tmp/f | sed "s/$P[0-9]*//")"
	rec "mem_limit: mm_stat $(mm9 $D) io_stat $(io4 $D)"
	# "echo 0 > mem_used_max": the peak restarts from the pool now
	rec "mem_used_max 5: $(w $S/mem_used_max 5) 0: $(w $S/mem_used_max 0) mm_stat $(mm9 $D)"
	rec "mem_limit 0: $(w $S/mem_limit 0); reset: $(w $S/reset 1) mm_stat $(mm9 $D)"
	# mkfs + mount + fill, with reset and hot_remove refused while mounted
	rec "disksize 96M: $(w $S/disksize 96M)"
	$MKFS /dev/$D > /tmp/mkfs 2>&1; rc=$?
	rec "mkfs.ext4: exit $rc $(cat /tmp/mkfs)"
	sync
	mm9 $D > /tmp/ratio-$P-1
	mount -t ext4 /dev/$D /mnt/c; rec "mount: exit $?"
	rec "mounted: reset $(w $S/reset 1) hot_remove $(w $C/hot_remove $id) initstate $(cat $S/initstate)"
	k=2
	for f in zero text bin; do
		case $f in
		zero) dd if=/dev/zero of=/mnt/c/zero bs=1M count=24 2> /dev/null ;;
		*) cp /tmp/$f /mnt/c/$f ;;
		esac
		sync
		mm9 $D > /tmp/ratio-$P-$k
		k=$((k + 1))
	done
	umount /mnt/c; rec "umount: exit $?"
	mount -t ext4 -o ro /dev/$D /mnt/c; rec "mount ro: exit $?"
	dd if=/dev/zero bs=1M count=24 2> /dev/null | md5sum > /tmp/zero.md5
	for f in zero text bin; do
		[ -f /tmp/$f ] && a=$(md5sum < /tmp/$f) || a=$(cat /tmp/zero.md5)
		[ "$(md5sum < /mnt/c/$f)" = "$a" ]
		rec "read back $f: $?"
	done
	umount /mnt/c
	[ $P = zram ] && { dd if=/dev/$D of=/tmp/img bs=1M 2> /dev/null || fail "image"; }
	rec "reset: $(w $S/reset 1) initstate $(cat $S/initstate)"
	# the same filesystem image written to a fresh device: the same pages
	rec "disksize 96M: $(w $S/disksize 96M)"
	dd if=/tmp/img of=/dev/$D bs=1M conv=fsync 2> /dev/null; rec "image written: exit $?"
	rec "image: mm_stat $(mm9 $D) io_stat $(io4 $D)"
	[ "$(md5sum < /dev/$D)" = "$(md5sum < /tmp/img)" ]; rec "image read back: $?"
	mount -t ext4 -o ro /dev/$D /mnt/c; rec "image mounts: exit $?"
	[ "$(md5sum < /mnt/c/text)" = "$(md5sum < /tmp/text)" ]; rec "image text: $?"
	umount /mnt/c
	rec "reset: $(w $S/reset 1)"
	# compact: a fragmented pool, the same random ops on both
	rec "disksize 64M: $(w $S/disksize 64M)"
	sltool integrity /dev/$D 0 12000 5 > /tmp/i 2>&1
	rec "integrity: exit $? $(cat /tmp/i)"
	rec "before compact: mm_stat $(mm9 $D)"
	rec "compact: $(w $S/compact 1) mm_stat $(mm9 $D) io_stat $(io4 $D)"
	rec "idle: $(w $S/idle all) $(w $S/idle some) $(w $S/idle 0) $(w $S/idle 3600)"
	rec "reset: $(w $S/reset 1)"
	# algorithm_params (6.12's zram; 6.1's has none): level and
	# dictionary, the same pages stored, the same mm_stat; bad input
	# refused alike (priority 1 is not tried: recompression needs
	# CONFIG_ZRAM_MULTI_COMP, which Debian's zram lacks)
	if [ -e /sys/block/zram0/algorithm_params ]; then
		for a in "zstd level=8" "zstd level=3 dict=/tmp/pdict" \
			"lz4 dict=/tmp/pdict" "lz4 level=4" "lz4hc level=12 dict=/tmp/pdict"; do
			rec "params $a: $(w $S/comp_algorithm ${a%% *}) $(w $S/algorithm_params "${a#* }") disksize $(w $S/disksize 64M)"
			sltool fill /dev/$D 3000 11 > /tmp/f 2>&1; r=$?
			sltool verify /dev/$D 3000 11 > /tmp/v 2>&1
			rec "params $a: fill $r verify $? mm_stat $(mm9 $D) io_stat $(io4 $D)"
			rec "reset: $(w $S/reset 1)"
		done
		for a in "level=x" "level" "dict=/nonexistent" "algo=lz4hc level=1" "foo=bar" \
			"algo=lz4 level=1" "priority=-1"; do
			rec "params $a: $(w $S/algorithm_params "$a")"
		done
		rec "comp_algorithm after reset: $(sed 's/.*\[\([^]]*\)\].*/\1/' $S/comp_algorithm)"
	fi
	# swap: one header page, swapon, a hog, swapoff: only the header is left
	rec "disksize 64M: $(w $S/disksize 64M)"
	dd if=/tmp/swhdr of=/dev/$D bs=4096 conv=fsync 2> /dev/null
	swapon /dev/$D; rec "swapon: exit $? $(grep -c "^/dev/$D " /proc/swaps)"
	rec "swapped on: reset $(w $S/reset 1) hot_remove $(w $C/hot_remove $id)"
	echo 16M > $CG/memory.max
	o=$(vm pswpout)
	sh -c "echo \$\$ > $CG/cgroup.procs; exec sltool hog 48 7" > /tmp/h 2>&1
	rc=$? o=$(($(vm pswpout) - o))
	say "$P swap: pswpout $o, $(cat /tmp/h), mm_stat $(mm9 $D)"
	rec "hog: exit $rc, swapped out more than 4000: $([ $o -gt 4000 ] && echo yes || echo no)"
	swapoff /dev/$D; rec "swapoff: exit $?"
	m=$(mm9 $D)
	rec "after swapoff: orig $(field 1 "$m") compr $(field 2 "$m") used $(field 3 "$m") same $(field 6 "$m")"
	rec "reset: $(w $S/reset 1)"
	# writeback to a backing device (zram0), read back
	rec "backing_dev: $(w $S/backing_dev /dev/zram0) shows $(cat $S/backing_dev)"
	rec "disksize 64M: $(w $S/disksize 64M) backing_dev now: $(w $S/backing_dev none)"
	sltool fill /dev/$D 8000 41 > /dev/null 2>&1; rec "fill: exit $?"
	rec "filled: mm_stat $(mm9 $D)"
	# writeback_limit: 5 units, then -EIO; off again, the value stays
	rec "wb limit: $(w $S/writeback_limit_enable 1) $(w $S/writeback_limit 5) writeback huge: $(w $S/writeback huge) bd_stat $(bds $D) left $(cat $S/writeback_limit)"
	rec "wb limit off: $(w $S/writeback_limit_enable 0) enable $(cat $S/writeback_limit_enable) $(w $S/writeback_limit 9) limit $(cat $S/writeback_limit) bad: $(w $S/writeback_limit x)"
	rec "writeback huge: $(w $S/writeback huge) bd_stat $(bds $D) mm_stat $(mm9 $D)"
	# idle N: not accessed in N seconds (6.1 keeps earlier marks, 6.12
	# clears them); nothing is an hour old yet
	rec "writeback idle 3600: $(w $S/idle 3600) $(w $S/writeback idle) bd_stat $(bds $D) bad: $(w $S/idle -1) $(w $S/idle 5s)"
	# "all" then 3600: 6.1 keeps the marks of "all" (all written back),
	# 6.12 clears them (none), then "all" alone: whatever is left
	rec "idle all, then 3600: $(w $S/idle all) $(w $S/idle 3600) writeback idle $(w $S/writeback idle) bd_stat $(bds $D)"
	rec "writeback idle: $(w $S/idle all) $(w $S/writeback idle) bd_stat $(bds $D)"
	sltool verify /dev/$D 8000 41 > /tmp/v 2>&1
	rec "verify: exit $? $(sed 's/ seconds=[0-9.]*//' /tmp/v)"
	rec "after reads: bd_stat $(bds $D)"
	rec "reset: $(w $S/reset 1) backing_dev $(cat $S/backing_dev) writeback_limit $(cat $S/writeback_limit) enable $(cat $S/writeback_limit_enable)"
	echo 1 > /sys/block/zram0/reset && echo 64M > /sys/block/zram0/disksize
	rec "hot_remove $id: $(w $C/hot_remove $id)"
	rec "after: $(ls -d /dev/$P* | wc -l) nodes"
}

wf zram
wf swaplab
say "--- outcomes (zram | swaplab where they differ)"
n=$(wc -l < /tmp/compat-zram.txt)
[ "$n" = "$(wc -l < /tmp/compat-swaplab.txt)" ] ||
	fail "$n outcome lines on zram, $(wc -l < /tmp/compat-swaplab.txt) on swaplab"
i=1
while [ $i -le $n ]; do
	a=$(sed -n ${i}p /tmp/compat-zram.txt)
	b=$(sed -n ${i}p /tmp/compat-swaplab.txt)
	[ "$a" = "$b" ] && pass "$a" || fail "zram: $a | swaplab: $b"
	i=$((i + 1))
done
say "not compared (swaplab lacks them): $GAPS"
# the filesystem steps themselves: mm_stat side by side (not required equal:
# when the journal commits is timed)
k=1
for s in mkfs +zeros +text +binary; do
	a=$(cat /tmp/ratio-zram-$k) b=$(cat /tmp/ratio-swaplab-$k)
	[ "$a" = "$b" ] && say "fs $s: mm_stat equal: $a" || say "fs $s: zram $a | swaplab $b"
	k=$((k + 1))
done
[ -e /sys/block/swaplab0/recompress ] && ! [ -e /sys/block/zram0/recompress ] &&
	say "swaplab extras this zram lacks: recomp_algorithm recompress allocator same_filled dedup"

# the ratio table of the mkfs + fill steps (cumulative after each step)
{
	echo "step             | zram orig_kB  compr_kB  used_kB  ratio  eff | swaplab orig_kB  compr_kB  used_kB  ratio  eff"
	k=1
	for s in mkfs.ext4 +24M_zeros +text_$(($(wc -c < /tmp/text) >> 20))M +binary_$(($(wc -c < /tmp/bin) >> 20))M; do
		line=$(printf '%-16s' $s)
		for P in zram swaplab; do
			m=$(cat /tmp/ratio-$P-$k)
			line="$line | $(echo "$m" | awk '{ printf "%9d %9d %8d %6.2f %5.2f", $1 / 1024, $2 / 1024, $3 / 1024, $2 ? $1 / $2 : 0, $3 ? $1 / $3 : 0 }')"
		done
		echo "$line"
		k=$((k + 1))
	done
} > /tmp/compat-ratio.txt
cat /tmp/compat-ratio.txt
cp /tmp/compat-ratio.txt /tmp/compat-zram.txt /tmp/compat-swaplab.txt /mnt/host/ 2> /dev/null
rmdir $CG
echo 1 > /sys/block/zram0/reset
unload_swaplab
dmesg_clean
done_test

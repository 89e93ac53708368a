# t_recbench: not in tests/vm/order - the kernel recorder's benchmark
# (scripts/vm/run.sh recbench).  The swap-out rate of the same hog with
# recording off and on, alternated (the host is noisy: compare within a
# pair), with one hog and with two at once, and with the recorder at nice
# 0 as well as its default -10.  Prints one RECBENCH line per run:
# pages/s, dropped pages, the ring's peak.
MB=${RECBENCH_MB:-64}
CG=/sys/fs/cgroup/bench
# hogs N: N hogs at once in the cgroup
hogs() {
	i=0
	while [ $i -lt $1 ]; do
		sh -c "echo \$\$ > $CG/cgroup.procs; exec rechog hog $MB $((20 + i))" > /dev/null &
		i=$((i + 1))
	done
	wait
}
# run by the recorder as its child (before any setup): just the hogs
if [ "$1" = hogs ]; then
	hogs $2
	exit 0
fi
. /tests/lib.sh
load_swaplab num_devices=1 rec_buf_mb=64
setup swaplab0 lzo-rle zsmalloc 512M
mkswap /dev/swaplab0 > /dev/null && swapon /dev/swaplab0 || fail swapon
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $CG; echo 32M > $CG/memory.max
writes() { cat /sys/block/swaplab0/io_stat | tr -s ' ' | sed 's/^ //' | cut -d' ' -f6; }
up() { cut -d' ' -f1 /proc/uptime; }
# run LABEL N [record options]: N hogs, recorded when options are given
run() {
	label=$1 n=$2
	shift 2
	w0=$(writes); s0=$(up)
	if [ $# -gt 0 ]; then
		swaplab record --kernel "$@" -o /tmp/b.swt -- sh /tests/t_recbench.sh hogs $n > /tmp/b.out 2>&1
		drop=$(sed -n 's/.*pages dropped \([0-9]*\) .*peak \([0-9]*\)).*/\1 \2/p' /tmp/b.out)
		lost=$(sed -n 's/.*, lost \([0-9]*\) .*/\1/p' /tmp/b.out)
	else
		hogs $n
		drop="- -" lost=-
	fi
	s1=$(up); w1=$(writes)
	set -- $drop
	echo "RECBENCH $label hogs=$n pages=$((w1 - w0)) seconds=$(echo "$s1 - $s0" | bc) rate=$(echo "($w1 - $w0) / ($s1 - $s0)" | bc) dropped=$1 ring_peak=$2 lost=$lost"
	rm -f /tmp/b.swt
}
for n in 1 2 4; do
	run off $n
	run on $n --nice -10
	run off $n
	run on-nice0 $n --nice 0
done
swapoff /dev/swaplab0 || fail swapoff
rmdir $CG
unload_swaplab
done_test

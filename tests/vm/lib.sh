# lib.sh - shared helpers of the guest tests (sourced; busybox sh).
T=/sys/kernel/tracing
# the running kernel as swaplab names it, the algorithms its zram offers
# (Debian's 6.12 builds only the lz4, lz4hc, zstd and deflate backends)
# and its zsmalloc rules
KV=$(uname -r | cut -d. -f1,2)
case $KV in
6.1) ZRAM_CODECS="lzo lzo-rle lz4 lz4hc zstd deflate" ;;
*) ZRAM_CODECS="lz4 lz4hc zstd deflate" ;;
esac
ZS=zsmalloc:kernel=$KV
zram_offers() { case " $ZRAM_CODECS " in *" $1 "*) return 0 ;; esac; return 1; }
fails=0
say() { echo "$*"; }
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect VALUE-TEXT CMD...: compare a command's output
expect() { want=$1; shift; got=$("$@" 2>&1); [ "$got" = "$want" ] && pass "$* -> $got" || fail "$* -> $got (want $want)"; }
done_test() { [ $fails = 0 ] && exit 0; echo "$fails failure(s)"; exit 1; }
load_swaplab() { [ -d /sys/module/swaplab ] || insmod /swaplab.ko "$@" || fail "insmod swaplab"; }
unload_swaplab() {
	for d in /sys/block/swaplab*; do [ -e "$d" ] && echo 1 > $d/reset; done
	rmmod swaplab || fail "rmmod swaplab"
}
# setup DEV CODEC ALLOC SIZE: configure and initialise /dev/DEV
setup() {
	echo $2 > /sys/block/$1/comp_algorithm || fail "$1 comp_algorithm $2"
	[ -n "$3" ] && { echo $3 > /sys/block/$1/allocator || fail "$1 allocator $3"; }
	echo $4 > /sys/block/$1/disksize || fail "$1 disksize $4"
}
mm() { cat /sys/block/$1/mm_stat | tr -s ' ' | sed 's/^ //'; }
field() { echo "$2" | cut -d' ' -f$1; }
# dmesg_clean: no warning, bug, oops or leak report since boot
dmesg_clean() {
	bad=$(dmesg | grep -v 'module verification failed' |
		grep -E 'WARNING|BUG|Oops|Call Trace|leak|general protection|swaplab.*(error|fail)' | head -5)
	[ -z "$bad" ] && pass "dmesg clean" || fail "dmesg: $bad"
}

# t_trace: swaplab:swaplab_store/load/free fire with the right fields
# (dedup on: a second equal page is stored as flags=dedup; loads of
# slots held through the dedup table carry the dedup flag too).
. /tests/lib.sh
load_swaplab num_devices=1
echo 1 > /sys/block/swaplab0/dedup
setup swaplab0 lz4 zsmalloc 16M
E=$T/events/swaplab
[ -d $E ] || { fail "no events/swaplab"; done_test; }
for e in swaplab_store swaplab_load swaplab_free; do
	for f in dev index comp_len flags ns codec_ns; do
		grep -q "field:.* $f;" $E/$e/format || fail "$e format lacks $f"
	done
done
echo > $T/trace
echo 1 > $E/enable
D=/dev/swaplab0
sltool put $D 5 zero; sltool put $D 6 random; sltool put $D 7 text; sltool put $D 8 text
sltool get $D 5; sltool get $D 6; sltool get $D 7; sltool get $D 9
sltool discard $D 7 1; sltool discard $D 5 1; sltool discard $D 9 1
echo 0 > $E/enable
grep swaplab_ $T/trace | sed 's/^.*swaplab_/swaplab_/' > /tmp/ev
cat /tmp/ev
has() { grep -q "$1" /tmp/ev && pass "event: $1" || fail "no event matching: $1"; }
has '^swaplab_store: dev=0 index=5 comp_len=0 flags=same '
has '^swaplab_store: dev=0 index=6 comp_len=4096 flags=huge '
has '^swaplab_store: dev=0 index=7 comp_len=[1-9][0-9]* flags= '
has '^swaplab_store: dev=0 index=8 comp_len=[1-9][0-9]* flags=dedup '
has '^swaplab_load: dev=0 index=5 comp_len=0 flags=same '
has '^swaplab_load: dev=0 index=6 comp_len=4096 flags=huge'
has '^swaplab_load: dev=0 index=9 comp_len=0 flags=empty '
has '^swaplab_free: dev=0 index=7 comp_len=[1-9][0-9]* flags=dedup '
has '^swaplab_free: dev=0 index=5 comp_len=0 flags=same '
has '^swaplab_free: dev=0 index=9 comp_len=0 flags=empty '
sl=$(sed -n 's/^swaplab_store: dev=0 index=7 comp_len=\([0-9]*\) .*/\1/p' /tmp/ev)
ll=$(sed -n 's/^swaplab_load: dev=0 index=7 comp_len=\([0-9]*\) .*/\1/p' /tmp/ev)
dl=$(sed -n 's/^swaplab_store: dev=0 index=8 comp_len=\([0-9]*\) .*/\1/p' /tmp/ev)
fl=$(sed -n 's/^swaplab_free: dev=0 index=7 comp_len=\([0-9]*\) .*/\1/p' /tmp/ev)
[ -n "$sl" ] && [ "$sl" = "$ll" ] && [ "$sl" = "$dl" ] && [ "$sl" = "$fl" ] &&
	[ "$sl" -lt 3000 ] &&
	pass "text page: store/load/dedup/free comp_len $sl" ||
	fail "text page comp_len store=$sl load=$ll dedup=$dl free=$fl"
ns=$(sed -n 's/^swaplab_store: dev=0 index=7 .* ns=\([0-9]*\) codec_ns=\([0-9]*\)$/\1 \2/p' /tmp/ev)
set -- $ns
[ -n "$2" ] && [ "$2" -gt 0 ] && [ "$1" -ge "$2" ] && pass "ns=$1 >= codec_ns=$2 > 0" || fail "ns fields: $ns"
if command -v trace-cmd > /dev/null; then
	echo 1 > $E/enable
	sltool put $D 11 text; sltool get $D 11
	echo 0 > $E/enable
	trace-cmd extract -o /x/trace.dat > /dev/null 2>&1 && pass "trace-cmd extract" || fail "trace-cmd extract"
fi
echo 1 > /sys/block/swaplab0/reset
unload_swaplab
done_test

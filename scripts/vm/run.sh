#!/bin/bash
# run.sh - run swaplab's kernel-side tests in qemu on Debian's packaged kernel.
#
#   scripts/vm/run.sh [TEST...]      default: every test in tests/vm/order
#
# Builds swaplab.ko against the installed headers, a static guest helper
# (tests/vm/sltool.c) and a busybox initramfs holding the module, the guest
# tests (tests/vm/t_*.sh), the packaged modules they need and trace-cmd;
# boots /boot/vmlinuz-$KVER under TCG (KVM does not work on these hosts);
# and brings results back over 9p into $OUT (build/vm/out):
#   results.txt  one "RESULT <test> PASS|FAIL <seconds>" line per test
#   <test>.log   the test's output     dmesg.txt  the guest's kernel log
#   console.log  the serial console    trace.dat  (trace test) + report
#   fidelity-<codec>.json  model / swaplab0 / zram0 results (fidelity test)
# Exit: 0 every test passed; 1 a test failed or is missing; 2 could not run
# (build failure, qemu error, timeout).
#
# Env: KVER (6.1's or 6.12's release, e.g. 6.12.118+deb12-amd64; default
#      the newest in /lib/modules), SMP=2, MEM=1024 (MiB), TIMEOUT=1800 (s),
#      OUT=build/vm/out, LIFECYCLE_CYCLES (passed to the guest, default 50)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
KVER=${KVER:-$(ls /lib/modules | sort -V | tail -1)}
SMP=${SMP:-2}
MEM=${MEM:-1024}
TIMEOUT=${TIMEOUT:-1800}
B=${VM_BUILD:-$TOP/build/vm}	# two runs at once need two of these
OUT=${OUT:-$B/out}
R=$B/initramfs
t0=$(date +%s)
die() { echo "vm: $*" >&2; exit 2; }
ts() { echo "[$(($(date +%s) - t0))s] $*"; }

[ -f /boot/vmlinuz-$KVER ] || die "no /boot/vmlinuz-$KVER (scripts/deps.sh vm)"
command -v qemu-system-x86_64 > /dev/null || die "no qemu (scripts/deps.sh vm)"
tests=${*:-$(cat $TOP/tests/vm/order)}
for t in $tests; do
	[ -f $TOP/tests/vm/t_$t.sh ] || die "unknown test '$t' (tests/vm/t_$t.sh)"
done

# 1. the module and the guest helper
mkdir -p $B
make -s -C $TOP/kmod KVER=$KVER SL_OUT=$B/kmod > $B/kmod-build.log 2>&1 ||
	{ cat $B/kmod-build.log; die "module build failed"; }
[ "$(modinfo -F vermagic $B/kmod/swaplab.ko | cut -d' ' -f1)" = "$KVER" ] ||
	die "swaplab.ko vermagic is not $KVER"
gcc -O2 -static -Wall -o $B/sltool $TOP/tests/vm/sltool.c ||
	die "sltool build failed"
ts "built swaplab.ko and sltool"

# 2. the initramfs
rm -rf $R && mkdir -p $R/{bin,sbin,dev,proc,sys,tmp,etc,tests}
cp /bin/busybox $R/bin/
for a in $(/bin/busybox --list); do
	[ -e $R/bin/$a ] || ln -s busybox $R/bin/$a
done
cp $B/sltool $R/bin/
cp $B/kmod/swaplab.ko $R/
cp $TOP/tests/vm/t_*.sh $TOP/tests/vm/lib.sh $R/tests/
echo "$tests" | tr ' ' '\n' > $R/tests/order
cp $TOP/tests/vm/init.sh $R/init && chmod +x $R/init
# the static CLI, when the top-level build can make one
if make -s -C $TOP -q build/swaplab-static 2> /dev/null ||
   make -s -C $TOP build/swaplab-static > /dev/null 2>&1; then
	cp $TOP/build/swaplab-static $R/bin/swaplab
fi
: > $R/etc/modules.list
for m in virtio_pci 9pnet_virtio 9p zram lz4 lz4hc zstd deflate ext4; do
	modprobe -S $KVER --show-depends $m 2> /dev/null |
	awk '$1 == "insmod" { print $2 }' | while read -r ko; do
		# 6.12's modules are .ko.xz: busybox insmod wants them plain
		plain=${ko%.xz}
		grep -qxF "$plain" $R/etc/modules.list && continue
		mkdir -p $R$(dirname $ko)
		case $ko in
		*.xz) xz -dc $ko > $R$plain ;;
		*) cp $ko $R$ko ;;
		esac
		echo "$plain" >> $R/etc/modules.list
	done
done
if command -v trace-cmd > /dev/null; then
	cp $(command -v trace-cmd) $R/bin/
	for l in $(ldd $(command -v trace-cmd) | grep -o '/lib[^ ]*'); do
		mkdir -p $R$(dirname $l) && cp -L $l $R$l
	done
fi
# more guest files: each tests/vm/guest-*.sh ROOT BUILD adds its own
export SWAPLAB_VM_TESTS="$(echo $tests)"
for g in $TOP/tests/vm/guest-*.sh; do
	[ -f "$g" ] || continue
	bash "$g" $R $B > $B/$(basename "$g" .sh).log 2>&1 ||
		{ cat $B/$(basename "$g" .sh).log; die "$g failed"; }
done
(cd $R && find . | cpio -o -H newc --quiet) > $B/initramfs.cpio
ts "initramfs $(du -h $B/initramfs.cpio | cut -f1)"

# 3. boot
rm -rf $OUT && mkdir -p $OUT/share
set +e
timeout $TIMEOUT qemu-system-x86_64 -accel tcg,thread=multi -cpu max \
	-smp $SMP -m $MEM -nodefaults -no-user-config -display none \
	-serial file:$OUT/console.log -no-reboot \
	-kernel /boot/vmlinuz-$KVER -initrd $B/initramfs.cpio \
	-append "console=ttyS0 loglevel=4 panic=-1 swaplab.tests=$(echo $tests | tr ' ' ,) LIFECYCLE_CYCLES=${LIFECYCLE_CYCLES:-50} TEST_TIMEOUT=${TEST_TIMEOUT:-420}" \
	-virtfs local,path=$OUT/share,mount_tag=host0,security_model=none,id=host0 \
	< /dev/null
qrc=$?
set -e
cp -a $OUT/share/. $OUT/ 2> /dev/null || true
rm -rf $OUT/share
ts "qemu exit $qrc"
[ $qrc = 124 ] && { tail -20 $OUT/console.log; die "timeout after ${TIMEOUT}s"; }
[ $qrc = 0 ] || { tail -20 $OUT/console.log; die "qemu failed ($qrc)"; }
if [ -s $OUT/trace.dat ]; then
	trace-cmd report -i $OUT/trace.dat > $OUT/trace-report.txt 2>&1 || true
fi

# 4. verdict
rc=0
for t in $tests; do
	line=$(grep "^RESULT $t " $OUT/results.txt 2> /dev/null || true)
	[ -n "$line" ] || line="RESULT $t FAIL (no result)"
	# the trace test's events, decoded on the host by libtraceevent
	if [ $t = trace ] && case $line in *" PASS "*) true ;; *) false ;; esac &&
	   ! grep -q 'swaplab_store: *dev=0 index=11 comp_len=[1-9]' \
		$OUT/trace-report.txt 2> /dev/null; then
		line="RESULT trace FAIL (trace.dat: no swaplab_store of page 11)"
	fi
	echo "$line"
	case $line in *" PASS "*) ;; *) rc=1 ;; esac
done
grep -h '^RATIO' $OUT/bench.log 2> /dev/null || true
ts "vm-test done, exit $rc (results in ${OUT#$TOP/})"
exit $rc

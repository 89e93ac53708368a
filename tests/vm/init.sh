#!/bin/sh
# /init of the swaplab VM initramfs (busybox): load the packaged modules,
# run the guest tests named on the kernel command line (swaplab.tests=a,b
# or all), and hand results back through the 9p share as files:
#   <test>.log, results.txt ("RESULT <test> PASS|FAIL <seconds>"), dmesg.txt
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /tmp /x /mnt/host
arg() { v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^swaplab\.$1=//p"); echo "${v:-$2}"; }
TESTS=$(arg tests all)
[ "$TESTS" = all ] && TESTS=$(cat /tests/order)
echo "=== guest up: $(uname -r), $(nproc) cpus, $(grep MemTotal /proc/meminfo | tr -s ' ')"
while read -r m; do insmod "$m" || echo "insmod $m FAILED"; done < /etc/modules.list
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host0 /mnt/host ||
	echo "9p mount FAILED"
: > /x/results.txt
for t in $(echo "$TESTS" | tr ',' ' '); do
	echo "=== test $t"
	s=$(cut -d' ' -f1 /proc/uptime)
	if [ -f /tests/t_$t.sh ]; then
		# a test that hangs fails alone (and is run again, alone, by
		# run-all.sh) rather than taking the whole boot to its timeout;
		# the longest test takes under 160 s under TCG
		timeout ${TEST_TIMEOUT:-420} sh /tests/t_$t.sh > /x/$t.log 2>&1
		rc=$?
		[ $rc = 143 ] && echo "FAIL: t_$t: killed after ${TEST_TIMEOUT:-420} s" >> /x/$t.log
	else
		echo "no such test: $t" > /x/$t.log
		rc=2
	fi
	e=$(cut -d' ' -f1 /proc/uptime)
	cat /x/$t.log
	if [ $rc = 0 ]; then r=PASS; else r=FAIL; fi
	line="RESULT $t $r $(echo "$e - $s" | bc 2>/dev/null || echo "$s..$e")"
	echo "$line" | tee -a /x/results.txt
	cp /x/$t.log /mnt/host/ 2>/dev/null
done
dmesg > /x/dmesg.txt
cp /x/results.txt /x/dmesg.txt /x/*.dat /x/*.json /mnt/host/ 2>/dev/null
sync
umount /mnt/host
echo "=== done"
poweroff -f

#!/bin/bash
# guest-compat.sh ROOT BUILD - add what the compatibility test needs to the
# initramfs tree ROOT (called by scripts/vm/run.sh for every
# tests/vm/guest-*.sh): Debian's mke2fs, its libraries and its
# /etc/mke2fs.conf (busybox's mke2fs makes no ext4), when the test runs.
set -euo pipefail
R=$1
case " ${SWAPLAB_VM_TESTS:-} " in *" compat "*) ;; *) exit 0 ;; esac
p=$(command -v mke2fs || echo /usr/sbin/mke2fs)
[ -x "$p" ] || { echo "guest-compat: no mke2fs on the host (e2fsprogs)" >&2; exit 1; }
# busybox's own mke2fs link must not shadow it
rm -f "$R/bin/mke2fs" "$R/sbin/mke2fs"
cp -L "$p" "$R/sbin/mke2fs"
for l in $(ldd "$p" | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"
done
[ -f /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$R/etc/"
exit 0

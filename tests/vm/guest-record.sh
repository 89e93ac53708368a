#!/bin/bash
# guest-record.sh ROOT BUILD - add the kernel recorder's guest files to the
# initramfs tree ROOT (called by scripts/vm/run.sh for every tests/vm/guest-*.sh):
#   /bin/rechog              the recorder test's hog and trace checker
#   with SWAPLAB_WORKLOADS=1 also python3 and sqlite3 with their libraries
#   (for recording real traces: scripts/vm/record-traces.sh)
set -euo pipefail
R=$1 B=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
gcc -O2 -static -Wall -I$TOP/format -o $B/rechog $TOP/tests/vm/rechog.c \
	$TOP/format/swt_reader.c -lzstd -llz4 -lxxhash
cp $B/rechog $R/bin/
[ "${SWAPLAB_WORKLOADS:-0}" = 1 ] || exit 0
# a program and every shared library it loads, at the same paths
copy_prog() {
	local p l
	p=$1
	[ -x "$p" ] || { echo "guest-record: no $p on the host" >&2; exit 1; }
	mkdir -p "$R$(dirname "$p")" && cp -L "$p" "$R$p"
	for l in $(ldd "$p" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"
	done
}
# Debian's own python3 (not a pyenv shim) and sqlite3
copy_prog /usr/bin/python3
copy_prog /usr/bin/sqlite3
py=$(/usr/bin/python3 -c 'import sys; print(sys.prefix + "/lib/python3." + str(sys.version_info[1]))')
mkdir -p "$R$py"
# the standard library without tests and caches: enough for the workloads
(cd "$py" && find . -path ./test -prune -o -path './site-packages' -prune -o \
	-path './dist-packages' -prune -o -name '__pycache__' -prune -o \
	\( -name '*.py' -o -path './lib-dynload/*' \) -print) |
	(cd "$py" && cpio -pdm --quiet "$R$py")
for l in $(ldd $py/lib-dynload/*.so 2> /dev/null | grep -o '/[^ ]*' | grep -v ':$' | sort -u); do
	[ -e "$R$l" ] || { mkdir -p "$R$(dirname "$l")" && cp -L "$l" "$R$l"; }
done
cp -r $TOP/tests/vm/workloads $R/
echo "${TRACE_WORKLOADS:-}" > $R/workloads/list

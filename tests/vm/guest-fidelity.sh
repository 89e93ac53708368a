#!/bin/bash
# guest-fidelity.sh ROOT BUILD - with SWAPLAB_FID_TRACES=1, put the bundled
# traces into the initramfs tree ROOT as /traces/*.swt, for t_fidtraces
# (run by hand: SWAPLAB_FID_TRACES=1 scripts/vm/run.sh fidtraces).
set -euo pipefail
R=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
[ "${SWAPLAB_FID_TRACES:-0}" = 1 ] || exit 0
mkdir -p "$R/traces"
for t in ${FID_TRACES:-python-dict python-json sqlite}; do
	cp -L "$TOP/traces/$t.swt" "$R/traces/"
done

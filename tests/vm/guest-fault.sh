#!/bin/bash
# guest-fault.sh ROOT BUILD - add the fault test's workload, /bin/slfault
# (tests/vm/slfault.c, static), to the initramfs tree ROOT (called by
# scripts/vm/run.sh for every tests/vm/guest-*.sh).
set -euo pipefail
R=$1 B=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
gcc -O2 -static -Wall -Wextra -o $B/slfault $TOP/tests/vm/slfault.c
cp $B/slfault $R/bin/

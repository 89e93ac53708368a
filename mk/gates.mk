# gates.mk - the kernel style gate is part of `make check` (issue 23):
# core/ and kmod/ are built into swaplab.ko, so checkpatch.pl (from
# linux-source-6.1, scripts/deps.sh kernel) must be clean on them.
CHECK_EXTRA += checkpatch

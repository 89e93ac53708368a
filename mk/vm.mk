# vm.mk - swaplab.ko and its tests in qemu (scripts/vm/run.sh).
#
#   make kmod               build/kmod/swaplab.ko against /lib/modules/$(KVER)
#   make kmod-check         core/ objects use only compat names (nm -u)
#   make vm-test            every guest test in tests/vm/order; results,
#                           logs and dmesg under build/vm/out
#   make vm-test VM_TESTS="swap trace"   just those
#
# `make check` runs kmod-check and vm-test (4-6 minutes under TCG).

VM_TESTS ?=
KVER ?= $(shell ls /lib/modules 2>/dev/null | sort -V | tail -1)

.PHONY: kmod kmod-check vm-test vm-deps
CHECK_EXTRA += kmod-check vm-test

kmod:
	$(MAKE) -C kmod KVER=$(KVER) SL_OUT=$(CURDIR)/$(BUILD)/kmod

kmod-check: kmod
	scripts/vm/core-syms.sh $(BUILD)/kmod

vm-deps:
	@scripts/deps.sh vm

vm-test: vm-deps
	KVER=$(KVER) scripts/vm/run.sh $(VM_TESTS)

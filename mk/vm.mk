# vm.mk - swaplab.ko and its tests in qemu (scripts/vm/run.sh).
#
#   make kmod               build/kmod/swaplab.ko against /lib/modules/$(KVER)
#   make kmod-check         core/ objects use only compat names (nm -u)
#   make vm-test            every guest test in tests/vm/order, one boot on
#                           each kernel of VM_KVERS (6.1's and 6.12's when
#                           installed); results, logs and dmesg under
#                           build/vm-<kver>/out
#   make vm-test KVER=6.12.118+deb12-amd64   that kernel only
#   make vm-test VM_TESTS="swap trace"   just those
#   make vm-test VM_PARALLEL=0   the kernels one after the other (default:
#                           side by side, each guest keeps one CPU busy)
#   make vm-test VM_RETRY=0   a failed test fails the run at once (default:
#                           it runs again alone; passing, it is reported
#                           FLAKY with its first failing checks)
#
# `make check` runs kmod-check and vm-test (about 12 minutes under TCG, the
# two kernels side by side).

VM_TESTS ?=
KVER ?= $(shell ls /lib/modules 2>/dev/null | sort -V | tail -1)
# the kernels swaplab models, as installed; KVER= on the command line: it
VM_KVERS ?= $(if $(filter command line,$(origin KVER)),$(KVER),$(shell \
	ls /lib/modules 2>/dev/null | grep -E '^6\.(1|12)\.' | sort -V))

.PHONY: kmod kmod-check vm-test vm-deps
CHECK_EXTRA += kmod-check vm-test

kmod:
	$(MAKE) -C kmod KVER=$(KVER) SL_OUT=$(CURDIR)/$(BUILD)/kmod

kmod-check: kmod
	scripts/vm/core-syms.sh $(BUILD)/kmod

vm-deps:
	@scripts/deps.sh vm

vm-test: vm-deps
	@scripts/vm/run-all.sh $(BUILD) $(VM_KVERS) -- $(VM_TESTS)

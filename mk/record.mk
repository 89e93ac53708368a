# record.mk - the kernel recorders (record --kernel, --kprobes) and
# `import trace-dat` need libtracefs and libtraceevent (static libraries
# exist: build/swaplab-static for the VM links them) and libtracecmd
# (shared only: the static binary is linked without it, and `import
# trace-dat` there says so; record/cmd_import_tracedat.c uses weak symbols).

TRACE_PKGS := libtracefs libtraceevent
EXTRA_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(TRACE_PKGS) libtracecmd 2>/dev/null)
EXTRA_LIBS += $(TRACECMD_LIBS) \
	$(shell $(PKG_CONFIG) --libs $(TRACE_PKGS) 2>/dev/null || echo -ltracefs -ltraceevent)
TRACECMD_LIBS := -Wl,--no-as-needed $(shell $(PKG_CONFIG) --libs libtracecmd 2>/dev/null | sed 's/ *-ltracefs//; s/ *-ltraceevent//') -Wl,--as-needed
$(BUILD)/swaplab-static: TRACECMD_LIBS :=

# every bundled real trace replays with every page verified (CI); the
# synthetic fallback of `make run` is not one of them
.PHONY: traces-test
CHECK_EXTRA += traces-test
traces-test: $(BUILD)/swaplab
	@set -e; for t in $(filter-out traces/default.swt,$(wildcard traces/*.swt)); do \
		$(BUILD)/swaplab replay $$t --codec lz4 --alloc zsmalloc \
			-o $(BUILD)/traces-test.json > /dev/null || \
			{ echo "traces-test: $$t failed"; exit 1; }; \
		echo "traces-test: $$t ok"; \
	done

# the recorders' and importer's refusals, on any host (no root, no module)
.PHONY: record-test
CHECK_EXTRA += record-test
record-test: $(BUILD)/swaplab
	@set -e; S=$(BUILD)/swaplab; T=$$(mktemp -d); \
	expect() { want=$$1; shift; set +e; "$$@" > $$T/out 2>&1; rc=$$?; set -e; \
		[ $$rc = $$want ] || { echo "record-test: '$$*' exit $$rc, want $$want:"; cat $$T/out; exit 1; }; \
		[ $$rc = 0 ] || [ $$(wc -l < $$T/out) = 1 ] || { echo "record-test: '$$*' printed more than one line:"; cat $$T/out; exit 1; }; }; \
	echo hello > $$T/text; printf '\027\010\104tracing6\0\0' > $$T/cut.dat; \
	expect 2 $$S import trace-dat $$T/text -o $$T/o.swt; \
	expect 2 $$S import trace-dat $$T/cut.dat -o $$T/o.swt; \
	expect 2 $$S import trace-dat $$T/none -o $$T/o.swt; \
	expect 2 $$S import trace-dat $$T -o $$T/o.swt; \
	expect 2 $$S import trace-dat $$T/text; \
	expect 2 $$S record --kernel --device zram0 -o $$T/o.swt; \
	expect 2 $$S record --kernel --device swaplab999 -o $$T/o.swt; \
	expect 2 $$S record --kernel --nice 5 -o $$T/o.swt; \
	expect 2 $$S record --kernel; \
	expect 2 $$S record --kprobes --swap-type 99 -o $$T/o.swt; \
	expect 0 $$S record --kernel --help; \
	expect 0 $$S import trace-dat --help; \
	[ ! -e $$T/o.swt ] || { echo "record-test: a refused command left o.swt"; exit 1; }; \
	rm -rf $$T; echo "record-test: ok"

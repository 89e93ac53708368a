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

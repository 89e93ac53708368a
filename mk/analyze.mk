# analyze.mk - the analyzers' command-line test and the CI gate.
#
#   make analyze-test   tests/cli/analyze.sh: info, report formats parsing
#                       back, compare verdicts, plot files (needs gnuplot)
#   make ci-compare     replay the default trace with the build of
#                       CI_BASE_REF (default: HEAD, or HEAD~1 on a clean
#                       tree) and with this tree, and fail on regression
#                       (scripts/ci-compare, docs/ci.md)

CI_BASE_REF ?=
CI_COMPARE_FLAGS ?=

.PHONY: analyze-test ci-compare
CHECK_EXTRA += analyze-test

analyze-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/analyze.sh

# TRACE is set after mk/*.mk are read: only recipes may use it
ci-compare:
	@$(MAKE) --no-print-directory all $(TRACE)
	scripts/ci-compare --new $(BUILD)/swaplab --trace $(TRACE) \
		$(if $(CI_BASE_REF),--base-ref $(CI_BASE_REF)) $(CI_COMPARE_FLAGS)

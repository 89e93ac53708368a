# bounds.mk - crafted traces at the format's bounds (issue 23):
#   make bounds-test   one-store traces at slot 2^26, 2^28, 2^32-1 and a
#                      decompression bomb replay and `info` within 64 MiB
#                      of peak RSS (tests/cli/bounds.sh)
CHECK_EXTRA += bounds-test

.PHONY: bounds-test

$(BUILD)/mktrace: tests/tools/mktrace.c $(BUILD)/libswaplab.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

bounds-test: $(BUILD)/swaplab $(BUILD)/mktrace
	SWAPLAB=$(BUILD)/swaplab MKTRACE=$(BUILD)/mktrace tests/cli/bounds.sh

# bench-scale: replay at 100k, 500k and 1M stores against the bare codec
# loop (tests/tools/bareloop.c); long, so not part of `make check`
.PHONY: bench-scale bench-scale-smoke
$(BUILD)/bareloop: tests/tools/bareloop.c $(BUILD)/libswaplab.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(LIBS)

bench-scale: $(BUILD)/swaplab $(BUILD)/bareloop
	BUILD=$(BUILD) scripts/bench_scale.sh 100000 500000 1000000

bench-scale-smoke: $(BUILD)/swaplab $(BUILD)/bareloop
	BUILD=$(BUILD) scripts/bench_scale.sh 20000

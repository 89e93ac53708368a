# fuzz.mk - fuzzing, sanitizers beyond ASan, fault injection, valgrind and
# hostile-input tests (issue 10).
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="swt_read ..."]
#                      each tests/fuzz/<target>/fuzz.c under libFuzzer with
#                      ASan+UBSan (clang), seeded from its corpus/; prints
#                      total execs and execs/s per target and appends them
#                      to build/fuzz/execs.log; crashes go to
#                      build/fuzz/artifacts/
#   make fuzz-regress  every corpus through the targets built with $(CC)
#                      under ASan+UBSan, without libFuzzer (tests/fuzz/regress.c)
#   make tsan-test     threads hammering one store (tests/tsan/store_threads.c),
#                      and the replay engine's threads (replay_threads.sh)
#   make valgrind-test a short replay under memcheck (scripts/valgrind.sh)
#   make safety-test   output files are never half written (tests/cli/safety.sh)
#   make hostile-test  every subcommand with bad arguments (tests/cli/hostile.sh)
#   make fault-test    the fault-injection suite alone, under ASan+LSan
#                      (it also runs with every unit-test run)
#   make fuzz-seeds    regenerate the generated seeds (tests/fuzz/mkseeds.c,
#                      swt_read's mkseed mode and gen)
#
# `make check` runs all of these but `fuzz` (a minute or two on 2 cores;
# fault_ut runs with the unit tests).

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%/fuzz.c,%,$(wildcard tests/fuzz/*/fuzz.c))
# FUZZ_SAN=undefined builds into build/fuzz-undefined: several times the
# execs/s of the ASan build where big allocations dominate (the trace
# reader's 4 MiB buffers cost ASan ~1 MiB of shadow writes per open); run
# `make fuzz-recheck` afterwards to pass that corpus through ASan
FUZZ_SAN ?= address,undefined
FUZZ_DIR ?= $(if $(filter address%,$(FUZZ_SAN)),build/fuzz,build/fuzz-$(FUZZ_SAN))
# every object, the kernel's codec sources too, carries coverage: the
# decompressors under test are kernel code
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	-fno-sanitize-recover=undefined
FUZZ_RUN_FLAGS ?= -rss_limit_mb=4096 -timeout=20

CHECK_EXTRA += fuzz-regress tsan-test valgrind-test safety-test hostile-test

.PHONY: fuzz-recheck fuzz-seeds fuzz fuzz-build fuzz-bins fuzz-regress fuzz-regress-bins tsan-test \
	valgrind-test safety-test hostile-test fault-test

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_DIR) CC=$(FUZZ_CC) SAN= \
		CFLAGS="$(FUZZ_CFLAGS)" FUZZ_TARGETS="$(FUZZ_TARGETS)" \
		FUZZ_SAN=$(FUZZ_SAN) fuzz-bins

fuzz-bins: $(addprefix $(BUILD)/fuzz-bin/,$(FUZZ_TARGETS))

# check() walks every structure after every op: comparison tracing there
# halves the speed and guides nothing
ifneq ($(filter build/fuzz%,$(BUILD)),)
$(BUILD)/core/alloc%.o: EXTRA_CFLAGS += -fno-sanitize-coverage=trace-cmp
# The kernel's codecs load unaligned on purpose where the arch allows it
# (CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS, e.g. lib/zlib_inflate/inffast.c);
# the kernel's UBSAN leaves the alignment check off there, and so do we.
# (kcodecs.mk is read later: the pattern covers the glue of each tree too)
$(BUILD)/kcodec/%.o: override CFLAGS += -fno-sanitize=alignment
endif

# every unit the working corpora gathered, once, through the ASan build
fuzz-recheck:
	@$(MAKE) --no-print-directory FUZZ_SAN=address,undefined fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		for d in build/fuzz*/corpus/$$t; do \
			[ -d "$$d" ] || continue; \
			build/fuzz/fuzz-bin/$$t -runs=0 $(FUZZ_RUN_FLAGS) $$d \
				>build/fuzz/recheck.$$t.log 2>&1 || { \
				echo "recheck $$t: FAILED on $$d"; \
				tail -30 build/fuzz/recheck.$$t.log; exit 1; }; \
			echo "recheck $$t: $$(ls $$d | wc -l) units of $$d clean"; \
		done; \
	done

# Every target runs on a working corpus (build/fuzz/corpus/T, new units
# land there) plus the committed seeds, with the libFuzzer flags in
# tests/fuzz/T/options if there is one.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/artifacts; status=0; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		log=$(FUZZ_DIR)/log.$$t; \
		$(FUZZ_DIR)/fuzz-bin/$$t -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 $(FUZZ_RUN_FLAGS) \
			$$(cat tests/fuzz/$$t/options 2>/dev/null) \
			-artifact_prefix=$(FUZZ_DIR)/artifacts/$$t- \
			$(FUZZ_DIR)/corpus/$$t tests/fuzz/$$t/corpus \
			>$$log 2>&1 || { status=1; \
			echo "fuzz $$t: FAILED, see $$log"; tail -40 $$log; }; \
		ex=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
		ps=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log); \
		printf 'fuzz %-20s %12s execs %8s execs/s\n' $$t "$$ex" "$$ps"; \
		echo "$$(date -u +%FT%TZ) $$t $${ex:-0} $${ps:-0}" \
			>>$(FUZZ_DIR)/execs.log; \
	done; \
	awk '{ n[$$2] += $$3 } END { for (t in n) \
		printf "fuzz total %-14s %12d execs over all runs\n", t, n[t] }' \
		$(FUZZ_DIR)/execs.log | sort; \
	exit $$status

# The fuzz library: libswaplab's objects plus each tree's kernel codecs as
# kcodecs.mk links them (its undefined-symbol check lets coverage's
# __sanitizer_cov_* through).  Secondary expansion: kcodecs.mk, read after
# this file, defines the object lists.
.SECONDEXPANSION:
$(BUILD)/libswaplab-fuzz.a: $$(call obj,$$(LIB_SRC)) $$(KC_ALL)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fuzz-bin/%: tests/fuzz/%/fuzz.c tests/fuzz/*.h \
		$(BUILD)/libswaplab-fuzz.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -fsanitize=fuzzer \
		-o $@ $< $(BUILD)/libswaplab-fuzz.a $(LIBS)

# the same targets for any cc, driven by regress.c
$(BUILD)/fuzz-regress/%: tests/fuzz/%/fuzz.c tests/fuzz/regress.c \
		tests/fuzz/*.h $(BUILD)/libswaplab.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< \
		tests/fuzz/regress.c $(BUILD)/libswaplab.a $(ALL_LDFLAGS) $(LIBS)

fuzz-regress-bins: $(addprefix $(BUILD)/fuzz-regress/,$(FUZZ_TARGETS))

fuzz-regress:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=asan \
		FUZZ_TARGETS="$(FUZZ_TARGETS)" fuzz-regress-bins
	@for t in $(FUZZ_TARGETS); do \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build/asan/fuzz-regress/$$t tests/fuzz/$$t/corpus || exit 1; \
	done

# TSan: only what the store needs (no kernel codecs to instrument), so the
# build takes seconds
TSAN_SRC = $(wildcard core/*.c) core/user/sl_compat.c \
	core/user/codec_liblz4.c core/user/codec_libzstd.c \
	tests/tsan/store_threads.c
build/tsan/store-threads: $(TSAN_SRC) $(wildcard core/*.h core/user/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -Wno-missing-prototypes -O1 -g \
		-fsanitize=thread -I. -Icore -o $@ $(TSAN_SRC) -llz4 -lzstd -lxxhash -lpthread

# and the replay engine's threads, in a TSan swaplab without kernel codecs
tsan-test: build/tsan/store-threads
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
		build/tsan/store-threads
	@$(MAKE) --no-print-directory SAN=tsan BUILD=build/tsan-swaplab \
		KSRC=none build/tsan-swaplab/swaplab
	SWAPLAB=build/tsan-swaplab/swaplab tests/tsan/replay_threads.sh

valgrind-test: $(BUILD)/swaplab
	scripts/valgrind.sh $(BUILD)/swaplab

safety-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/safety.sh

hostile-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/hostile.sh

fault-test:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=asan \
		build/asan/unit-tests
	ASAN_OPTIONS=detect_leaks=1 build/asan/unit-tests fault

SEED_DIR := $(BUILD)/fuzz-seeds
fuzz-seeds: $(BUILD)/swaplab $(BUILD)/libswaplab.a
	@mkdir -p $(SEED_DIR)
	$(CC) $(ALL_CFLAGS) -o $(SEED_DIR)/mkseeds tests/fuzz/mkseeds.c \
		$(BUILD)/libswaplab.a $(ALL_LDFLAGS) $(LIBS)
	$(CC) -std=gnu11 -O1 -DSWT_MKSEED -I. -o $(SEED_DIR)/mkseed \
		tests/fuzz/swt_read/fuzz.c $(LIBS)
	$(SEED_DIR)/mkseeds
	@for spec in text:3 mixed:12 realistic:40 zero:5 random:2; do \
		p=$${spec%:*}; n=$${spec#*:}; \
		$(BUILD)/swaplab gen --profile $$p --pages $$n --seed 3 \
			-o $(SEED_DIR)/$$p.swt --force >/dev/null || exit 1; \
		{ printf '\0'; cat $(SEED_DIR)/$$p.swt; } \
			>tests/fuzz/swt_read/corpus/raw-$$p; \
		$(SEED_DIR)/mkseed $(SEED_DIR)/$$p.swt \
			tests/fuzz/swt_read/corpus/fix512-$$p 512 || exit 1; \
	done
	$(SEED_DIR)/mkseed $(SEED_DIR)/text.swt tests/fuzz/swt_read/corpus/fix-text
# results_load/corpus/replay.json is a replay of realistic.swt with every
# list cut to two entries by hand: a whole one (50 KB of timeline) slows
# the target tenfold

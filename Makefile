# swaplab - swap-replay and compression benchmarking toolkit.
#
#   make            build build/swaplab
#   make run        install what is missing, build, replay the default trace
#                   against every codec and print the report
#   make check      install, build, run every test (also under ASan+UBSan)
#   make bench      print the benchmark figures
#   make install    PREFIX=/usr/local DESTDIR=
#
# Parts owned by later layers (kernel codecs, module, VM, fuzzing) live in
# mk/*.mk and are included below; each adds to the variables defined here.

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config
SAN ?=

PKGS := liblz4 libzstd jansson libxxhash
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wmissing-prototypes -Wshadow
CFLAGS ?= -O2 -g
ifeq ($(SAN),asan)
CFLAGS := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif
ifeq ($(SAN),tsan)
CFLAGS := -O1 -g
SANFLAGS := -fsanitize=thread
endif
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -I. -Icore \
	-DSWAPLAB_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(PKG_LIBS) $(EXTRA_LIBS) -lm -lpthread

CORE_SRC := $(wildcard core/*.c) $(wildcard core/user/*.c)
FORMAT_SRC := $(wildcard format/*.c)
CMD_SRC := $(wildcard cli/*.c record/*.c replay/*.c analyze/*.c)
LIB_SRC = $(CORE_SRC) $(FORMAT_SRC) $(filter-out cli/swaplab.c,$(CMD_SRC))
UT_SRC := $(wildcard tests/unit/*_ut.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

.PHONY: all run check bench install deps deps-build clean unit-test \
	asan-test cli-test checkpatch nokernel-test
all: $(BUILD)/swaplab

-include mk/*.mk

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libswaplab.a: $(call obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/swaplab: $(BUILD)/cli/swaplab.o $(BUILD)/libswaplab.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# a static binary for the VM's initramfs (no shared libraries there)
$(BUILD)/swaplab-static: $(BUILD)/cli/swaplab.o $(BUILD)/libswaplab.a
	$(CC) -static $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# one CUnit runner; each tests/unit/NAME_ut.c provides NAME_ut_register()
$(BUILD)/tests/ut_list.h: $(UT_SRC) Makefile
	@mkdir -p $(dir $@)
	@for f in $(UT_SRC); do n=$$(basename $$f _ut.c); \
		echo "UT($$n)"; done > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/unit/main.o: $(BUILD)/tests/ut_list.h
$(BUILD)/tests/unit/main.o: EXTRA_CFLAGS += -I$(BUILD)/tests
# suites are declared by the generated list, not by headers
$(BUILD)/tests/%.o: WARN += -Wno-missing-prototypes
$(BUILD)/unit-tests: $(call obj,tests/unit/main.c tests/unit/ut_util.c \
		$(UT_SRC)) $(BUILD)/libswaplab.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcunit

deps:
	@scripts/deps.sh
deps-build:
	@scripts/deps.sh build

unit-test: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

cli-test: $(BUILD)/swaplab
	SWAPLAB=$(BUILD)/swaplab tests/cli/run.sh
	SWAPLAB=$(BUILD)/swaplab tests/cli/chunk.sh
	SWAPLAB=$(BUILD)/swaplab tests/cli/zswap.sh
	SWAPLAB=$(BUILD)/swaplab tests/cli/scale.sh

asan-test:
	$(MAKE) --no-print-directory BUILD=build/asan SAN=asan \
		build/asan/unit-tests build/asan/swaplab
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build/asan/unit-tests
	SWAPLAB=build/asan/swaplab tests/cli/run.sh
	SWAPLAB=build/asan/swaplab tests/cli/zswap.sh
	SWAPLAB=build/asan/swaplab tests/cli/analyze.sh
	SWAPLAB=build/asan/swaplab tests/cli/chunk.sh
	SWAPLAB=build/asan/swaplab tests/cli/scale.sh

# the bundled real trace once there is one, else a reproducible synthetic one
# issue 4: a build without a kernel source tree passes its tests too
nokernel-test:
	$(MAKE) --no-print-directory BUILD=build/nokernel KSRC=none \
		build/nokernel/unit-tests build/nokernel/swaplab
	build/nokernel/unit-tests
	SWAPLAB=build/nokernel/swaplab tests/cli/run.sh
	SWAPLAB=build/nokernel/swaplab tests/cli/chunk.sh

TRACE ?= $(firstword $(wildcard traces/default.swt) $(BUILD)/default.swt)
$(BUILD)/default.swt: | $(BUILD)/swaplab
	$(BUILD)/swaplab gen --profile realistic --pages 16384 --seed 1 -o $@

run: deps
	@$(MAKE) --no-print-directory all $(TRACE)
	@mkdir -p results
	$(BUILD)/swaplab replay $(TRACE) --codec all --alloc zsmalloc \
		-o results/default.json
	$(BUILD)/swaplab report results/default.json

check: deps
	@$(MAKE) --no-print-directory all $(BUILD)/unit-tests
	@$(MAKE) --no-print-directory unit-test cli-test asan-test \
		nokernel-test $(CHECK_EXTRA)

bench: deps-build
	@$(MAKE) --no-print-directory all
	scripts/bench.sh $(BUILD)/swaplab

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/swaplab $(DESTDIR)$(PREFIX)/bin/swaplab
	install -m 644 docs/swaplab.1 $(DESTDIR)$(PREFIX)/share/man/man1/

KSRC_CHECKPATCH ?= $(wildcard /usr/src/linux-source-6.1/scripts/checkpatch.pl)
checkpatch:
	scripts/checkpatch.sh $(wildcard core/*.[ch] core/kernel/*.[ch] kmod/*.[ch])

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

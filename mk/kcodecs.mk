# kcodecs.mk - the kernel's own codec sources, compiled into userspace.
#
# swaplab's "lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate" and "842"
# are the kernel's lib/ code, built from a kernel source tree through the
# shim in core/user/kcodec/include.  The tree is a build input, never part
# of the repository:
#
#   make                     Debian's linux-source-6.1 tarball, extracting
#                            only the codec dirs into $(BUILD)/ksrc (~10 s)
#   make KSRC=/path/to/linux any kernel tree, compiled in place (read only)
#   make KSRC=none           library codecs only (as when neither exists)
#
# Everything the kernel objects define is made local except sl_kc_*: the
# kernel's LZ4_*, ZSTD_* and lzo1x_* names are also liblz4's, libzstd's and
# liblzo2's, and both sets live in one binary.

KSRC ?=
KC_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
KC_DIR := $(BUILD)/kcodec
KC_SHIM := core/user/kcodec

EXTRA_LIBS += -llzo2 -ldeflate -lz
EXTRA_CFLAGS += -I$(KC_DIR)

# the 6.1 file list; a KSRC tree's own lib/zstd and lib/lzo files are
# found by wildcard instead (later kernels add and rename zstd files, and
# lzo1x_compress_safe.c exists only from 6.15 and its stable backports)
KC_LIB_BASE := lib/lz4/lz4_compress.c lib/lz4/lz4hc_compress.c \
	lib/lz4/lz4_decompress.c \
	lib/842/842_compress.c lib/842/842_decompress.c \
	lib/zlib_deflate/deflate.c lib/zlib_deflate/deftree.c \
	lib/zlib_inflate/inffast.c lib/zlib_inflate/inflate.c \
	lib/zlib_inflate/infutil.c lib/zlib_inflate/inftrees.c \
	lib/xxhash.c
KC_LIB_61 := lib/lzo/lzo1x_compress.c lib/lzo/lzo1x_compress_safe.c \
	lib/lzo/lzo1x_decompress_safe.c \
	lib/zstd/zstd_compress_module.c lib/zstd/zstd_decompress_module.c \
	$(addprefix lib/zstd/common/,debug.c entropy_common.c \
		error_private.c fse_decompress.c zstd_common.c) \
	$(addprefix lib/zstd/compress/,fse_compress.c hist.c \
		huf_compress.c zstd_compress.c zstd_compress_literals.c \
		zstd_compress_sequences.c zstd_compress_superblock.c \
		zstd_double_fast.c zstd_fast.c zstd_lazy.c zstd_ldm.c \
		zstd_opt.c) \
	$(addprefix lib/zstd/decompress/,huf_decompress.c zstd_ddict.c \
		zstd_decompress.c zstd_decompress_block.c)
KC_EXTRACT := Makefile lib/lz4 lib/lzo lib/842 lib/zlib_deflate \
	lib/zlib_inflate lib/zstd lib/xxhash.c \
	$(addprefix include/linux/,lz4.h lzo.h sw842.h zlib.h zutil.h \
		zconf.h xxhash.h zstd.h zstd_errors.h zstd_lib.h)

ifeq ($(KSRC),none)
KC_TREE :=
KC_WHY := KSRC=none
else ifneq ($(KSRC),)
KC_TREE := $(KSRC)
KC_NAME := $(KSRC)
KC_STAMP := $(KSRC)/Makefile
KC_LIB := $(KC_LIB_BASE) $(patsubst $(KSRC)/%,%,$(wildcard \
	$(addprefix $(KSRC)/lib/,lzo/*.c zstd/*.c zstd/*/*.c)))
KC_LZO_SAFE := $(if $(wildcard $(KSRC)/lib/lzo/lzo1x_compress_safe.c),1)
else ifneq ($(wildcard $(KC_TARBALL)),)
KC_TREE := $(BUILD)/ksrc/linux-source-6.1
KC_NAME := linux-source-6.1
KC_STAMP := $(BUILD)/ksrc/.extracted
KC_LIB := $(KC_LIB_BASE) $(KC_LIB_61)
KC_LZO_SAFE := 1
else
KC_TREE :=
KC_WHY := no $(KC_TARBALL) and no KSRC=
endif

# kc_config.h follows the mode: rewrite it only when the mode changes
KC_MODE := $(if $(KC_TREE),$(KC_NAME),none)
$(shell mkdir -p $(KC_DIR); [ "$$(cat $(KC_DIR)/kc_mode 2>/dev/null)" = \
	"$(KC_MODE)" ] || echo "$(KC_MODE)" > $(KC_DIR)/kc_mode)

$(BUILD)/core/user/codecs.o: $(KC_DIR)/kc_config.h

ifneq ($(KC_TREE),)

KC_SAN := $(if $(filter asan,$(SAN)),-fsanitize=address) \
	$(if $(filter tsan,$(SAN)),-fsanitize=thread)
# the kernel's own codegen flags that change semantics, not just speed
KC_CFLAGS = -std=gnu11 $(CFLAGS) $(KC_SAN) -fno-strict-aliasing \
	-fno-strict-overflow -fno-delete-null-pointer-checks -fno-common \
	-I$(KC_SHIM)/include -I$(KC_TREE)/include \
	$(if $(KC_LZO_SAFE),-DSL_KC_LZO_SAFE)
KC_OBJS := $(patsubst %.c,$(KC_DIR)/k/%.o,$(KC_LIB))
KC_GLUE := $(patsubst %.c,$(KC_DIR)/%.o,$(notdir \
	$(wildcard $(KC_SHIM)/kc_*.c)))

LIB_SRC += $(KC_SHIM)/codec_kernel.c
$(BUILD)/libswaplab.a: $(KC_DIR)/kcodecs.o

$(BUILD)/ksrc/.extracted: $(KC_TARBALL)
	@echo "  EXTRACT $(KC_TARBALL): $(words $(KC_EXTRACT)) codec paths"
	@rm -rf $(BUILD)/ksrc && mkdir -p $(BUILD)/ksrc
	tar -xJf $< -C $(BUILD)/ksrc $(addprefix linux-source-6.1/,$(KC_EXTRACT))
	@touch $@

$(addprefix $(KC_TREE)/,$(KC_LIB)): $(KC_STAMP)
	@:

# kernel sources are not ours: no warnings, the kernel's flags
$(KC_DIR)/k/%.o: $(KC_TREE)/%.c $(KC_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KC_CFLAGS) -w -Werror=implicit-function-declaration -MMD -MP -c -o $@ $<

$(KC_DIR)/%.o: $(KC_SHIM)/%.c $(KC_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(KC_CFLAGS) $(WARN) -I$(KC_SHIM) -MMD -MP -c -o $@ $<

$(KC_DIR)/kcodecs.o: $(KC_OBJS) $(KC_GLUE)
	$(LD) -r -o $@.tmp $^
	objcopy -w --keep-global-symbol='sl_kc_*' $@.tmp $@
	@rm -f $@.tmp
	@bad=$$(nm -u $@ | awk '{print $$2}' | grep -vxE \
		'mem(cpy|move|set)|sl_k(malloc|free)|__(asan|ubsan|tsan)_.*' \
		|| true); [ -z "$$bad" ] || { echo "kcodecs: the shim lacks:" \
		$$bad >&2; rm -f $@; exit 1; }

$(KC_DIR)/kc_config.h: $(KC_DIR)/kc_mode $(KC_STAMP)
	@v=$$(awk '$$2 == "=" { k[$$1] = $$3 } END { printf "%s.%s.%s%s", \
		k["VERSION"], k["PATCHLEVEL"], k["SUBLEVEL"], \
		k["EXTRAVERSION"] }' $(KC_TREE)/Makefile); \
	printf '#define SL_HAVE_KCODECS 1\n#define SL_KC_SOURCE "%s (%s)"\n' \
		"$(KC_NAME)" "$$v" > $@

else

$(warning kcodecs: building without kernel codecs ($(KC_WHY)): library codecs only)
$(KC_DIR)/kc_config.h: $(KC_DIR)/kc_mode
	@printf '#define SL_HAVE_KCODECS 0\n#define SL_KC_SOURCE "none"\n' > $@

endif

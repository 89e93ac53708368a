# kcodecs.mk - the kernel's own codec sources, compiled into userspace.
#
# swaplab's "lzo", "lzo-rle", "lz4", "lz4hc", "zstd", "deflate" and "842"
# are the kernel's lib/ code, built from kernel source trees through the
# shim in core/user/kcodec/include.  One binary holds the codecs of every
# tree it was built from, named "zstd@6.1", "zstd@6.12"; the trees are
# build inputs, never part of the repository:
#
#   make                     Debian's linux-source-6.1 and linux-source-6.12
#                            tarballs (those installed), extracting only the
#                            codec dirs into $(BUILD)/ksrc (~10 s each)
#   make KSRC=/path/to/linux adds any kernel tree, compiled in place (read
#                            only); a tree of a version already there
#                            (6.1, 6.12) takes that version's place
#   make KSRC=none           library codecs only (as when no tree exists)
#
# Each tree is linked into one object whose only global symbol is its
# sl_kc_tree_<id> table: the kernel's LZ4_*, ZSTD_* and lzo1x_* names are
# also liblz4's, libzstd's and liblzo2's, and two trees define them too.

KSRC ?=
KC_KERNELS ?= 6.1 6.12
KC_DIR := $(BUILD)/kcodec
KC_SHIM := core/user/kcodec

EXTRA_LIBS += -llzo2 -ldeflate -lz
EXTRA_CFLAGS += -I$(KC_DIR)

# the files of Debian's trees; a KSRC tree's own lib/zstd and lib/lzo files
# are found by wildcard instead (kernels add and rename zstd files, and
# lzo1x_compress_safe.c exists only from 6.15 and its stable backports)
KC_LIB_BASE := lib/lz4/lz4_compress.c lib/lz4/lz4hc_compress.c \
	lib/lz4/lz4_decompress.c \
	lib/842/842_compress.c lib/842/842_decompress.c \
	lib/zlib_deflate/deflate.c lib/zlib_deflate/deftree.c \
	lib/zlib_inflate/inffast.c lib/zlib_inflate/inflate.c \
	lib/zlib_inflate/infutil.c lib/zlib_inflate/inftrees.c \
	lib/xxhash.c \
	lib/lzo/lzo1x_compress.c lib/lzo/lzo1x_compress_safe.c \
	lib/lzo/lzo1x_decompress_safe.c
KC_ZSTD_61 := lib/zstd/zstd_compress_module.c \
	lib/zstd/zstd_decompress_module.c \
	$(addprefix lib/zstd/common/,debug.c entropy_common.c \
		error_private.c fse_decompress.c zstd_common.c) \
	$(addprefix lib/zstd/compress/,fse_compress.c hist.c \
		huf_compress.c zstd_compress.c zstd_compress_literals.c \
		zstd_compress_sequences.c zstd_compress_superblock.c \
		zstd_double_fast.c zstd_fast.c zstd_lazy.c zstd_ldm.c \
		zstd_opt.c) \
	$(addprefix lib/zstd/decompress/,huf_decompress.c zstd_ddict.c \
		zstd_decompress.c zstd_decompress_block.c)
KC_LIB_6.1 := $(KC_LIB_BASE) $(KC_ZSTD_61)
KC_LIB_6.12 := $(KC_LIB_BASE) $(KC_ZSTD_61) lib/zstd/zstd_common_module.c
KC_EXTRACT := Makefile lib/lz4 lib/lzo lib/842 lib/zlib_deflate \
	lib/zlib_inflate lib/zstd lib/xxhash.c \
	$(addprefix include/linux/,lz4.h lzo.h sw842.h zlib.h zutil.h \
		zconf.h xxhash.h zstd.h zstd_errors.h zstd_lib.h)

# "6.12" from a tree's Makefile; id "612" names its symbols and dirs
kc_version = $(shell awk '$$2 == "=" && $$1 == "VERSION" { v = $$3 } \
	$$2 == "=" && $$1 == "PATCHLEVEL" { p = $$3 } END { \
	if (v != "") print v "." p }' $(1)/Makefile 2>/dev/null)
kc_id = $(subst .,,$(1))

KC_TREES :=
ifneq ($(KSRC),none)
KC_KSRC_K := $(if $(KSRC),$(call kc_version,$(KSRC)))
ifneq ($(KSRC),)
ifeq ($(KC_KSRC_K),)
$(error KSRC=$(KSRC): no kernel Makefile with VERSION/PATCHLEVEL there)
endif
endif
KC_TREES := $(foreach k,$(filter-out $(KC_KSRC_K),$(KC_KERNELS)),\
	$(if $(wildcard /usr/src/linux-source-$(k).tar.xz),$(k))) $(KC_KSRC_K)
endif
KC_TREES := $(shell printf '%s\n' $(KC_TREES) | sort -uV)

KC_SAN := $(if $(filter asan,$(SAN)),-fsanitize=address) \
	$(if $(filter tsan,$(SAN)),-fsanitize=thread)

# kc_config.h lists the trees: rewrite it only when the list changes
KC_MODE := $(if $(KC_TREES),$(foreach k,$(KC_TREES),$(k)=$(if $(filter \
	$(k),$(KC_KSRC_K)),$(KSRC),linux-source-$(k))),none)
$(shell mkdir -p $(KC_DIR); [ "$$(cat $(KC_DIR)/kc_mode 2>/dev/null)" = \
	"$(KC_MODE)" ] || echo "$(KC_MODE)" > $(KC_DIR)/kc_mode)

$(BUILD)/core/user/codecs.o $(BUILD)/core/user/kcodec/codec_kernel.o: \
	$(KC_DIR)/kc_config.h

# KC_TREE_RULES(kernel): the objects of one tree, linked as one
define KC_TREE_RULES
KC_ID_$(1) := $(call kc_id,$(1))
ifeq ($(1),$(KC_KSRC_K))
KC_TREE_$(1) := $(KSRC)
KC_NAME_$(1) := $(KSRC)
KC_STAMP_$(1) := $(KSRC)/Makefile
KC_FILES_$(1) := $(filter-out lib/lzo/% lib/zstd/%,$(KC_LIB_BASE)) \
	$$(patsubst $(KSRC)/%,%,$$(wildcard \
	$$(addprefix $(KSRC)/lib/,lzo/*.c zstd/*.c zstd/*/*.c)))
else
KC_TREE_$(1) := $(BUILD)/ksrc/linux-source-$(1)
KC_NAME_$(1) := linux-source-$(1)
KC_STAMP_$(1) := $(BUILD)/ksrc/linux-source-$(1)/.extracted
KC_FILES_$(1) := $(KC_LIB_$(1))
endif
KC_OUT_$(1) := $(KC_DIR)/$$(KC_ID_$(1))
KC_OBJS_$(1) := $$(patsubst %.c,$$(KC_OUT_$(1))/k/%.o,$$(KC_FILES_$(1)))
KC_GLUE_$(1) := $$(patsubst %.c,$$(KC_OUT_$(1))/%.o,$$(notdir \
	$$(wildcard $(KC_SHIM)/kc_*.c)))
KC_CFLAGS_$(1) = -std=gnu11 $$(CFLAGS) $$(KC_SAN) -fno-strict-aliasing \
	-fno-strict-overflow -fno-delete-null-pointer-checks -fno-common \
	-I$(KC_SHIM)/include -I$$(KC_TREE_$(1))/include \
	-I$$(KC_OUT_$(1)) \
	$$(if $$(wildcard $$(KC_TREE_$(1))/lib/lzo/lzo1x_compress_safe.c),-DSL_KC_LZO_SAFE)
KC_ALL += $$(KC_OUT_$(1))/kcodecs.o

$(BUILD)/ksrc/linux-source-$(1)/.extracted: /usr/src/linux-source-$(1).tar.xz
	@echo "  EXTRACT $$<: $(words $(KC_EXTRACT)) codec paths"
	@rm -rf $(BUILD)/ksrc/linux-source-$(1)
	@mkdir -p $(BUILD)/ksrc
	tar -xJf $$< -C $(BUILD)/ksrc \
		$(addprefix linux-source-$(1)/,$(KC_EXTRACT))
	@touch $$@

$$(addprefix $$(KC_TREE_$(1))/,$$(KC_FILES_$(1))): $$(KC_STAMP_$(1))
	@:

# kernel sources are not ours: no warnings, the kernel's flags
$$(KC_OUT_$(1))/k/%.o: $$(KC_TREE_$(1))/%.c $$(KC_STAMP_$(1))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(KC_CFLAGS_$(1)) -w -Werror=implicit-function-declaration \
		-MMD -MP -c -o $$@ $$<

$$(KC_OUT_$(1))/%.o: $(KC_SHIM)/%.c $$(KC_OUT_$(1))/kc_tree.h
	@mkdir -p $$(dir $$@)
	$$(CC) $$(KC_CFLAGS_$(1)) $$(WARN) -I$(KC_SHIM) -MMD -MP -c -o $$@ $$<

# the tree's version and where it came from, for its sl_kc_tree table
$$(KC_OUT_$(1))/kc_tree.h: $$(KC_STAMP_$(1)) $(KC_DIR)/kc_mode
	@mkdir -p $$(dir $$@)
	@awk -v id=$$(KC_ID_$(1)) -v k=$(1) -v name="$$(KC_NAME_$(1))" \
		'$$$$2 == "=" { m[$$$$1] = $$$$3 } END { \
		printf "#define SL_KC_TREE sl_kc_tree_%s\n", id; \
		printf "#define SL_KC_KERNEL \"%s\"\n", k; \
		printf "#define SL_KC_LINUX %d\n", \
			m["VERSION"] * 65536 + m["PATCHLEVEL"] * 256; \
		printf "#define SL_KC_SOURCE \"%s (%s.%s.%s%s)\"\n", name, \
			m["VERSION"], m["PATCHLEVEL"], m["SUBLEVEL"], \
			m["EXTRAVERSION"] }' $$(KC_TREE_$(1))/Makefile > $$@

$$(KC_OUT_$(1))/kcodecs.o: $$(KC_OBJS_$(1)) $$(KC_GLUE_$(1))
	$$(LD) -r -o $$@.tmp $$^
	objcopy -w --keep-global-symbol='sl_kc_tree_*' $$@.tmp $$@
	@rm -f $$@.tmp
	@bad=$$$$(nm -u $$@ | awk '{print $$$$2}' | grep -vxE \
		'mem(cpy|move|set)|sl_k(malloc|free)|__(asan|ubsan|tsan|sanitizer_cov)_.*' \
		|| true); [ -z "$$$$bad" ] || { echo "kcodecs $(1): the shim lacks:" \
		$$$$bad >&2; rm -f $$@; exit 1; }

-include $$(KC_OBJS_$(1):.o=.d) $$(KC_GLUE_$(1):.o=.d)
endef

KC_ALL :=
$(foreach k,$(KC_TREES),$(eval $(call KC_TREE_RULES,$(k))))

ifneq ($(KC_TREES),)

LIB_SRC += $(KC_SHIM)/codec_kernel.c
$(BUILD)/libswaplab.a: $(KC_ALL)

# X(id, "kernel") for each tree, oldest first
$(KC_DIR)/kc_config.h: $(KC_DIR)/kc_mode
	@{ printf '#define SL_HAVE_KCODECS 1\n#define SL_KC_TREES(X)'; \
	for k in $(KC_TREES); do printf ' X(%s, "%s")' \
		"$$(echo $$k | tr -d .)" "$$k"; done; echo; } > $@

else

$(warning kcodecs: building without kernel codecs ($(if $(filter none,$(KSRC)),KSRC=none,no /usr/src/linux-source-{$(KC_KERNELS)}.tar.xz and no KSRC=)): library codecs only)
$(KC_DIR)/kc_config.h: $(KC_DIR)/kc_mode
	@printf '#define SL_HAVE_KCODECS 0\n#define SL_KC_TREES(X)\n' > $@

endif

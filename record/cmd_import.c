/*
 * cmd_import.c - `swaplab import core|raw FILE`: a trace from memory
 * that was saved to a file.
 *
 * A core dump (e.g. from gcore) or a raw memory image holds contents but
 * no order: every page becomes one STORE, in address order, to slots
 * 0, 1, 2, ...  That is enough for ratio, dedup and allocator questions;
 * for latency over time, record a live stream instead.
 *
 * With --folio-order K, 2^K pages that are adjacent in the address space
 * (a core's virtual addresses, an image's offsets) and aligned to 2^K
 * pages go out as one large folio, to 2^K aligned slots, as the swap
 * allocator gives a folio a cluster of its order.  That is the sampler's
 * rule (record --folio-order): the dump does not say which folios the
 * process had, so this is the upper bound of what mTHP could group.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/util.h"
#include "format/swt.h"
#include "record/kernel_rec.h"

#define PG	4096

static const char import_usage[] =
"usage: swaplab import core FILE [--all-segments] [--folio-order K] -o OUT.swt\n"
"       swaplab import raw FILE [--folio-order K] -o OUT.swt\n"
"       swaplab import trace-dat FILE -o OUT.swt   (see its --help)\n"
"\n"
"Make a trace of every page of an ELF core dump (its writable PT_LOAD\n"
"segments: the process's data, heap, stacks and anonymous mappings) or\n"
"of a raw memory image (a partial last page is padded with zeroes).\n"
"Pages are stored in file order to slots 0, 1, 2, ...\n"
"\n"
"  --all-segments   core: read-only segments too\n"
"  --folio-order K  group 2^K pages (1..%u) adjacent in the address space\n"
"                   and aligned to 2^K pages as one large folio, stored to\n"
"                   2^K aligned slots (format v2); other pages go alone\n"
"  -o FILE          output trace (written atomically)\n"
"  --force          replace an existing file at -o (never an input)\n";

struct importer {
	int fd;
	uint64_t size;
	struct swt_writer *w;
	uint64_t ts;
	uint64_t slot;		/* the next free slot */
	uint64_t pages;
	uint64_t folios;
	unsigned int order;	/* --folio-order, 0: single pages */
};

/* read one page at @off (a partial last one padded with zeroes) */
static int read_page(struct importer *im, uint8_t *page, uint64_t off,
		     size_t want)
{
	ssize_t n;

	memset(page, 0, PG);
	n = pread(im->fd, page, want, off);
	if (n < 0)
		return sl_err_errno("read error");
	if ((size_t)n != want)
		return sl_err("truncated: file ends inside a segment");
	return 0;
}

static int put_page(struct importer *im, uint64_t slot, const uint8_t *page,
		    unsigned int order, bool cont)
{
	if (slot > UINT32_MAX)
		return sl_err("more than 2^32 slots");
	if (!cont)
		im->ts += 1000;
	if (swt_write_store_folio(im->w, im->ts, slot, page, -1, -1, order,
				  cont))
		return sl_err_errno("cannot write the trace");
	im->pages++;
	return 0;
}

/*
 * store @len bytes at file offset @off as pages; @vaddr is the address of
 * the first one, which decides where folios may start
 */
static int store_range(struct importer *im, uint64_t off, uint64_t len,
		       uint64_t vaddr)
{
	uint64_t n = 1ull << im->order, done, first, i;
	uint8_t page[PG];
	int ret;

	for (done = 0; done < len; ) {
		size_t want = len - done < PG ? len - done : PG;

		if (im->order && (vaddr + done) / PG % n == 0 &&
		    len - done >= n * PG) {
			first = (im->slot + n - 1) / n * n;
			for (i = 0; i < n; i++) {
				ret = read_page(im, page, off + done + i * PG,
						PG);
				if (!ret)
					ret = put_page(im, first + i, page,
						       im->order, i > 0);
				if (ret)
					return ret;
			}
			im->slot = first + n;
			im->folios++;
			done += n * PG;
			continue;
		}
		ret = read_page(im, page, off + done, want);
		if (!ret)
			ret = put_page(im, im->slot++, page, 0, false);
		if (ret)
			return ret;
		done += PG;
	}
	return 0;
}

static int import_core(struct importer *im, bool all)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i, loads = 0;
	int ret;

	if (pread(im->fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return sl_err("not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return sl_err("not a 64-bit little-endian ELF file");
	if (eh.e_type != ET_CORE)
		return sl_err("not a core dump (ELF type %u)", eh.e_type);
	if (eh.e_phentsize != sizeof(ph) || !eh.e_phnum ||
	    eh.e_phoff > im->size ||
	    (uint64_t)eh.e_phnum * sizeof(ph) > im->size - eh.e_phoff)
		return sl_err("truncated or corrupt program header table");
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(im->fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph))
		    != (ssize_t)sizeof(ph))
			return sl_err_errno("read error");
		if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		if (!all && !(ph.p_flags & PF_W))
			continue;
		if (ph.p_offset > im->size ||
		    ph.p_filesz > im->size - ph.p_offset)
			return sl_err("truncated: segment %u runs past the end of the file",
				      i);
		ret = store_range(im, ph.p_offset, ph.p_filesz, ph.p_vaddr);
		if (ret)
			return ret;
		loads++;
	}
	if (!loads)
		return sl_err("no memory segments in this core dump");
	return 0;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all-segments", no_argument, NULL, 'a' },
		{ "folio-order", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct importer im = { .fd = -1 };
	struct swt_header hdr = { 0 };
	const char *out = NULL, *kind, *file;
	struct stat st;
	bool all = false, force = false;
	char folio_arg[32] = "";
	uint64_t v;
	int c, ret;

	for (c = 1; c < argc; c++)
		if (!strcmp(argv[c], "trace-dat"))
			return cmd_import_tracedat(argc, argv);
	struct sl_seen seen = { 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (sl_opt_once(&seen, c, opts))
			return EXIT_TROUBLE;
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'f':
			if (!sl_parse_u64(optarg, &v) || v < 1 ||
			    v > SWT_FOLIO_ORDER_MAX)
				return sl_usage_err("--folio-order wants 1..%u, not '%s'",
						    SWT_FOLIO_ORDER_MAX, optarg);
			im.order = v;
			snprintf(folio_arg, sizeof(folio_arg),
				 " --folio-order %u", im.order);
			break;
		case 'o':
			out = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'h':
			printf(import_usage, SWT_FOLIO_ORDER_MAX);
			return EXIT_YES;
		default:
			return sl_bad_option(argv, "o:h");
		}
	}
	if (argc - optind != 2 || !out)
		return sl_usage_err("want KIND FILE and -o OUT");
	kind = argv[optind];
	file = argv[optind + 1];
	if (sl_out_check(out, SL_KIND_TRACE, &file, 1, force))
		return EXIT_TROUBLE;
	if (strcmp(kind, "core") && strcmp(kind, "raw"))
		return sl_usage_err("unknown kind '%s' (core, raw or trace-dat)", kind);
	if (all && strcmp(kind, "core"))
		return sl_usage_err("--all-segments is for core dumps");
	im.fd = open(file, O_RDONLY | O_CLOEXEC);
	if (im.fd < 0)
		return sl_err_errno("cannot open '%s'", file);
	if (fstat(im.fd, &st) || !S_ISREG(st.st_mode)) {
		close(im.fd);
		return sl_err("'%s' is not a regular file", file);
	}
	im.size = st.st_size;
	if (!im.size) {
		close(im.fd);
		return sl_err("'%s' is empty", file);
	}
	hdr.page_size = PG;
	hdr.clock = SWT_CLOCK_SYNTHETIC;
	if (im.order)
		hdr.flags |= SWT_F_HAS_FOLIO;
	snprintf(hdr.source, sizeof(hdr.source), "import:%s", kind);
	snprintf(hdr.host, sizeof(hdr.host), "unknown");
	snprintf(hdr.kernel, sizeof(hdr.kernel), "unknown");
	snprintf(hdr.description, sizeof(hdr.description),
		 "swaplab import %s %s%s%s", kind, file,
		 all ? " --all-segments" : "", folio_arg);
	im.w = swt_writer_create(out, &hdr);
	if (!im.w) {
		close(im.fd);
		return sl_err_errno("cannot create '%s'", out);
	}
	ret = strcmp(kind, "core") ? store_range(&im, 0, im.size, 0) :
	      import_core(&im, all);
	close(im.fd);
	if (ret) {
		swt_writer_abort(im.w);
		return ret;
	}
	if (swt_writer_commit(im.w, NULL))
		return sl_err_errno("cannot write '%s'", out);
	printf("%s: %llu pages from %s %s", out,
	       (unsigned long long)im.pages, kind, file);
	if (im.order)
		printf(", %llu folios of %u pages stored whole",
		       (unsigned long long)im.folios, 1u << im.order);
	putchar('\n');
	return EXIT_YES;
}

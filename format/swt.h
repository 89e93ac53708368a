/*
 * swt.h - the .swt trace format: a versioned header, then chunks of
 * deduplicated page contents and chunks of events, all zstd-compressed and
 * checksummed, closed by an END chunk that carries the totals.  The layout
 * is specified in docs/trace-format.md.
 *
 * Writing goes to a temporary file beside the target and is renamed into
 * place by swt_writer_commit(), so a failed or killed writer never leaves a
 * half-written trace under the final name.
 *
 * Reading streams: events are decoded one chunk at a time and page
 * contents are fetched by id from a bounded cache of page chunks, so a
 * trace of any length is read in bounded memory.  Every malformed input
 * ends in a -1 return and a message from swt_reader_error(); nothing
 * aborts.  A reader or writer is used by one thread at a time.
 */
#ifndef SWT_H
#define SWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWT_VERSION		2	/* the newest this swaplab reads */
#define SWT_VERSION_MIN		1
#define SWT_MAGIC		"SWAPLABT"

enum swt_flags {
	SWT_F_SYNTHETIC = 1 << 0,	/* made by `swaplab gen` */
	SWT_F_NO_CONTENT = 1 << 1,	/* access pattern only (kprobes) */
	SWT_F_HAS_CPU = 1 << 2,
	SWT_F_HAS_PID = 1 << 3,
	/* v2: STOREs may say which large folio they belonged to */
	SWT_F_HAS_FOLIO = 1 << 4,
};
#define SWT_F_KNOWN	0x1fu
/* a folio of 2^order pages: up to a PMD of 4 KiB pages (2 MiB) */
#define SWT_FOLIO_ORDER_MAX	9

enum swt_clock {
	SWT_CLOCK_UNKNOWN = 0,
	SWT_CLOCK_MONOTONIC = 1,
	SWT_CLOCK_BOOTTIME = 2,
	SWT_CLOCK_REALTIME = 3,
	SWT_CLOCK_SYNTHETIC = 4,	/* made-up time: one op per tick */
};

#define SWT_STR_MAX	1024	/* longest header string value */

struct swt_header {
	uint16_t version;
	uint32_t page_size;
	uint32_t flags;			/* SWT_F_* */
	uint32_t clock;			/* SWT_CLOCK_* */
	uint64_t start_ns;
	char source[SWT_STR_MAX];	/* "gen:realistic", "kernel:swaplab0" */
	char host[SWT_STR_MAX];
	char kernel[SWT_STR_MAX];
	char description[SWT_STR_MAX];
};

enum swt_op {
	SWT_STORE = 1,
	SWT_LOAD = 2,
	SWT_FREE = 3,
	SWT_MARK = 4,
};

struct swt_event {
	enum swt_op op;
	uint64_t ts_ns;		/* absolute, in the header's clock */
	uint32_t index;		/* slot (STORE/LOAD/FREE) */
	uint64_t page_id;	/* STORE: content id, dense from 0 */
	const void *page;	/* STORE: content, valid until the next call */
	int32_t cpu;		/* -1 when not recorded */
	int32_t pid;		/* -1 when not recorded */
	/*
	 * STORE of a v2 trace: the page belonged to a folio of
	 * 2^folio_order pages (0: a single page, or not recorded);
	 * folio_cont: the same folio as the previous STORE, else the first
	 * page of a new one
	 */
	uint8_t folio_order;
	bool folio_cont;
	char mark[256];		/* MARK: text */
};

/* totals, as written in the END chunk */
struct swt_totals {
	uint64_t events;
	uint64_t pages;		/* unique page contents */
	uint64_t stores, loads, frees, marks;
};

/* ---- writing ---- */
struct swt_writer;

/**
 * swt_writer_create() - start writing @path (through a temp file).
 * Return: the writer, or NULL with errno set.
 */
struct swt_writer *swt_writer_create(const char *path,
				     const struct swt_header *hdr);
/* Return: 0, or -1 with errno set (the writer is then unusable) */
int swt_write_store(struct swt_writer *w, uint64_t ts_ns, uint32_t index,
		    const void *page, int32_t cpu, int32_t pid);
/*
 * swt_write_store_folio() - a STORE of a page of a folio of 2^@order
 * pages (@order 0: a single page, as swt_write_store()); @cont: the same
 * folio as the previous STORE.  The header must have SWT_F_HAS_FOLIO for
 * @order > 0 (errno EINVAL otherwise, or for @order > SWT_FOLIO_ORDER_MAX).
 */
int swt_write_store_folio(struct swt_writer *w, uint64_t ts_ns,
			  uint32_t index, const void *page, int32_t cpu,
			  int32_t pid, unsigned int order, bool cont);
int swt_write_op(struct swt_writer *w, enum swt_op op, uint64_t ts_ns,
		 uint32_t index, int32_t cpu, int32_t pid);
int swt_write_mark(struct swt_writer *w, uint64_t ts_ns, const char *text);
/* the store-only variant for access-pattern traces (no content) */
int swt_write_store_nocontent(struct swt_writer *w, uint64_t ts_ns,
			      uint32_t index, int32_t cpu, int32_t pid);
/* the same with a folio, as swt_write_store_folio() (kprobes see one) */
int swt_write_store_nocontent_folio(struct swt_writer *w, uint64_t ts_ns,
				    uint32_t index, int32_t cpu, int32_t pid,
				    unsigned int order, bool cont);
/**
 * swt_writer_commit() - write the END chunk, fsync, rename into place and
 * free @w.  Return: 0, or -1 with errno set (nothing left under the name).
 */
int swt_writer_commit(struct swt_writer *w, struct swt_totals *totals);
/* swt_writer_abort() - remove the temp file and free @w; NULL: no-op */
void swt_writer_abort(struct swt_writer *w);

/* ---- reading ---- */
struct swt_reader;

#define SWT_CACHE_MIN	(32ull << 20)
#define SWT_CACHE_MAX	(1ull << 30)
/* the cache holds at most this many bytes per byte of file, or _FLOOR */
#define SWT_CACHE_PER_BYTE	16
#define SWT_CACHE_FLOOR		(8ull << 20)

/**
 * swt_reader_open() - open and validate the header of @path.
 * @cache_bytes: budget for decoded page chunks; 0 picks an eighth of RAM,
 *	no less than SWT_CACHE_MIN and no more than SWT_CACHE_MAX.  Either
 *	way no more than SWT_CACHE_PER_BYTE times the file's size (or
 *	SWT_CACHE_FLOOR if that is more): a small file cannot make the
 *	reader hold much decoded data, however well its chunks compress.
 * Return: the reader, or NULL with @err (at least 256 bytes) filled.
 */
struct swt_reader *swt_reader_open(const char *path, size_t cache_bytes,
				   char *err, size_t errlen);
const struct swt_header *swt_reader_header(const struct swt_reader *r);
/**
 * swt_next() - the next event.
 * Return: 1 with @ev filled; 0 at a valid end (END chunk seen and its
 * totals match); -1 on malformed or truncated input.
 */
int swt_next(struct swt_reader *r, struct swt_event *ev);
/**
 * swt_page() - content of page @id (seen in an earlier STORE).
 * Return: PAGE bytes valid until the next call on @r, or NULL on error.
 */
const void *swt_page(struct swt_reader *r, uint64_t id);
/*
 * swt_reader_plan_reuse() - record, over the next pass (rewind first),
 * the last STORE of each page; once that pass has reached the end, later
 * passes keep a copy of each page a later STORE asks for again, so that
 * its chunk is not decoded again (4 bytes per page of the trace; each
 * page awaiting reuse LZ4-compressed, in memory up to SWT_KEPT_MEM bytes,
 * then in an unlinked file in $TMPDIR or /var/tmp: about 56 bytes of
 * memory each).  A pass cut short records nothing.
 */
void swt_reader_plan_reuse(struct swt_reader *r);
/* the most pages kept for reuse at once so far */
size_t swt_reader_kept_peak(const struct swt_reader *r);
/*
 * how many of them went to the spill file (past SWT_KEPT_MEM bytes of
 * copies in memory, or the byte count in $SWAPLAB_KEPT_MEM)
 */
uint64_t swt_reader_kept_spilled(const struct swt_reader *r);
/* how many times the spill file was compacted (its live copies moved) */
uint64_t swt_reader_spill_compactions(const struct swt_reader *r);
/* skip fetching page contents in swt_next() (ev->page stays NULL) */
void swt_reader_skip_contents(struct swt_reader *r, bool skip);
/* after swt_next() returned 0: the END chunk's totals */
const struct swt_totals *swt_reader_totals(const struct swt_reader *r);
/* pages defined so far (ids 0..n-1 are valid for swt_page()) */
uint64_t swt_reader_pages_seen(const struct swt_reader *r);
/* swt_reader_rewind() - back to the first event; Return: 0 or -1 */
int swt_reader_rewind(struct swt_reader *r);
/* the message for the last -1/NULL: "chunk 3 at offset 123: ..." */
const char *swt_reader_error(const struct swt_reader *r);
uint64_t swt_reader_file_size(const struct swt_reader *r);
void swt_reader_close(struct swt_reader *r);	/* NULL: no-op */

const char *swt_op_name(enum swt_op op);

/**
 * swt_memory_limit() - the guard of --max-memory, for every reader of the
 * process: at each events chunk and each page chunk decoded, the process's
 * resident memory is compared with @bytes (0: no guard); past it, the
 * read fails (swt_next() -1, swt_page() NULL) with an error that says how
 * much is in use and what holds it.  Readers opened after the call keep
 * their page cache within a quarter of @bytes.
 */
void swt_memory_limit(uint64_t bytes);
/*
 * swt_memory_explain() - what the command holds besides the trace, for
 * that error: @explain(@arg) returns e.g. "the store holds 1.2 GiB"; it
 * runs in the reading thread.  NULL: "the work on the trace".
 */
void swt_memory_explain(const char *(*explain)(void *arg), void *arg);

#endif /* SWT_H */

/*
 * swt_read: the .swt reader on arbitrary files.  Every malformed trace must
 * end in a clean -1 with a message, never a crash, a read out of bounds or
 * unbounded memory (docs/trace-format.md, "Integrity").
 *
 * The first input byte picks how the rest becomes a file:
 *  0  as is: exercises the framing checks and the checksums;
 *  1  structured: the header checksum is recomputed, chunk payloads are
 *     given raw and compressed here, with raw_len and the XXH3 of each
 *     chunk set to match, so mutations reach the event and page decoding
 *     behind the checksums (a fuzzer cannot forge XXH3-64);
 *  2  as 1, but raw_len is kept as given (length mismatches).
 * Built with -DSWT_MKSEED, this file is instead a tool that turns a real
 * .swt into a mode-1 seed: `mkseed IN.swt OUT [PAGE_SIZE]`, the pages cut
 * to PAGE_SIZE (512: small seeds that mutate fast).
 */
#include "../fuzz_util.h"
#include <xxhash.h>
#include <zstd.h>

#include "format/swt.h"
#include "format/swt_internal.h"

struct obuf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct obuf *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2 + 4096;
		o->p = realloc(o->p, o->cap);
		FUZZ_ASSERT(o->p);
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

/* mode 1/2 input -> a file whose checksums (and raw lengths) hold */
static void build(const uint8_t *d, size_t n, int keep_rawlen,
		  struct obuf *o)
{
	static ZSTD_CCtx *cctx;
	size_t hl, pos;
	uint8_t h[SWT_CHUNK_HDR];

	if (!cctx)
		cctx = ZSTD_createCCtx();
	o->len = 0;
	if (n < SWT_FIXED_HDR + 8) {
		put(o, d, n);
		return;
	}
	hl = get_le16(d + 10);
	if (hl < SWT_FIXED_HDR + 8 || hl > n)
		hl = n < 4096 ? n : 4096;
	put(o, d, hl);
	put_le64(o->p + hl - 8, XXH3_64bits(o->p, hl - 8));
	for (pos = hl; n - pos >= SWT_CHUNK_HDR;) {
		size_t plen = get_le32(d + pos + 12), at, bound;

		memcpy(h, d + pos, SWT_CHUNK_HDR);
		pos += SWT_CHUNK_HDR;
		if (plen > n - pos)
			plen = n - pos;
		put_le64(h + 24, XXH3_64bits(d + pos, plen));
		if (!keep_rawlen)
			put_le32(h + 8, plen);
		at = o->len;
		put(o, h, SWT_CHUNK_HDR);
		if (h[0] == SWT_CHUNK_PAGES || h[0] == SWT_CHUNK_EVENTS) {
			size_t c;

			bound = ZSTD_compressBound(plen);
			if (o->len + bound > o->cap) {
				o->cap = o->len + bound + 4096;
				o->p = realloc(o->p, o->cap);
				FUZZ_ASSERT(o->p);
			}
			c = ZSTD_compressCCtx(cctx, o->p + o->len, bound,
					      d + pos, plen, 1);
			FUZZ_ASSERT(!ZSTD_isError(c));
			o->len += c;
			put_le32(o->p + at + 12, c);
		} else {
			put(o, d + pos, plen);
			put_le32(o->p + at + 12, plen);
		}
		pos += plen;
	}
	put(o, d + pos, n - pos);
}

/* FUZZ_VERBOSE=1: say why each input was rejected (regress runs) */
static int verbose;

static void read_all(const char *path)
{
	char err[512];
	struct swt_reader *r;
	struct swt_event ev;
	uint64_t n = 0;
	int ret, pass;

	/* the smallest cache: two chunks, so eviction and re-reads happen */
	r = swt_reader_open(path, 1, err, sizeof(err));
	if (!r) {
		FUZZ_ASSERT(err[0]);
		if (verbose)
			fprintf(stderr, "open: %s\n", err);
		return;
	}
	for (pass = 0; pass < 2; pass++) {
		while ((ret = swt_next(r, &ev)) == 1) {
			n++;
			if (ev.op == SWT_STORE && ev.page) {
				const volatile uint8_t *pg = ev.page;
				uint32_t ps = swt_reader_header(r)->page_size;

				(void)pg[0];
				(void)pg[ps - 1];
			}
			FUZZ_ASSERT(ev.op >= SWT_STORE && ev.op <= SWT_MARK);
			FUZZ_ASSERT(strlen(ev.mark) < sizeof(ev.mark));
		}
		if (ret < 0) {
			FUZZ_ASSERT(swt_reader_error(r)[0]);
			if (verbose)
				fprintf(stderr, "event %llu: %s\n",
					(unsigned long long)n,
					swt_reader_error(r));
			break;
		}
		if (verbose && !pass)
			fprintf(stderr, "valid: %llu events\n",
				(unsigned long long)n);
		FUZZ_ASSERT(swt_reader_totals(r)->events == n);
		/* a valid trace: every page id resolves, the oldest too */
		if (swt_reader_pages_seen(r)) {
			uint64_t last = swt_reader_pages_seen(r) - 1;

			FUZZ_ASSERT(swt_page(r, last) != NULL);
			FUZZ_ASSERT(swt_page(r, 0) != NULL);
		}
		FUZZ_ASSERT(swt_page(r, swt_reader_pages_seen(r)) == NULL);
		FUZZ_ASSERT(swt_reader_rewind(r) == 0);
		n = 0;
	}
	swt_reader_close(r);
}

#ifndef SWT_MKSEED
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct obuf o;

	if (!o.cap) {
		verbose = getenv("FUZZ_VERBOSE") != NULL;
		put(&o, "", 1);
	}
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		read_all(fuzz_file(data + 1, size - 1));
		break;
	default:
		build(data + 1, size - 1, data[0] % 3 == 2, &o);
		read_all(fuzz_file(o.p, o.len));
		break;
	}
	return 0;
}
#else
/* real trace -> mode-1 seed: payloads decompressed in place */
int main(int argc, char **argv)
{
	FILE *in, *out;
	static uint8_t buf[64 << 20];
	size_t n, hl, pos;
	struct obuf o = { 0 };
	uint8_t mode = 1;
	uint32_t ps, ops;

	if (argc < 3 || !(in = fopen(argv[1], "rb")) ||
	    !(out = fopen(argv[2], "wb")))
		return 2;
	n = fread(buf, 1, sizeof(buf), in);
	hl = get_le16(buf + 10);
	ops = get_le32(buf + 12);
	ps = argc > 3 ? (uint32_t)atoi(argv[3]) : ops;
	put_le32(buf + 12, ps);
	put(&o, &mode, 1);
	put(&o, buf, hl);
	for (pos = hl; pos + SWT_CHUNK_HDR <= n;) {
		uint8_t h[SWT_CHUNK_HDR];
		uint32_t raw = get_le32(buf + pos + 8);
		uint32_t clen = get_le32(buf + pos + 12);
		uint8_t *p = malloc(raw ? raw : 1);
		size_t got = raw;

		memcpy(h, buf + pos, SWT_CHUNK_HDR);
		if (h[0] != SWT_CHUNK_END) {
			got = ZSTD_decompress(p, raw, buf + pos + 32, clen);
			if (ZSTD_isError(got))
				return 1;
			if (h[0] == SWT_CHUNK_PAGES && ps < ops) {
				uint32_t i, cnt = get_le32(h + 4);

				for (i = 0; i < cnt; i++)
					memmove(p + i * ps, p + i * ops, ps);
				got = cnt * ps;
				put_le32(h + 8, got);
			}
		} else {
			memcpy(p, buf + pos + 32, raw);
		}
		put_le32(h + 12, got);	/* mode 1: comp_len = raw bytes given */
		put(&o, h, sizeof(h));
		put(&o, p, got);
		free(p);
		pos += SWT_CHUNK_HDR + clen;
	}
	fwrite(o.p, 1, o.len, out);
	return fclose(out) ? 1 : 0;
}
#endif

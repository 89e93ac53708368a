/*
 * swt_internal.h - on-disk layout shared by the .swt writer and reader.
 * Everything is little-endian; see docs/trace-format.md.
 */
#ifndef SWT_INTERNAL_H
#define SWT_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "swt.h"

enum swt_chunk_type {
	SWT_CHUNK_PAGES = 1,
	SWT_CHUNK_EVENTS = 2,
	SWT_CHUNK_END = 3,
};

#define SWT_CHUNK_HDR		32
#define SWT_PAGES_PER_CHUNK	64		/* 256 KiB raw: cache unit */
/* LZ4 bytes of kept copies held in memory; more go to a spill file */
#define SWT_KEPT_MEM		(1u << 20)
/*
 * the spill file is compacted past twice its live bytes and this many
 * times the memory cap (64 MiB by default), or 64 KiB
 */
#define SPILL_COMPACT_CAPS	64
#define SWT_EVENT_RAW_MAX	(256 * 1024)	/* raw bytes per events chunk */
#define SWT_RAW_LIMIT		(4u << 20)	/* reader's sanity bound */
#define SWT_END_RAW		48
#define SWT_FIXED_HDR		36	/* magic..nr_strings */

/* event byte: op in bits 0-2, cpu, pid and folio presence in bits 3-5 */
#define SWT_EV_OP_MASK	0x07
#define SWT_EV_CPU	0x08
#define SWT_EV_PID	0x10
#define SWT_EV_FOLIO	0x20	/* v2, STORE: varint order << 1 | cont */

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static inline uint16_t get_le16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* LEB128; Return: bytes written (at most 10) */
static inline size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)v | 0x80;
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Return: bytes read, or 0 if the varint runs past @end or over 64 bits */
static inline size_t get_varint(const uint8_t *p, const uint8_t *end,
				uint64_t *v)
{
	uint64_t r = 0;
	size_t n = 0;
	unsigned int shift = 0;

	while (p + n < end) {
		uint8_t b = p[n++];

		if (shift == 63 && b > 1)
			return 0;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return n;
		}
		shift += 7;
		if (shift > 63)
			return 0;
	}
	return 0;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

#endif /* SWT_INTERNAL_H */

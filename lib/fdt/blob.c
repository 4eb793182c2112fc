/* SPDX-License-Identifier: MIT */
/*
 * A linear walk of a blob's structure block before libfdt sees it.
 *
 * libfdt 1.6.1 (Debian 12) steps from tag to tag with 32-bit offsets: a
 * property whose length is close to 2^32 makes `offset + 12 + len` wrap
 * back onto the same tag, and fdt_check_full() then loops forever (found by
 * fuzz/fuzz_fdt.c). This walk bounds every step by the block's end in
 * 64-bit arithmetic and always moves forward, so it ends on any input.
 */
#include "internal.h"

/* The big-endian 32-bit word at p. */
static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int vmcfg_fdt_check_tokens(const void *fdt, size_t size)
{
	const unsigned char *b = fdt;
	if (size < 40 || fdt_magic(fdt) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	uint64_t total = fdt_totalsize(fdt), start = fdt_off_dt_struct(fdt);
	if (total > size || start > total || start % 4)
		return -FDT_ERR_TRUNCATED;
	/* size_dt_struct exists from version 17 on; before, the block runs to the end. */
	uint64_t end = fdt_version(fdt) >= 17 ? start + fdt_size_dt_struct(fdt) : total;
	if (end > total)
		return -FDT_ERR_TRUNCATED;

	int depth = 0;
	for (uint64_t p = start; p + 4 <= end;) {
		uint32_t tag = be32_at(b + p);
		p += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			while (p < end && b[p])
				p++;
			if (p >= end || ++depth > FDT_MAX_DEPTH)
				return -FDT_ERR_BADSTRUCTURE;
			p = (p + 1 + 3) & ~(uint64_t)3;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_PROP:
			if (p + 8 > end || be32_at(b + p) > end - (p + 8))
				return -FDT_ERR_BADSTRUCTURE;
			p = (p + 8 + be32_at(b + p) + 3) & ~(uint64_t)3;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == 0 ? 0 : -FDT_ERR_BADSTRUCTURE;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return -FDT_ERR_TRUNCATED; /* no FDT_END tag */
}

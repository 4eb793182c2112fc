/* SPDX-License-Identifier: MIT */
/* A bounds-checked walk over a flattened device tree for memory, cpus and chosen. */
#include "core/dtb.h"
#include "core/libc.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

/* Header fields, as 32-bit big-endian words. */
enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP, H_VERSION,
       H_LAST_COMP, H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT, H_WORDS };

/* Nesting this reader follows: root (1), /cpus and /memory (2), /cpus/cpu (3). */
#define MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Reads a cells-wide (1 or 2) number; false for any other width. */
static bool read_cells(const uint8_t *p, uint32_t cells, uint64_t *out)
{
	if (cells == 1)
		*out = be32(p);
	else if (cells == 2)
		*out = be64(p);
	else
		return false;
	return true;
}

bool dtb_valid(const void *blob)
{
	const uint8_t *h = blob;

	return be32(h + 4 * H_MAGIC) == FDT_MAGIC && be32(h + 4 * H_VERSION) >= 16 &&
	       be32(h + 4 * H_TOTALSIZE) >= 4 * H_WORDS;
}

struct walker {
	const uint8_t *blob;
	uint32_t size;
	const uint8_t *strings;
	uint32_t strings_size;
	struct dtb_info *info;
	/* Per open node: its name and what was seen in it so far. */
	struct node {
		const char *name;
		uint32_t addr_cells, size_cells; /* for its children (#address-cells, #size-cells) */
		const char *device_type;
		const uint8_t *reg;
		uint32_t reg_len;
	} stack[MAX_DEPTH];
	int depth;
};

/*
 * s starts with prefix. s is NUL-terminated inside the blob (names and
 * string values are checked when read), and the scan stops at its NUL.
 */
static bool starts_with(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (*s != *prefix)
			return false;
	return true;
}

static bool str_eq(const char *s, const char *want)
{
	return starts_with(s, want) && s[strlen(want)] == '\0';
}

/* A node name is "want" or "want@unit-address". */
static bool name_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return starts_with(name, want) && (name[n] == '\0' || name[n] == '@');
}

static int add_range(struct dtb_range *arr, uint32_t *count, uint32_t max, uint64_t base,
		     uint64_t size)
{
	if (size == 0)
		return 0;
	if (*count == max)
		return VMCFG_ELIMIT;
	arr[*count].base = base;
	arr[*count].size = size;
	(*count)++;
	return 0;
}

/* A node ends: record it when it is a memory node or a cpu. */
static int close_node(struct walker *w)
{
	const struct node *n = &w->stack[w->depth];
	const struct node *parent = &w->stack[w->depth - 1];
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;

	if (!n->device_type || !n->reg)
		return 0;
	if (w->depth == 2 && str_eq(n->device_type, "memory")) {
		uint32_t entry = 4 * (ac + sc);

		if (entry == 0 || n->reg_len % entry)
			return VMCFG_ESYNTAX;
		for (uint32_t off = 0; off < n->reg_len; off += entry) {
			uint64_t base, size;
			int err;

			if (!read_cells(n->reg + off, ac, &base) ||
			    !read_cells(n->reg + off + 4 * ac, sc, &size))
				return VMCFG_ESYNTAX;
			err = add_range(w->info->mem, &w->info->mem_count, DTB_MAX_MEM, base, size);
			if (err)
				return err;
		}
	} else if (w->depth == 3 && name_is(parent->name, "cpus") &&
		   str_eq(n->device_type, "cpu")) {
		uint64_t mpidr;

		if (n->reg_len < 4 * ac || !read_cells(n->reg, ac, &mpidr))
			return VMCFG_ESYNTAX;
		if (w->info->cpu_count == DTB_MAX_CPUS)
			return VMCFG_ELIMIT;
		w->info->cpu_mpidr[w->info->cpu_count++] = mpidr;
	}
	return 0;
}

/* Length of the NUL-terminated string at p within [p, p + max); -1 if unterminated. */
static int64_t bounded_strlen(const uint8_t *p, uint32_t max)
{
	for (uint32_t i = 0; i < max; i++)
		if (p[i] == '\0')
			return i;
	return -1;
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/* A string property's value: non-empty and NUL-terminated within its length. */
static const char *prop_string(const uint8_t *value, uint32_t len)
{
	return len > 0 && value[len - 1] == '\0' ? (const char *)value : NULL;
}

static int read_prop(struct walker *w, uint32_t *off, uint32_t end)
{
	struct node *n = &w->stack[w->depth];
	uint32_t len, nameoff;
	const uint8_t *value;
	const char *name;

	if (end - *off < 8)
		return VMCFG_ESYNTAX;
	len = be32(w->blob + *off);
	nameoff = be32(w->blob + *off + 4);
	*off += 8;
	if (len > end - *off || nameoff >= w->strings_size ||
	    bounded_strlen(w->strings + nameoff, w->strings_size - nameoff) < 0)
		return VMCFG_ESYNTAX;
	value = w->blob + *off;
	name = (const char *)w->strings + nameoff;
	*off += align4(len); /* may pass end: the token loop checks before reading */

	if (str_eq(name, "#address-cells") && len == 4)
		n->addr_cells = be32(value);
	else if (str_eq(name, "#size-cells") && len == 4)
		n->size_cells = be32(value);
	else if (str_eq(name, "device_type"))
		n->device_type = prop_string(value, len);
	else if (str_eq(name, "reg")) {
		n->reg = value;
		n->reg_len = len;
	} else if (str_eq(name, "bootargs") && w->depth == 2 && name_is(n->name, "chosen")) {
		const char *args = prop_string(value, len);

		if (!args)
			return VMCFG_ESYNTAX;
		w->info->bootargs = args;
	}
	return 0;
}

static int read_reservations(struct walker *w, uint32_t off)
{
	for (;;) {
		uint64_t base, size;
		int err;

		if (off > w->size || w->size - off < 16)
			return VMCFG_ESYNTAX;
		base = be64(w->blob + off);
		size = be64(w->blob + off + 8);
		off += 16;
		if (base == 0 && size == 0)
			return 0;
		err = add_range(w->info->reserved, &w->info->reserved_count, DTB_MAX_RESERVED,
				base, size);
		if (err)
			return err;
	}
}

static int walk_structure(struct walker *w, uint32_t off, uint32_t end)
{
	for (;;) {
		uint32_t token;
		int err = 0;

		if (off > end || end - off < 4)
			return VMCFG_ESYNTAX;
		token = be32(w->blob + off);
		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			int64_t len = bounded_strlen(w->blob + off, end - off);
			struct node *n;

			if (len < 0 || w->depth + 1 == MAX_DEPTH)
				return VMCFG_ESYNTAX;
			n = &w->stack[++w->depth];
			*n = (struct node){ .name = (const char *)w->blob + off,
					    .addr_cells = 2, /* the defaults (DT spec 2.3.5) */
					    .size_cells = 1 };
			off += align4((uint32_t)len + 1);
			break;
		}
		case FDT_END_NODE:
			if (w->depth == 0)
				return VMCFG_ESYNTAX;
			err = close_node(w);
			w->depth--;
			break;
		case FDT_PROP:
			if (w->depth == 0)
				return VMCFG_ESYNTAX;
			err = read_prop(w, &off, end);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return w->depth == 0 ? 0 : VMCFG_ESYNTAX;
		default:
			return VMCFG_ESYNTAX;
		}
		if (err)
			return err;
	}
}

int dtb_read(const void *blob, struct dtb_info *info)
{
	const uint8_t *h = blob;
	struct walker w = { .blob = blob, .info = info };
	uint32_t off_struct, size_struct, off_strings;
	int err;

	if (!dtb_valid(blob))
		return VMCFG_EINVAL;
	*info = (struct dtb_info){ .bootargs = "" };
	w.size = info->total_size = be32(h + 4 * H_TOTALSIZE);
	off_struct = be32(h + 4 * H_OFF_STRUCT);
	size_struct = be32(h + 4 * H_SIZE_STRUCT);
	off_strings = be32(h + 4 * H_OFF_STRINGS);
	w.strings_size = be32(h + 4 * H_SIZE_STRINGS);
	if (off_struct > w.size || size_struct > w.size - off_struct || off_strings > w.size ||
	    w.strings_size > w.size - off_strings)
		return VMCFG_ESYNTAX;
	w.strings = w.blob + off_strings;
	err = read_reservations(&w, be32(h + 4 * H_OFF_RSVMAP));
	if (err)
		return err;
	return walk_structure(&w, off_struct, off_struct + size_struct);
}

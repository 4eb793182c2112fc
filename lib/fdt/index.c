/* SPDX-License-Identifier: MIT */
/*
 * The node table of a host DT: every node once, in DT order, with its
 * parent, depth, phandle and full path; and a phandle → node index. Built
 * in one pass so that the rest of lib/fdt never rescans the blob.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define PATH_MAX_LEN 4096

/* Counts the nodes so the table is allocated once. */
static int count_nodes(const void *fdt, size_t *count)
{
	int depth = 0, off = 0;
	size_t n = 0;
	while (off >= 0 && depth >= 0) {
		if (depth >= FDT_MAX_DEPTH)
			return VMCFG_ELIMIT;
		n++;
		off = fdt_next_node(fdt, off, &depth);
	}
	if (off < 0 && off != -FDT_ERR_NOTFOUND)
		return VMCFG_ESYNTAX;
	*count = n;
	return 0;
}

/*
 * The node's phandle as fdt_get_phandle reads it ("phandle", else
 * "linux,phandle"; 0 for none or -1) and its device_type, in one pass over
 * its properties, where fdt_getprop walks them once per name: the index
 * reads every node's, and the hypervisor builds the index at boot under
 * TCG, where each instruction counts.
 */
static void read_node_props(const void *fdt, int off, struct fdt_node_info *ni)
{
	uint32_t ph = 0, linux_ph = 0;
	int prop;
	fdt_for_each_property_offset(prop, fdt, off) {
		const char *name;
		int len = 0;
		const void *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!v || !name)
			continue;
		if (!ni->device_type && !strcmp(name, "device_type")) {
			ni->device_type = v;
			ni->device_type_len = len;
		} else if (len == 4 && !strcmp(name, "phandle")) {
			ph = fdt_cell(v, 0);
		} else if (len == 4 && !linux_ph && !strcmp(name, "linux,phandle")) {
			linux_ph = fdt_cell(v, 0);
		}
	}
	if (!ph)
		ph = linux_ph;
	ni->phandle = ph == (uint32_t)-1 ? 0 : ph;
}

static int cmp_phandle(const void *a, const void *b)
{
	uint32_t x = ((const struct fdt_phandle_ref *)a)->phandle;
	uint32_t y = ((const struct fdt_phandle_ref *)b)->phandle;
	return x < y ? -1 : x > y;
}

int vmcfg_fdt_index_build(struct vmcfg_fdt_platform *host)
{
	const void *fdt = host->fdt;
	struct vmcfg_fdt_index *ix = vmcfg_arena_zalloc(&host->arena, sizeof *ix, 8);
	size_t n = 0;
	int rc;

	if (!ix)
		return VMCFG_ENOMEM;
	if ((rc = count_nodes(fdt, &n)))
		return rc;
	ix->nodes = vmcfg_arena_zalloc(&host->arena, n * sizeof *ix->nodes, 8);
	ix->by_phandle = vmcfg_arena_alloc(&host->arena, n * sizeof *ix->by_phandle, 8);
	if (!ix->nodes || !ix->by_phandle)
		return VMCFG_ENOMEM;

	/* stack[d] = index of the open node at depth d; plen[d] = its path length. */
	int stack[FDT_MAX_DEPTH];
	size_t plen[FDT_MAX_DEPTH];
	char path[PATH_MAX_LEN];
	int depth = 0, off = 0;
	for (size_t i = 0; i < n; i++, off = fdt_next_node(fdt, off, &depth)) {
		if (off < 0 || depth < 0 || depth >= FDT_MAX_DEPTH)
			return VMCFG_ESYNTAX; /* count_nodes saw another tree: cannot happen */
		int namelen = 0;
		const char *name = fdt_get_name(fdt, off, &namelen);
		if (!name)
			return VMCFG_ESYNTAX;
		size_t len;
		if (depth == 0) {
			path[0] = '/';
			len = 1;
		} else {
			len = plen[depth - 1];
			if (len + 1 + (size_t)namelen >= sizeof path)
				return VMCFG_ELIMIT;
			if (len > 1)
				path[len++] = '/';
			memcpy(path + len, name, (size_t)namelen);
			len += (size_t)namelen;
		}
		struct fdt_node_info *ni = &ix->nodes[i];
		ni->offset = off;
		ni->depth = depth;
		ni->parent = depth ? stack[depth - 1] : -1;
		read_node_props(fdt, off, ni);
		ni->path = vmcfg_arena_strndup(&host->arena, path, len);
		if (!ni->path)
			return VMCFG_ENOMEM;
		stack[depth] = (int)i;
		plen[depth] = len;
		if (ni->phandle) {
			struct fdt_phandle_ref r = { ni->phandle, (uint32_t)i };
			ix->by_phandle[ix->phandle_count++] = r;
		}
	}
	ix->count = n;
	/* Duplicate phandles (a broken DT) resolve to one of their nodes. */
	qsort(ix->by_phandle, ix->phandle_count, sizeof *ix->by_phandle, cmp_phandle);
	host->index = ix;
	return 0;
}

int vmcfg_fdt_index_of(const struct vmcfg_fdt_platform *host, int offset)
{
	const struct vmcfg_fdt_index *ix = host->index;
	size_t lo = 0, hi = ix->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->nodes[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->count && ix->nodes[lo].offset == offset ? (int)lo : -1;
}

/* libfdt's rule for a path component: the node's name, or (len has no '@') its name before '@'. */
static bool name_matches(const char *name, const char *s, size_t len)
{
	return strlen(name) >= len && memcmp(name, s, len) == 0 &&
	       (name[len] == '\0' || (name[len] == '@' && !memchr(s, '@', len)));
}

int vmcfg_fdt_path_offset(const struct vmcfg_fdt_platform *host, const char *path)
{
	const struct vmcfg_fdt_index *ix = host->index;
	if (path[0] != '/' || ix->count == 0)
		return fdt_path_offset(host->fdt, path); /* an alias, or a tree without nodes */
	size_t cur = 0; /* the root */
	for (const char *p = path;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return ix->nodes[cur].offset;
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p), next = 0;
		/* cur's children, first match in DT order, as fdt_subnode_offset takes it */
		for (size_t i = cur + 1; !next && i < ix->count && ix->nodes[i].depth > ix->nodes[cur].depth;
		     i++)
			if (ix->nodes[i].parent == (int)cur &&
			    name_matches(strrchr(ix->nodes[i].path, '/') + 1, p, len))
				next = i;
		if (!next)
			return -FDT_ERR_NOTFOUND;
		cur = next;
		p += len;
	}
}

int vmcfg_fdt_index_by_phandle(const struct vmcfg_fdt_platform *host, uint32_t ph)
{
	const struct vmcfg_fdt_index *ix = host->index;
	size_t lo = 0, hi = ix->phandle_count;
	if (ph == 0 || ph == (uint32_t)-1)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ix->by_phandle[mid].phandle < ph)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->phandle_count && ix->by_phandle[lo].phandle == ph)
		return (int)ix->by_phandle[lo].index;
	return -1;
}

bool vmcfg_fdt_read_ncells(const void *fdt, int offset, const char *name, uint32_t dflt, uint32_t max,
		     uint32_t *out)
{
	int len = 0;
	const void *p = fdt_getprop(fdt, offset, name, &len);
	if (!p) {
		*out = dflt;
		return true;
	}
	if (len != 4 || fdt_cell(p, 0) > max)
		return false;
	*out = fdt_cell(p, 0);
	return true;
}

bool vmcfg_fdt_node_enabled(const void *fdt, int offset)
{
	int len = 0;
	const char *s = fdt_getprop(fdt, offset, "status", &len);
	if (!s)
		return true;
	/* The value is a string; compare without trusting a terminating NUL. */
	return (len == 5 && !memcmp(s, "okay", 5)) || (len == 3 && !memcmp(s, "ok", 3));
}

bool vmcfg_fdt_compatible_prefix(const void *fdt, int offset, const char *prefix)
{
	int len = 0;
	const char *s = fdt_getprop(fdt, offset, "compatible", &len);
	return vmcfg_fdt_strlist_prefix(s, len, prefix);
}

bool vmcfg_fdt_strlist_prefix(const char *s, int len, const char *prefix)
{
	size_t plen = strlen(prefix);
	for (int i = 0; s && i < len;) {
		const char *end = memchr(s + i, '\0', (size_t)(len - i));
		size_t n = end ? (size_t)(end - (s + i)) : (size_t)(len - i);
		if (n >= plen && !memcmp(s + i, prefix, plen))
			return true;
		i += (int)n + 1;
	}
	return false;
}

enum vmcfg_fdt_gic vmcfg_fdt_gic_version(const void *fdt, int offset)
{
	static const char *const v3[] = { "arm,gic-v3" };
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
					  "arm,cortex-a7-gic", "arm,gic-v2" };
	if (!fdt_getprop(fdt, offset, "interrupt-controller", NULL))
		return VMCFG_FDT_GIC_NONE;
	for (size_t i = 0; i < sizeof v3 / sizeof v3[0]; i++)
		if (fdt_node_check_compatible(fdt, offset, v3[i]) == 0)
			return VMCFG_FDT_GIC_V3;
	for (size_t i = 0; i < sizeof v2 / sizeof v2[0]; i++)
		if (fdt_node_check_compatible(fdt, offset, v2[i]) == 0)
			return VMCFG_FDT_GIC_V2;
	return VMCFG_FDT_GIC_NONE;
}

bool vmcfg_fdt_is_plic(const void *fdt, int offset)
{
	return fdt_node_check_compatible(fdt, offset, "sifive,plic-1.0.0") == 0 ||
	       fdt_node_check_compatible(fdt, offset, "riscv,plic0") == 0;
}

bool vmcfg_fdt_is_system_node(const struct vmcfg_fdt_platform *host, int i)
{
	static const char *const top[] = { "/cpus", "/chosen", "/aliases", "/reserved-memory",
					   "/__symbols__", "/__fixups__", "/__local_fixups__" };
	const struct fdt_node_info *ni = fdt_node(host, i);
	if (ni->device_type && ni->device_type_len == 7 && !memcmp(ni->device_type, "memory", 7))
		return true;
	for (size_t k = 0; k < sizeof top / sizeof top[0]; k++)
		if (!strcmp(ni->path, top[k]))
			return true;
	return false;
}

int vmcfg_fdt_host_diag(const struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags,
		  enum vmcfg_rule rule, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct vmcfg_loc loc = { host->file, { 0, 0, 0, 0 } };
	return vmcfg_diag_add(diags, rule, loc, NULL, "%s", msg);
}

int vmcfg_fdt_vec_push(void *v, size_t *n, size_t *cap, size_t elem, const void *item)
{
	char *arr; /* *v is some T *: copied, not aliased, to stay within the aliasing rules */
	memcpy(&arr, v, sizeof arr);
	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		char *bigger = ncap > SIZE_MAX / elem ? NULL : realloc(arr, ncap * elem);
		if (!bigger)
			return VMCFG_ENOMEM;
		arr = bigger;
		memcpy(v, &arr, sizeof arr);
		*cap = ncap;
	}
	memcpy(arr + *n * elem, item, elem);
	(*n)++;
	return 0;
}

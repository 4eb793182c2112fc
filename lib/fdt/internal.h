/* SPDX-License-Identifier: MIT */
/*
 * lib/fdt internals: the node table every part of lib/fdt walks instead of
 * asking libfdt for parents and phandles (which libfdt finds by scanning
 * the whole blob each time), plus small property readers.
 *
 * The blob has passed vmcfg_fdt_check_tokens() and fdt_check_full() before any of
 * this runs, so libfdt's read-only calls are safe on it; property *values*
 * are still untrusted and every reader checks their lengths.
 */
#ifndef VMCFG_LIB_FDT_INTERNAL_H
#define VMCFG_LIB_FDT_INTERNAL_H

#include <libfdt.h>

#include "vmcfg/fdt.h"

/* Deeper trees are refused (E0401): real ones are under 10 levels. */
#define FDT_MAX_DEPTH 64

/*
 * Walks the structure block linearly, every step bounded: 0 when its tags
 * are well formed (names terminated, property lengths inside the block,
 * nodes balanced, at most FDT_MAX_DEPTH deep, an FDT_END), else a negative
 * libfdt error. Run before fdt_check_full(), which can loop forever on a
 * property length near 2^32 (libfdt 1.6.1).
 */
int vmcfg_fdt_check_tokens(const void *fdt, size_t size);

/* One node of the host tree. */
struct fdt_node_info {
	int offset;
	int parent;       /* index of the parent node; -1 for the root */
	int depth;        /* 0 for the root */
	uint32_t phandle; /* 0 when the node has none */
	const char *path;
	const char *device_type; /* its device_type value in the blob (device_type_len bytes), or NULL */
	int device_type_len;
};

struct fdt_phandle_ref {
	uint32_t phandle, index;
};

struct vmcfg_fdt_index {
	struct fdt_node_info *nodes; /* DT order, so offsets ascend */
	size_t count;
	struct fdt_phandle_ref *by_phandle; /* sorted by phandle */
	size_t phandle_count;
};

/*
 * Builds host->index from host->fdt (in host->arena). Returns 0,
 * VMCFG_ENOMEM, VMCFG_ELIMIT (deeper than FDT_MAX_DEPTH, a path longer than
 * 4 KiB) or VMCFG_ESYNTAX (libfdt reports a broken structure).
 */
int vmcfg_fdt_index_build(struct vmcfg_fdt_platform *host);

/* The index of the node at offset, or -1. */
int vmcfg_fdt_index_of(const struct vmcfg_fdt_platform *host, int offset);

/*
 * fdt_path_offset on the host tree, answered from the index (libfdt walks
 * the structure block from its start for every lookup): the same node for
 * every absolute path, names without their unit address included; an alias
 * goes to libfdt. A negative libfdt error when there is none.
 */
int vmcfg_fdt_path_offset(const struct vmcfg_fdt_platform *host, const char *path);

/* The index of the node with phandle ph, or -1 (0 and ~0 are never phandles). */
int vmcfg_fdt_index_by_phandle(const struct vmcfg_fdt_platform *host, uint32_t ph);

static inline const struct fdt_node_info *fdt_node(const struct vmcfg_fdt_platform *host, int i)
{
	return &host->index->nodes[i];
}

/*
 * Reads a "#…-cells" property of node (offset): *out = its value, or dflt
 * when absent. Returns false when the property is malformed (not one cell)
 * or above max.
 */
bool vmcfg_fdt_read_ncells(const void *fdt, int offset, const char *name, uint32_t dflt, uint32_t max,
		     uint32_t *out);

/* The big-endian cell p[i]. */
static inline uint32_t fdt_cell(const void *p, size_t i)
{
	const uint8_t *b = (const uint8_t *)p + 4 * i;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* n (0..2) cells from p as one number. */
static inline uint64_t fdt_cells_u64(const void *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | fdt_cell(p, i);
	return v;
}

/* True unless the node's status says it is not operational (only "okay"/"ok" are). */
bool vmcfg_fdt_node_enabled(const void *fdt, int offset);

/* True when the node's compatible list has an entry starting with prefix. */
bool vmcfg_fdt_compatible_prefix(const void *fdt, int offset, const char *prefix);
/* The same test on a string list already read (s NULL: false). */
bool vmcfg_fdt_strlist_prefix(const char *s, int len, const char *prefix);

/* The GIC version a compatible names (arm,gic-v3, arm,gic-400, …), or NONE. */
enum vmcfg_fdt_gic vmcfg_fdt_gic_version(const void *fdt, int offset);
/* Whether the node at offset is a RISC-V PLIC (sifive,plic-1.0.0 or riscv,plic0). */
bool vmcfg_fdt_is_plic(const void *fdt, int offset);

/*
 * Node index i's `reg` windows (the work of vmcfg_fdt_node_windows on an
 * index). Same contract.
 */
int vmcfg_fdt_reg_windows(const struct vmcfg_fdt_platform *host, int i, struct vmcfg_fdt_window *out,
		    size_t max, size_t *count, const char **why);

/*
 * vmcfg_fdt_reg_windows into a malloc'ed array (*out NULL when *count is 0 or on
 * error; free it with free()).
 */
int vmcfg_fdt_reg_windows_alloc(const struct vmcfg_fdt_platform *host, int i,
			  struct vmcfg_fdt_window **out, size_t *count, const char **why);

/*
 * The interrupt parent of node index i, as Linux's of_irq_find_parent: the
 * node's `interrupt-parent`, else its tree parent, repeated until a node
 * with #interrupt-cells is reached. Returns its index, or -1 with *why.
 */
int vmcfg_fdt_irq_parent(const struct vmcfg_fdt_platform *host, int i, const char **why);

/* Node index i's interrupts (vmcfg_fdt_node_irqs on an index). */
int vmcfg_fdt_index_irqs(const struct vmcfg_fdt_platform *host, int i, struct vmcfg_fdt_irq *out,
		  size_t max, size_t *count, const char **why);

/*
 * The phandle references of a property: calls fn(ud, target index) for
 * each phandle that prop (name, value, len) carries, as far as the
 * property is one this reader knows to hold phandles (refs.c lists them).
 * A phandle that names no node is reported as target -1. Returns false
 * when the property is not a known reference property (fn never called).
 */
bool vmcfg_fdt_prop_refs(const struct vmcfg_fdt_platform *host, const char *name, const void *value,
		   int len, void (*fn)(void *ud, int target), void *ud);

/*
 * True for properties that only make sense with an interrupt controller
 * (interrupts, interrupts-extended, interrupt-parent, interrupt-map…).
 */
bool vmcfg_fdt_is_irq_prop(const char *name);

/* True for the nodes DT-path passthrough never treats as devices (see fdt.h). */
bool vmcfg_fdt_is_system_node(const struct vmcfg_fdt_platform *host, int i);

/*
 * A growable array on malloc (lib/fdt is host-only): appends *item of elem
 * bytes to *v (*n used, *cap allocated). 0 or VMCFG_ENOMEM.
 */
int vmcfg_fdt_vec_push(void *v, size_t *n, size_t *cap, size_t elem, const void *item);

/* The expansion's entry for the host node at offset; NULL when none (or exp is NULL). */
const struct vmcfg_fdt_node *vmcfg_fdt_expansion_node(const struct vmcfg_fdt_expansion *exp, int offset);

/* Records a finding about the host DT itself (located at the DT file). */
int vmcfg_fdt_host_diag(const struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags,
		  enum vmcfg_rule rule, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Address translation: a node's `reg` windows as host physical addresses.
 *
 * A `reg` entry is in the address space of the node's parent bus
 * (#address-cells / #size-cells of the parent). Going up one bus means
 * finding the bus's `ranges` entry (child address, parent address, size)
 * that covers the window and rebasing it; an empty `ranges` is the
 * identity, a missing one means the bus is not memory-mapped from above
 * (Linux's of_translate_address agrees). At the root the address is host
 * physical. Addresses are limited to 2 cells (64 bits): 3-cell buses (PCI)
 * encode a space code in the top cell that a generic reader cannot match.
 */
#include <stdlib.h>

#include "internal.h"

/* The default cells of the DT specification when a bus does not say. */
#define DEFAULT_ADDRESS_CELLS 2
#define DEFAULT_SIZE_CELLS 1

struct bus_cells {
	uint32_t na, ns;
};

static bool read_bus_cells(const void *fdt, int offset, struct bus_cells *c)
{
	return vmcfg_fdt_read_ncells(fdt, offset, "#address-cells", DEFAULT_ADDRESS_CELLS, FDT_MAX_NCELLS,
			       &c->na) &&
	       vmcfg_fdt_read_ncells(fdt, offset, "#size-cells", DEFAULT_SIZE_CELLS, FDT_MAX_NCELLS, &c->ns);
}

/*
 * Moves [*addr, *addr + size) from the address space of bus (index b) into
 * that of its parent through the bus's `ranges`. 0 or an error with *why.
 */
static int translate_up(const struct vmcfg_fdt_platform *host, int b, struct bus_cells child,
			uint64_t *addr, uint64_t size, const char **why)
{
	const void *fdt = host->fdt;
	const struct fdt_node_info *bus = fdt_node(host, b);
	struct bus_cells parent;
	int len = 0;

	if (!read_bus_cells(fdt, fdt_node(host, bus->parent)->offset, &parent)) {
		*why = "a bus has a malformed #address-cells or #size-cells";
		return VMCFG_ESYNTAX;
	}
	const void *ranges = fdt_getprop(fdt, bus->offset, "ranges", &len);
	if (!ranges) {
		*why = "a parent bus has no `ranges` (not memory-mapped)";
		return VMCFG_ERANGE;
	}
	if (len == 0)
		return 0; /* identity */
	if (parent.na > 2) {
		*why = "a parent bus has more than 2 address cells";
		return VMCFG_ERANGE;
	}
	size_t entry = (size_t)(child.na + parent.na + child.ns);
	if ((size_t)len % (4 * entry)) {
		*why = "a `ranges` length is not a multiple of its entry";
		return VMCFG_ESYNTAX;
	}
	uint64_t last;
	if (!vmcfg_add_u64(*addr, size ? size - 1 : 0, &last)) {
		*why = "a window wraps past 2^64";
		return VMCFG_ERANGE;
	}
	for (size_t i = 0; i < (size_t)len / (4 * entry); i++) {
		const uint8_t *e = (const uint8_t *)ranges + 4 * entry * i;
		uint64_t cbase = fdt_cells_u64(e, child.na);
		uint64_t pbase = fdt_cells_u64(e + 4 * child.na, parent.na);
		uint64_t rsize = fdt_cells_u64(e + 4 * (child.na + parent.na), child.ns);
		if (rsize == 0 || *addr < cbase || *addr - cbase > rsize - 1)
			continue;
		if (last - cbase > rsize - 1) {
			*why = "a window crosses the end of its bus's `ranges` entry";
			return VMCFG_ERANGE;
		}
		uint64_t plast;
		if (!vmcfg_add_u64(pbase, last - cbase, &plast) ||
		    (parent.na == 1 && plast > UINT32_MAX)) {
			*why = "a translated address does not fit its parent bus";
			return VMCFG_ERANGE;
		}
		*addr = pbase + (*addr - cbase);
		return 0;
	}
	*why = "no `ranges` entry of a parent bus covers the address";
	return VMCFG_ERANGE;
}

int vmcfg_fdt_reg_windows(const struct vmcfg_fdt_platform *host, int i, struct vmcfg_fdt_window *out,
		    size_t max, size_t *count, const char **why)
{
	const void *fdt = host->fdt;
	const struct fdt_node_info *ni = fdt_node(host, i);
	const char *dummy;
	int len = 0;

	if (!why)
		why = &dummy;
	*count = 0;
	const void *reg = fdt_getprop(fdt, ni->offset, "reg", &len);
	if (!reg || ni->parent < 0)
		return 0;
	struct bus_cells bus;
	if (!read_bus_cells(fdt, fdt_node(host, ni->parent)->offset, &bus)) {
		*why = "the parent has a malformed #address-cells or #size-cells";
		return VMCFG_ESYNTAX;
	}
	if (bus.ns == 0)
		return 0; /* addressed on a bus that is not memory-mapped */
	if (bus.na > 2 || bus.ns > 2) {
		*why = "the parent has more than 2 address or size cells";
		return VMCFG_ERANGE;
	}
	size_t entry = 4 * (size_t)(bus.na + bus.ns);
	if (bus.na == 0 || (size_t)len % entry) {
		*why = "the `reg` length is not a multiple of the parent's address + size cells";
		return VMCFG_ESYNTAX;
	}

	size_t n = (size_t)len / entry;
	for (size_t k = 0; k < n; k++) {
		const uint8_t *e = (const uint8_t *)reg + entry * k;
		uint64_t addr = fdt_cells_u64(e, bus.na), size = fdt_cells_u64(e + 4 * bus.na, bus.ns);
		struct bus_cells cells = bus;
		/* Up through every bus until the root's address space. */
		for (int b = ni->parent; fdt_node(host, b)->parent >= 0; b = fdt_node(host, b)->parent) {
			int rc = translate_up(host, b, cells, &addr, size, why);
			if (rc)
				return rc;
			if (!read_bus_cells(fdt, fdt_node(host, fdt_node(host, b)->parent)->offset,
					    &cells)) {
				*why = "a bus has a malformed #address-cells or #size-cells";
				return VMCFG_ESYNTAX;
			}
		}
		uint64_t last;
		if (size && !vmcfg_add_u64(addr, size - 1, &last)) {
			*why = "a window wraps past 2^64";
			return VMCFG_ERANGE;
		}
		if (k < max)
			out[k].base = addr, out[k].size = size;
	}
	*count = n;
	return n > max ? VMCFG_ENOSPC : 0;
}

int vmcfg_fdt_node_windows(const struct vmcfg_fdt_platform *host, int node,
			   struct vmcfg_fdt_window *out, size_t max, size_t *count,
			   const char **why)
{
	int i = host && count ? vmcfg_fdt_index_of(host, node) : -1;
	if (!host || !count)
		return VMCFG_EINVAL;
	*count = 0;
	return i < 0 ? VMCFG_ENOENT : vmcfg_fdt_reg_windows(host, i, out, max, count, why);
}

int vmcfg_fdt_reg_windows_alloc(const struct vmcfg_fdt_platform *host, int i,
			  struct vmcfg_fdt_window **out, size_t *count, const char **why)
{
	*out = NULL;
	int rc = vmcfg_fdt_reg_windows(host, i, NULL, 0, count, why);
	if (rc != VMCFG_ENOSPC)
		return rc;
	*out = malloc(*count * sizeof **out);
	if (!*out)
		return VMCFG_ENOMEM;
	rc = vmcfg_fdt_reg_windows(host, i, *out, *count, count, why);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

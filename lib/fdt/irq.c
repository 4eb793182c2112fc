/* SPDX-License-Identifier: MIT */
/*
 * Interrupt decoding: a node's `interrupts` (with its interrupt parent) or
 * `interrupts-extended` (a phandle per specifier), split per the
 * controller's #interrupt-cells and, for a GIC, decoded into type, number
 * and INTID. The GIC's 3-cell binding: cell 0 type (0 SPI, 1 PPI, 2 ESPI,
 * 3 EPPI), cell 1 number, cell 2 flags; a 4th cell (PPI partitions) is
 * ignored. A PLIC's 1-cell binding: the source number.
 */
#include "internal.h"

/* More cells than any binding uses: a larger value is a broken DT. */
#define MAX_INTERRUPT_CELLS 8

/* Linux's of_irq_find_parent (internal.h). */
int vmcfg_fdt_irq_parent(const struct vmcfg_fdt_platform *host, int i, const char **why)
{
	const void *fdt = host->fdt;
	/* Each step moves to another node; a longer walk is a loop of interrupt-parents. */
	for (size_t steps = 0; steps <= host->index->count; steps++) {
		int len = 0;
		const void *ip = fdt_getprop(fdt, fdt_node(host, i)->offset, "interrupt-parent", &len);
		int p;
		if (ip) {
			if (len != 4) {
				*why = "an `interrupt-parent` is not one phandle";
				return -1;
			}
			p = vmcfg_fdt_index_by_phandle(host, fdt_cell(ip, 0));
			if (p < 0) {
				*why = "an `interrupt-parent` names no node";
				return -1;
			}
		} else {
			p = fdt_node(host, i)->parent;
			if (p < 0) {
				*why = "no interrupt parent (no `interrupt-parent` up to the root)";
				return -1;
			}
		}
		if (fdt_getprop(fdt, fdt_node(host, p)->offset, "#interrupt-cells", NULL))
			return p;
		i = p;
	}
	*why = "`interrupt-parent` references form a loop";
	return -1;
}

/* The #interrupt-cells of controller c (0 with *why when unusable). */
static uint32_t interrupt_cells(const struct vmcfg_fdt_platform *host, int c, const char **why)
{
	const void *fdt = host->fdt;
	int off = fdt_node(host, c)->offset;
	uint32_t n = 0;
	if (fdt_getprop(fdt, off, "interrupt-map", NULL) &&
	    !fdt_getprop(fdt, off, "interrupt-controller", NULL)) {
		*why = "the interrupt parent is an `interrupt-map` nexus (not translated)";
		return 0;
	}
	if (!vmcfg_fdt_read_ncells(fdt, off, "#interrupt-cells", 0, MAX_INTERRUPT_CELLS, &n) || n == 0)
		*why = "the interrupt controller has no valid #interrupt-cells";
	return n;
}

/* Decodes one specifier of ncells cells at p for controller c. */
static int decode(const struct vmcfg_fdt_platform *host, int c, const uint8_t *p, uint32_t ncells,
		  struct vmcfg_fdt_irq *irq, const char **why)
{
	irq->controller = fdt_node(host, c)->offset;
	if (vmcfg_fdt_gic_version(host->fdt, irq->controller) == VMCFG_FDT_GIC_NONE) {
		irq->kind = vmcfg_fdt_is_plic(host->fdt, irq->controller) ? VMCFG_FDT_IRQ_PLIC
									: VMCFG_FDT_IRQ_OTHER;
		irq->number = fdt_cell(p, 0);
		irq->intid = irq->flags = 0;
		/* The PLIC's sources are 1..1023; 0 means "no interrupt". */
		if (irq->kind == VMCFG_FDT_IRQ_PLIC && (irq->number == 0 || irq->number > 1023)) {
			*why = "a PLIC interrupt names source 0 or one above 1023";
			return VMCFG_ESYNTAX;
		}
		return 0;
	}
	/* GIC: type, number, flags; each type has its INTID base and count. */
	static const struct {
		enum vmcfg_fdt_irq_kind kind;
		uint32_t base, count;
	} types[] = {
		{ VMCFG_FDT_IRQ_SPI, 32, 988 },   /* INTIDs 32..1019 */
		{ VMCFG_FDT_IRQ_PPI, 16, 16 },    /* INTIDs 16..31 */
		{ VMCFG_FDT_IRQ_ESPI, 4096, 1024 },
		{ VMCFG_FDT_IRQ_EPPI, 1056, 64 },
	};
	if (ncells < 3) {
		*why = "a GIC interrupt specifier has fewer than 3 cells";
		return VMCFG_ESYNTAX;
	}
	uint32_t type = fdt_cell(p, 0), n = fdt_cell(p, 1);
	if (type >= sizeof types / sizeof types[0] || n >= types[type].count) {
		*why = "a GIC interrupt has an unknown type or a number out of its range";
		return VMCFG_ESYNTAX;
	}
	irq->kind = types[type].kind;
	irq->number = n;
	irq->intid = types[type].base + n;
	irq->flags = fdt_cell(p, 2);
	return 0;
}

static int store(const struct vmcfg_fdt_platform *host, int c, const uint8_t *p, uint32_t ncells,
		 struct vmcfg_fdt_irq *out, size_t max, size_t *count, const char **why)
{
	struct vmcfg_fdt_irq irq;
	int rc = decode(host, c, p, ncells, &irq, why);
	if (rc)
		return rc;
	if (*count < max)
		out[*count] = irq;
	(*count)++;
	return 0;
}

int vmcfg_fdt_index_irqs(const struct vmcfg_fdt_platform *host, int i, struct vmcfg_fdt_irq *out,
		  size_t max, size_t *count, const char **why)
{
	const void *fdt = host->fdt;
	int off = fdt_node(host, i)->offset, len = 0, rc;
	const char *dummy;

	if (!why)
		why = &dummy;
	*count = 0;
	const uint8_t *ext = fdt_getprop(fdt, off, "interrupts-extended", &len);
	if (ext) {
		/* <phandle specifier…>… : each controller says how long its specifier is. */
		if (len % 4) {
			*why = "the `interrupts-extended` length is not a multiple of 4";
			return VMCFG_ESYNTAX;
		}
		for (size_t k = 0, cells = (size_t)len / 4; k < cells;) {
			int c = vmcfg_fdt_index_by_phandle(host, fdt_cell(ext, k));
			if (c < 0) {
				*why = "an `interrupts-extended` phandle names no node";
				return VMCFG_ERANGE;
			}
			uint32_t n = interrupt_cells(host, c, why);
			if (n == 0)
				return VMCFG_ERANGE;
			if (cells - k - 1 < n) {
				*why = "an `interrupts-extended` specifier is cut short";
				return VMCFG_ESYNTAX;
			}
			if ((rc = store(host, c, ext + 4 * (k + 1), n, out, max, count, why)))
				return rc;
			k += 1 + n;
		}
		return *count > max ? VMCFG_ENOSPC : 0;
	}

	const uint8_t *ints = fdt_getprop(fdt, off, "interrupts", &len);
	if (!ints || len == 0)
		return 0;
	int c = vmcfg_fdt_irq_parent(host, i, why);
	if (c < 0)
		return VMCFG_ERANGE;
	uint32_t n = interrupt_cells(host, c, why);
	if (n == 0)
		return VMCFG_ERANGE;
	if ((size_t)len % (4 * n)) {
		*why = "the `interrupts` length is not a multiple of the parent's #interrupt-cells";
		return VMCFG_ESYNTAX;
	}
	for (size_t k = 0; k < (size_t)len / (4 * n); k++)
		if ((rc = store(host, c, ints + 4 * n * k, n, out, max, count, why)))
			return rc;
	return *count > max ? VMCFG_ENOSPC : 0;
}

int vmcfg_fdt_node_irqs(const struct vmcfg_fdt_platform *host, int node, struct vmcfg_fdt_irq *out,
			size_t max, size_t *count, const char **why)
{
	if (!host || !count)
		return VMCFG_EINVAL;
	*count = 0;
	int i = vmcfg_fdt_index_of(host, node);
	return i < 0 ? VMCFG_ENOENT : vmcfg_fdt_index_irqs(host, i, out, max, count, why);
}

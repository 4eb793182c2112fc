/* SPDX-License-Identifier: MIT */
/*
 * Phandle references: which properties name other nodes, and how to walk
 * them. A DT does not mark phandles as such; like dtc's checks and Linux,
 * this reader knows them by property name. Two shapes exist:
 *   - a list of plain phandles (pinctrl-0, memory-region, *-supply, …);
 *   - phandle + arguments, the argument count given by a "#…-cells"
 *     property of the target (clocks/#clock-cells, gpios/#gpio-cells, …).
 * Vendor properties outside this table are copied as opaque data: that is
 * the documented limit of "no dangling phandle" (docs/device-tree.md).
 */
#include <string.h>

#include "internal.h"

/* No binding uses more argument cells: beyond this the DT is broken. */
#define MAX_ARG_CELLS 16

struct ref_prop {
	const char *name;
	const char *cells; /* "#…-cells" of the target; NULL for plain phandles */
};

static const struct ref_prop ref_props[] = {
	{ "clocks", "#clock-cells" },
	{ "assigned-clocks", "#clock-cells" },
	{ "assigned-clock-parents", "#clock-cells" },
	{ "resets", "#reset-cells" },
	{ "power-domains", "#power-domain-cells" },
	{ "phys", "#phy-cells" },
	{ "dmas", "#dma-cells" },
	{ "mboxes", "#mbox-cells" },
	{ "iommus", "#iommu-cells" },
	{ "pwms", "#pwm-cells" },
	{ "io-channels", "#io-channel-cells" },
	{ "interconnects", "#interconnect-cells" },
	{ "thermal-sensors", "#thermal-sensor-cells" },
	{ "hwlocks", "#hwlock-cells" },
	{ "msi-parent", "#msi-cells" },
	{ "interrupts-extended", "#interrupt-cells" },
	{ "gpios", "#gpio-cells" },
	{ "gpio", "#gpio-cells" },
	{ "interrupt-parent", NULL },
	{ "memory-region", NULL },
	{ "nvmem-cells", NULL },
	{ "operating-points-v2", NULL },
	{ "cpu-idle-states", NULL },
	{ "shmem", NULL },
	{ "sram", NULL },
	{ "cpu", NULL },
	{ "remote-endpoint", NULL },
};

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && !memcmp(s + n - k, suffix, k);
}

/* The shape of a property, or NULL when it is not a known reference. */
static const struct ref_prop *ref_shape(const char *name)
{
	static const struct ref_prop supply = { "*-supply", NULL };
	static const struct ref_prop pinctrl = { "pinctrl-N", NULL };
	static const struct ref_prop gpios = { "*-gpios", "#gpio-cells" };
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof ref_props / sizeof ref_props[0]; i++)
		if (!strcmp(name, ref_props[i].name))
			return &ref_props[i];
	if (has_suffix(name, n, "-supply"))
		return &supply;
	if (has_suffix(name, n, "-gpios") || has_suffix(name, n, "-gpio"))
		return &gpios;
	if (n > 8 && !memcmp(name, "pinctrl-", 8) && strspn(name + 8, "0123456789") == n - 8)
		return &pinctrl;
	return NULL;
}

bool vmcfg_fdt_prop_refs(const struct vmcfg_fdt_platform *host, const char *name, const void *value,
		   int len, void (*fn)(void *ud, int target), void *ud)
{
	const struct ref_prop *shape = ref_shape(name);
	if (!shape)
		return false;
	size_t cells = len > 0 ? (size_t)len / 4 : 0;
	for (size_t k = 0; k < cells;) {
		uint32_t ph = fdt_cell(value, k++);
		if (ph == 0)
			continue; /* an empty entry (gpios allow holes) */
		int target = vmcfg_fdt_index_by_phandle(host, ph);
		fn(ud, target);
		if (!shape->cells)
			continue;
		/* Without the target, the argument count is unknown: stop here. */
		uint32_t args = 0;
		if (target < 0 ||
		    !vmcfg_fdt_read_ncells(host->fdt, fdt_node(host, target)->offset, shape->cells, 0,
				     MAX_ARG_CELLS, &args))
			break;
		k += args;
	}
	return true;
}

bool vmcfg_fdt_is_irq_prop(const char *name)
{
	static const char *const names[] = { "interrupts", "interrupts-extended",
					     "interrupt-parent", "interrupt-names",
					     "interrupt-map", "interrupt-map-mask" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

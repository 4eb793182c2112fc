/* SPDX-License-Identifier: MIT */
/*
 * Guest DT generation with libfdt's sequential-write API: the nodes the VM
 * configuration defines (memory, CPUs, GIC or PLIC, timer, PSCI, chosen,
 * reserved memory) are generated; device nodes are copied from the host
 * DT. What goes where, per architecture, is documented in vmcfg/fdt.h and
 * docs/device-tree.md.
 *
 * The one invariant: no phandle dangles. A copied property that references
 * a node the guest does not have is dropped (W0406). Interrupt parents are
 * made explicit on every copied node with `interrupts`, because a copied
 * node may no longer sit under the ancestor it inherited its parent from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* QEMU virt's GICv3 frames: the default when the config names none. */
#define DEFAULT_GICD 0x08000000ull
#define DEFAULT_GICR 0x080a0000ull
#define GICD_SIZE 0x10000ull
#define GICR_FRAME_SIZE 0x20000ull /* RD_base + SGI_base per CPU */
/* The affinity fields of MPIDR_EL1 (Aff3 at 32..39, Aff2..Aff0 at 0..23). */
#define MPIDR_AFFINITY 0xff00ffffffull

/* What the writer does with a host node. */
enum emit {
	EMIT_NONE = 0,
	EMIT_COPY,    /* the node with its properties */
	EMIT_SKELETON /* an ancestor of copied nodes: its addressing properties only */
};

struct guest {
	const struct vmcfg_fdt_platform *host;
	const struct vmcfg_vm_config *cfg;
	const struct vmcfg_fdt_expansion *exp;
	const struct vmcfg_fdt_guest_opts *opts;
	struct vmcfg_diags *diags;
	void *fdt;            /* the tree being written */
	uint8_t *emit;        /* per host node index */
	bool riscv;           /* a riscv64 guest (else aarch64) */
	uint32_t gic_phandle; /* 0: the guest has no interrupt controller (riscv64: the PLIC's) */
	uint32_t intc_phandle; /* riscv64: vCPU k's local interrupt controller is intc_phandle + k */
	uint32_t clk_phandle; /* the emulated PL011s' fixed clock; 0 when there is none */
	int host_gic;         /* index of the host GIC (riscv64: PLIC) node, -1 when none */
	struct vmcfg_ivc_placement *ivc; /* the static channels in the (first) IVC window */
	size_t ivc_count;
	int rc;               /* a vmcfg error met inside a callback (ENOMEM) */
};

/* -------------------------------------------------------- what to copy */

static bool in_subtree(const struct vmcfg_fdt_platform *host, int i, int root)
{
	for (; i >= 0; i = fdt_node(host, i)->parent)
		if (i == root)
			return true;
	return false;
}

/* Nodes the writer produces itself, whatever the expansion says. */
static bool writer_owned(const struct guest *g, int i)
{
	int off = fdt_node(g->host, i)->offset;
	return i == 0 || off == g->host->timer_node ||
	       vmcfg_fdt_compatible_prefix(g->host->fdt, off, "arm,psci") ||
	       (g->host_gic >= 0 && in_subtree(g->host, i, g->host_gic));
}

static void plan(struct guest *g)
{
	const struct vmcfg_fdt_platform *host = g->host;
	for (size_t i = 0; i < host->index->count; i++) {
		int ii = (int)i;
		if (vmcfg_fdt_expansion_node(g->exp, fdt_node(host, ii)->offset) && !writer_owned(g, ii))
			g->emit[i] = EMIT_COPY;
	}
	/* Ancestors of copied nodes: DT order puts them first, so walk backwards. */
	for (size_t i = host->index->count; i-- > 1;)
		if (g->emit[i] != EMIT_NONE) {
			int p = fdt_node(host, (int)i)->parent;
			if (p > 0 && g->emit[p] == EMIT_NONE)
				g->emit[p] = EMIT_SKELETON;
		}
}

/* Whether host node t will exist in the guest (as itself or, the GIC, replaced). */
static bool in_guest(const struct guest *g, int t)
{
	return t >= 0 && (g->emit[t] == EMIT_COPY || (t == g->host_gic && g->gic_phandle));
}

/* ------------------------------------------------------------ copying */

struct ref_check {
	const struct guest *g;
	int missing; /* the first target not in the guest; -2 when all are */
};

static void check_ref(void *ud, int target)
{
	struct ref_check *rc = ud;
	if (rc->missing == -2 && !in_guest(rc->g, target))
		rc->missing = target;
}

static struct vmcfg_loc node_loc(const struct guest *g, int off)
{
	const struct vmcfg_fdt_node *n = vmcfg_fdt_expansion_node(g->exp, off);
	struct vmcfg_loc nowhere = { NULL, { 0, 0, 0, 0 } };
	return n ? n->loc : nowhere;
}

static void dropped(struct guest *g, int i, const char *prop, const char *target, const char *why)
{
	if (vmcfg_diag_add(g->diags, VMCFG_R_FDT_DANGLING, node_loc(g, fdt_node(g->host, i)->offset),
			   NULL, "guest DT: `%s` of `%s` dropped: %s%s", prop,
			   fdt_node(g->host, i)->path, target, why))
		g->rc = VMCFG_ENOMEM;
}

/*
 * The explicit interrupt-parent of a copied node with `interrupts`: the
 * guest GIC, or the host parent when it is in the guest; 0 (and the
 * interrupts dropped with W0406) otherwise.
 */
static uint32_t irq_parent_phandle(struct guest *g, int i)
{
	const char *why = "it has no interrupt parent";
	int p = vmcfg_fdt_irq_parent(g->host, i, &why);
	if (p >= 0 && p == g->host_gic)
		return g->gic_phandle;
	if (p >= 0 && in_guest(g, p) && fdt_node(g->host, p)->phandle)
		return fdt_node(g->host, p)->phandle;
	dropped(g, i, "interrupts", p >= 0 ? fdt_node(g->host, p)->path : why,
		p >= 0 ? ", its interrupt parent, is not in the guest" : "");
	return 0;
}

/* Copies host node i's properties (all, or the addressing ones of a skeleton). */
static int copy_props(struct guest *g, int i, enum emit how)
{
	static const char *const addressing[] = { "compatible", "#address-cells", "#size-cells",
						  "ranges", "dma-ranges" };
	const void *hfdt = g->host->fdt;
	int off = fdt_node(g->host, i)->offset, prop, err = 0;
	bool has_interrupts = false;

	fdt_for_each_property_offset(prop, hfdt, off)
	{
		const char *name = NULL;
		int len = 0;
		const void *val = fdt_getprop_by_offset(hfdt, prop, &name, &len);
		if (!val || !name)
			continue;
		if (how == EMIT_SKELETON) {
			bool keep = false;
			for (size_t k = 0; k < sizeof addressing / sizeof addressing[0]; k++)
				keep |= !strcmp(name, addressing[k]);
			if (keep && (err = fdt_property(g->fdt, name, val, len)))
				return err;
			continue;
		}
		if (vmcfg_fdt_is_irq_prop(name)) {
			if (!g->gic_phandle)
				continue; /* no_irq: the guest has no interrupts to describe */
			if (!strcmp(name, "interrupt-parent"))
				continue; /* made explicit below */
			if (!strcmp(name, "interrupts")) {
				has_interrupts = true;
				continue; /* written with its parent below */
			}
		}
		struct ref_check rc = { g, -2 };
		if (vmcfg_fdt_prop_refs(g->host, name, val, len, check_ref, &rc) && rc.missing != -2) {
			dropped(g, i, name,
				rc.missing >= 0 ? fdt_node(g->host, rc.missing)->path : "a phandle that names no node",
				rc.missing >= 0 ? " is not in the guest" : "");
			continue;
		}
		if ((err = fdt_property(g->fdt, name, val, len)))
			return err;
	}
	if (has_interrupts) {
		uint32_t ph = irq_parent_phandle(g, i);
		int len = 0;
		const void *ints = fdt_getprop(hfdt, off, "interrupts", &len);
		if (ph && ((err = fdt_property_u32(g->fdt, "interrupt-parent", ph)) ||
			   (err = fdt_property(g->fdt, "interrupts", ints, len))))
			return err;
	}
	return err;
}

/* The copied host nodes, nested as in the host. */
static int write_copies(struct guest *g)
{
	const struct vmcfg_fdt_platform *host = g->host;
	int open_depth = 0, err;
	for (size_t i = 1; i < host->index->count; i++) {
		if (g->emit[i] == EMIT_NONE)
			continue;
		const struct fdt_node_info *ni = fdt_node(host, (int)i);
		for (; open_depth >= ni->depth; open_depth--)
			if ((err = fdt_end_node(g->fdt)))
				return err;
		const char *name = fdt_get_name(host->fdt, ni->offset, NULL);
		if ((err = fdt_begin_node(g->fdt, name)) ||
		    (err = copy_props(g, (int)i, (enum emit)g->emit[i])))
			return err;
		open_depth = ni->depth;
	}
	for (; open_depth > 0; open_depth--)
		if ((err = fdt_end_node(g->fdt)))
			return err;
	return 0;
}

/* --------------------------------------------------------- generating */

/* A `reg` of n (address, size) pairs in 2 + 2 cells, as the guest's root and reserved-memory use. */
static int prop_reg(void *fdt, const uint64_t *pairs, size_t n)
{
	fdt64_t cells[4];
	for (size_t k = 0; k < 2 * n && k < 4; k++)
		cells[k] = cpu_to_fdt64(pairs[k]);
	return fdt_property(fdt, "reg", cells, (int)(2 * n * sizeof cells[0]));
}

static int write_memory(struct guest *g)
{
	char name[48];
	int err = 0;
	for (size_t k = 0; k < g->cfg->region_count && !err; k++) {
		const struct vmcfg_vm_mem_region *r = &g->cfg->regions[k];
		if (r->flags & VMCFG_MEM_DEVICE)
			continue; /* devices belong in passthrough_devices (W0203) */
		snprintf(name, sizeof name, "memory@%" PRIx64, r->gpa);
		uint64_t reg[2] = { r->gpa, r->size };
		if (!(err = fdt_begin_node(g->fdt, name)) &&
		    !(err = fdt_property_string(g->fdt, "device_type", "memory")) &&
		    !(err = prop_reg(g->fdt, reg, 1)))
			err = fdt_end_node(g->fdt);
	}
	return err;
}

static int write_cpus(struct guest *g)
{
	size_t n = g->cfg->cpu_num;
	struct vmcfg_vm_vcpu_affinity *aff = calloc(n ? n : 1, sizeof *aff);
	char name[48];
	int err;
	if (!aff) {
		g->rc = VMCFG_ENOMEM;
		return -FDT_ERR_INTERNAL;
	}
	vmcfg_vm_config_vcpu_affinities(g->cfg, aff, n);
	bool wide = false;
	for (size_t k = 0; k < n; k++)
		wide |= (aff[k].phys_id & MPIDR_AFFINITY) > UINT32_MAX;
	err = fdt_begin_node(g->fdt, "cpus");
	if (!err)
		err = fdt_property_u32(g->fdt, "#address-cells", wide ? 2 : 1);
	if (!err)
		err = fdt_property_u32(g->fdt, "#size-cells", 0);
	for (size_t k = 0; k < n && !err; k++) {
		uint64_t id = aff[k].phys_id & MPIDR_AFFINITY;
		snprintf(name, sizeof name, "cpu@%" PRIx64, id);
		if ((err = fdt_begin_node(g->fdt, name)) ||
		    (err = fdt_property_string(g->fdt, "device_type", "cpu")) ||
		    (err = fdt_property_string(g->fdt, "compatible", "arm,armv8")) ||
		    (err = fdt_property_string(g->fdt, "enable-method", "psci")))
			break;
		err = wide ? fdt_property_u64(g->fdt, "reg", id) : fdt_property_u32(g->fdt, "reg", (uint32_t)id);
		if (!err)
			err = fdt_end_node(g->fdt);
	}
	free(aff);
	return err ? err : fdt_end_node(g->fdt);
}

/* The window of the first emulated device of type t, if any. */
static const struct vmcfg_vm_emu_device *emu_device(const struct vmcfg_vm_config *cfg, uint32_t t)
{
	for (size_t k = 0; k < cfg->emu_count; k++)
		if (cfg->emu[k].emu_type == t)
			return &cfg->emu[k];
	return NULL;
}

/* An emulated GICv3 at the frames the config's devices name (vmcfg/fdt.h). */
static int write_emulated_gic(struct guest *g)
{
	const struct vmcfg_vm_emu_device *gicd = emu_device(g->cfg, VMCFG_EMU_GPPT_DISTRIBUTOR);
	const struct vmcfg_vm_emu_device *gicr = emu_device(g->cfg, VMCFG_EMU_GPPT_REDISTRIBUTOR);
	if (!gicd)
		gicd = emu_device(g->cfg, VMCFG_EMU_INTERRUPT_CONTROLLER);
	uint64_t dbase = gicd ? gicd->base_gpa : DEFAULT_GICD;
	uint64_t dsize = gicd && gicd->length ? gicd->length : GICD_SIZE;
	uint64_t rbase = gicr ? gicr->base_gpa : DEFAULT_GICR;
	uint64_t rsize = gicr && gicr->length ? gicr->length : GICR_FRAME_SIZE * g->cfg->cpu_num;
	uint64_t reg[4] = { dbase, dsize, rbase, rsize };
	char name[64];
	int err;
	snprintf(name, sizeof name, "interrupt-controller@%" PRIx64, dbase);
	if ((err = fdt_begin_node(g->fdt, name)) ||
	    (err = fdt_property_string(g->fdt, "compatible", "arm,gic-v3")) ||
	    (err = fdt_property_u32(g->fdt, "#interrupt-cells", 3)) ||
	    (err = fdt_property(g->fdt, "interrupt-controller", NULL, 0)) ||
	    (err = prop_reg(g->fdt, reg, 2)) ||
	    (err = fdt_property_u32(g->fdt, "phandle", g->gic_phandle)))
		return err;
	return fdt_end_node(g->fdt);
}

static int write_timer(struct guest *g)
{
	/* The architected timer's PPIs 13, 14, 11, 10 (secure, non-secure, virtual, hyp), level-high. */
	static const uint32_t ppis[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	int err, t = vmcfg_fdt_index_of(g->host, g->host->timer_node);
	if ((err = fdt_begin_node(g->fdt, "timer")))
		return err;
	if (t >= 0) {
		err = copy_props(g, t, EMIT_COPY);
	} else {
		fdt32_t cells[sizeof ppis / sizeof ppis[0]];
		for (size_t k = 0; k < sizeof ppis / sizeof ppis[0]; k++)
			cells[k] = cpu_to_fdt32(ppis[k]);
		if (!(err = fdt_property_string(g->fdt, "compatible", "arm,armv8-timer")) &&
		    !(err = fdt_property_u32(g->fdt, "interrupt-parent", g->gic_phandle)))
			err = fdt_property(g->fdt, "interrupts", cells, sizeof cells);
	}
	return err ? err : fdt_end_node(g->fdt);
}

static int write_psci(struct guest *g)
{
	int err;
	if ((err = fdt_begin_node(g->fdt, "psci")) ||
	    (err = fdt_property_string(g->fdt, "compatible", "arm,psci-0.2")) ||
	    (err = fdt_property_string(g->fdt, "method", "hvc")))
		return err;
	return fdt_end_node(g->fdt);
}

/* vmcfg_vm_create's console models (cfg_list[0]; 0 is the architecture's: PL011, riscv64 16550 MMIO). */
enum { CONSOLE_NONE = 0, CONSOLE_PL011 = 1, CONSOLE_16550_MMIO = 2 };

static int console_model(bool riscv, const struct vmcfg_vm_emu_device *dev)
{
	if (dev->emu_type != VMCFG_EMU_CONSOLE)
		return CONSOLE_NONE;
	uint64_t m = dev->cfg_count ? dev->cfg_list[0] : 0;
	if (m == 0)
		return riscv ? CONSOLE_16550_MMIO : CONSOLE_PL011;
	return m == CONSOLE_PL011 || m == CONSOLE_16550_MMIO ? (int)m : CONSOLE_NONE;
}

/* Whether dev is an emulated PL011 (vmcfg_vm_create's console model 1, or 0 on aarch64). */
static bool emulated_pl011(const struct guest *g, const struct vmcfg_vm_emu_device *dev)
{
	return console_model(g->riscv, dev) == CONSOLE_PL011;
}

static const struct vmcfg_vm_emu_device *first_pl011(const struct guest *g)
{
	for (size_t k = 0; k < g->cfg->emu_count; k++)
		if (emulated_pl011(g, &g->cfg->emu[k]))
			return &g->cfg->emu[k];
	return NULL;
}

/* The first emulated console the guest DT describes, and its node's path in name. */
static const struct vmcfg_vm_emu_device *first_console(const struct guest *g, char *name, size_t len)
{
	for (size_t k = 0; k < g->cfg->emu_count; k++) {
		const struct vmcfg_vm_emu_device *d = &g->cfg->emu[k];
		int m = console_model(g->riscv, d);
		if (m == CONSOLE_PL011 || (m == CONSOLE_16550_MMIO && g->riscv)) {
			snprintf(name, len, "/%s@%" PRIx64, m == CONSOLE_PL011 ? "pl011" : "serial", d->base_gpa);
			return d;
		}
	}
	return NULL;
}

/*
 * The emulated PL011s: Linux's amba bus reads their ID registers only
 * after enabling the "apb_pclk" clock, and the driver derives the baud
 * divisors from "uartclk", so both name one fixed 24 MHz clock (the rate
 * QEMU virt gives its PL011). The interrupt is the device's irq_id as an
 * SPI (INTIDs 32-1019), level-high, when the guest has a GIC.
 */
static int write_emulated_consoles(struct guest *g)
{
	static const char names[] = "uartclk\0apb_pclk";
	static const char compat[] = "arm,pl011\0arm,primecell";
	char name[48];
	int err;
	if (!g->clk_phandle)
		return 0;
	if ((err = fdt_begin_node(g->fdt, "emu-uart-clk")) ||
	    (err = fdt_property_string(g->fdt, "compatible", "fixed-clock")) ||
	    (err = fdt_property_u32(g->fdt, "#clock-cells", 0)) ||
	    (err = fdt_property_u32(g->fdt, "clock-frequency", 24000000)) ||
	    (err = fdt_property_string(g->fdt, "clock-output-names", "clk24mhz")) ||
	    (err = fdt_property_u32(g->fdt, "phandle", g->clk_phandle)) ||
	    (err = fdt_end_node(g->fdt)))
		return err;
	for (size_t k = 0; k < g->cfg->emu_count && !err; k++) {
		const struct vmcfg_vm_emu_device *d = &g->cfg->emu[k];
		if (!emulated_pl011(g, d))
			continue;
		uint64_t reg[2] = { d->base_gpa, d->length };
		fdt32_t clocks[2] = { cpu_to_fdt32(g->clk_phandle), cpu_to_fdt32(g->clk_phandle) };
		snprintf(name, sizeof name, "pl011@%" PRIx64, d->base_gpa);
		if ((err = fdt_begin_node(g->fdt, name)) ||
		    (err = fdt_property(g->fdt, "compatible", compat, sizeof compat)) ||
		    (err = prop_reg(g->fdt, reg, 1)) ||
		    (err = fdt_property(g->fdt, "clocks", clocks, sizeof clocks)) ||
		    (err = fdt_property(g->fdt, "clock-names", names, sizeof names)))
			break;
		if (g->gic_phandle && d->irq_id >= 32 && d->irq_id < 1020) {
			fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(d->irq_id - 32), cpu_to_fdt32(4) };
			err = fdt_property(g->fdt, "interrupts", irq, sizeof irq);
		}
		if (!err)
			err = fdt_end_node(g->fdt);
	}
	return err;
}

/*
 * stdout-path: the host's, as a full path, when its node is in the guest;
 * else the first emulated console (PL011, riscv64 16550).
 */
static int write_stdout_path(struct guest *g)
{
	int len = 0, chosen = vmcfg_fdt_path_offset(g->host, "/chosen");
	const char *s = chosen >= 0 ? fdt_getprop(g->host->fdt, chosen, "stdout-path", &len) : NULL;
	char path[512], value[600];
	const struct vmcfg_vm_emu_device *con = first_console(g, value, sizeof value);
	if (!s || len <= 1 || s[len - 1] != '\0' || (size_t)len > sizeof path)
		return con ? fdt_property_string(g->fdt, "stdout-path", value) : 0;
	const char *colon = strchr(s, ':');
	size_t plen = colon ? (size_t)(colon - s) : strlen(s);
	memcpy(path, s, plen);
	path[plen] = '\0';
	int t = vmcfg_fdt_index_of(g->host, vmcfg_fdt_path_offset(g->host, path)); /* aliases resolve too */
	if (t < 0 || g->emit[t] != EMIT_COPY)
		return con ? fdt_property_string(g->fdt, "stdout-path", value) : 0;
	snprintf(value, sizeof value, "%s%s", fdt_node(g->host, t)->path, colon ? colon : "");
	return fdt_property_string(g->fdt, "stdout-path", value);
}

static int write_chosen(struct guest *g)
{
	const struct vmcfg_vm_config *cfg = g->cfg;
	uint64_t size = g->opts ? g->opts->ramdisk_size : 0, end;
	int err;
	if ((err = fdt_begin_node(g->fdt, "chosen")))
		return err;
	if (cfg->cmdline && (err = fdt_property_string(g->fdt, "bootargs", cfg->cmdline)))
		return err;
	/*
	 * A VM given the host's whole tree (["/"]) and no cmdline of its own
	 * boots with the host's bootargs: the reference copies the host's
	 * /chosen into such a guest, and AxVisor's files rely on it.
	 */
	if (!cfg->cmdline && g->exp && vmcfg_fdt_expansion_node(g->exp, 0)) {
		int len = 0, chosen = vmcfg_fdt_path_offset(g->host, "/chosen");
		const void *args = chosen >= 0 ? fdt_getprop(g->host->fdt, chosen, "bootargs", &len) : NULL;
		if (args && (err = fdt_property(g->fdt, "bootargs", args, len)))
			return err;
	}
	if (cfg->ramdisk.has_load_gpa && size && vmcfg_add_u64(cfg->ramdisk.load_gpa, size, &end) &&
	    ((err = fdt_property_u64(g->fdt, "linux,initrd-start", cfg->ramdisk.load_gpa)) ||
	     (err = fdt_property_u64(g->fdt, "linux,initrd-end", end))))
		return err;
	if ((err = write_stdout_path(g)))
		return err;
	return fdt_end_node(g->fdt);
}

/* A no-map reservation ivc@GPA of the given compatible. */
static int begin_ivc_node(struct guest *g, uint64_t gpa, uint64_t size, const char *compatible)
{
	char name[48];
	uint64_t reg[2] = { gpa, size };
	int err;
	snprintf(name, sizeof name, "ivc@%" PRIx64, gpa);
	if ((err = fdt_begin_node(g->fdt, name)) ||
	    (err = fdt_property_string(g->fdt, "compatible", compatible)) ||
	    (err = prop_reg(g->fdt, reg, 1)))
		return err;
	return fdt_property(g->fdt, "no-map", NULL, 0);
}

/* A static channel: where, which, whose, and whether this VM may write it. */
static int write_ivc_channel(struct guest *g, const struct vmcfg_ivc_placement *p)
{
	int err;
	if ((err = begin_ivc_node(g, p->gpa, p->size, "vmcfg,ivc-channel")) ||
	    (err = fdt_property_u64(g->fdt, "vmcfg,key", p->key)) ||
	    (err = fdt_property_string(g->fdt, "vmcfg,publisher", p->publisher)))
		return err;
	if (!p->writable && (err = fdt_property(g->fdt, "vmcfg,read-only", NULL, 0)))
		return err;
	return fdt_end_node(g->fdt);
}

/*
 * The IVC windows, reserved no-map so the guest never uses them as RAM.
 * The first window's static channels each get a node of their own, and
 * the rest of the window one more: the nodes tile the window without
 * overlapping, since Linux reports overlapping reserved-memory regions.
 */
static int write_reserved_memory(struct guest *g)
{
	const struct vmcfg_vm_config *cfg = g->cfg;
	const struct vmcfg_vm_emu_device *first = emu_device(cfg, VMCFG_EMU_IVC_CHANNEL);
	int err = 0;
	if (!first)
		return 0;
	if ((err = fdt_begin_node(g->fdt, "reserved-memory")) ||
	    (err = fdt_property_u32(g->fdt, "#address-cells", 2)) ||
	    (err = fdt_property_u32(g->fdt, "#size-cells", 2)) ||
	    (err = fdt_property(g->fdt, "ranges", NULL, 0)))
		return err;
	for (size_t k = 0; k < cfg->emu_count && !err; k++) {
		const struct vmcfg_vm_emu_device *d = &cfg->emu[k];
		if (d->emu_type != VMCFG_EMU_IVC_CHANNEL)
			continue;
		uint64_t used = 0; /* the channels are packed from the window's start */
		for (size_t c = 0; d == first && c < g->ivc_count && !err; c++) {
			err = write_ivc_channel(g, &g->ivc[c]);
			used += g->ivc[c].size;
		}
		if (!err && used < d->length &&
		    !(err = begin_ivc_node(g, d->base_gpa + used, d->length - used, "vmcfg,ivc-window")))
			err = fdt_end_node(g->fdt);
	}
	return err ? err : fdt_end_node(g->fdt);
}

/*
 * The static channels opts->system maps into cfg's IVC window, by the
 * placement rule (the hypervisor's). 0, VMCFG_ENOMEM, VMCFG_ERANGE when
 * one does not fit, VMCFG_EALIGN when the window is not page-aligned.
 */
static int plan_ivc(struct guest *g)
{
	const struct vmcfg_vm_emu_device *w = emu_device(g->cfg, VMCFG_EMU_IVC_CHANNEL);
	const struct vmcfg_system *sys = g->opts ? g->opts->system : NULL;
	size_t n = 0;
	if (!sys || !g->cfg->name)
		return 0;
	uint64_t gpa = w ? w->base_gpa : 0, size = w ? w->length : 0;
	int err = vmcfg_ivc_static_layout(sys, g->cfg->name, gpa, size, NULL, 0, &n);
	if (err == VMCFG_EINVAL)
		return VMCFG_EALIGN;
	if (err == VMCFG_ERANGE || !n)
		return err;
	g->ivc = calloc(n, sizeof *g->ivc);
	if (!g->ivc)
		return VMCFG_ENOMEM;
	g->ivc_count = n;
	return vmcfg_ivc_static_layout(sys, g->cfg->name, gpa, size, g->ivc, n, &n);
}

/* ------------------------------------------------------------ riscv64 */

/* QEMU virt's 16550 input clock, which Linux's 8250 driver needs to accept the port. */
#define UART16550_CLOCK 3686400u
/* The local interrupt numbers of the external interrupts (the PLIC's contexts). */
#define IRQ_M_EXT 11
#define IRQ_S_EXT 9

/* Property name (a string) of the host's first CPU node, or NULL. */
static const char *host_cpu_prop(const struct guest *g, const char *name, int *len)
{
	int cpus = vmcfg_fdt_path_offset(g->host, "/cpus"), off;
	if (cpus < 0)
		return NULL;
	fdt_for_each_subnode(off, g->host->fdt, cpus)
	{
		const char *type = fdt_getprop(g->host->fdt, off, "device_type", NULL);
		if (!type || strcmp(type, "cpu"))
			continue;
		const char *v = fdt_getprop(g->host->fdt, off, name, len);
		return v && *len > 0 && v[*len - 1] == '\0' ? v : NULL;
	}
	return NULL;
}

/*
 * The guest's riscv,isa: the host CPU's without what a guest in VS-mode
 * does not get — the H extension (a single letter, before the first '_')
 * and Sstc (the hypervisor gives the timer through SBI TIME).
 */
static void guest_isa(const struct guest *g, char *out, size_t cap)
{
	int len = 0;
	const char *isa = host_cpu_prop(g, "riscv,isa", &len);
	size_t n = 0;
	if (!isa || len < 5 || memcmp(isa, "rv64", 4) || (size_t)len > cap) {
		snprintf(out, cap, "rv64imafdc_zicsr_zifencei");
		return;
	}
	const char *end = isa + len - 1, *p = isa;
	const char *us = memchr(isa, '_', (size_t)(end - isa));
	for (; p < (us ? us : end); p++)
		if (p < isa + 4 || *p != 'h')
			out[n++] = *p;
	while (p < end) { /* the "_name" pieces */
		const char *q = memchr(p + 1, '_', (size_t)(end - p - 1));
		if (!q)
			q = end;
		size_t l = (size_t)(q - p - 1);
		if (!(l == 4 && !memcmp(p + 1, "sstc", 4))) { /* the binding: lower case */
			memcpy(out + n, p, l + 1);
			n += l + 1;
		}
		p = q;
	}
	out[n] = '\0';
}

static int write_riscv_cpus(struct guest *g)
{
	size_t n = g->cfg->cpu_num;
	struct vmcfg_vm_vcpu_affinity *aff = calloc(n ? n : 1, sizeof *aff);
	char name[48], isa[256];
	int len = 0, err;
	if (!aff) {
		g->rc = VMCFG_ENOMEM;
		return -FDT_ERR_INTERNAL;
	}
	vmcfg_vm_config_vcpu_affinities(g->cfg, aff, n);
	guest_isa(g, isa, sizeof isa);
	const char *mmu = host_cpu_prop(g, "mmu-type", &len);
	int cpus = vmcfg_fdt_path_offset(g->host, "/cpus");
	const void *tb = cpus >= 0 ? fdt_getprop(g->host->fdt, cpus, "timebase-frequency", &len) : NULL;
	bool wide = false;
	for (size_t k = 0; k < n; k++)
		wide |= aff[k].phys_id > UINT32_MAX;
	err = fdt_begin_node(g->fdt, "cpus");
	if (!err)
		err = fdt_property_u32(g->fdt, "#address-cells", wide ? 2 : 1);
	if (!err)
		err = fdt_property_u32(g->fdt, "#size-cells", 0);
	if (!err)
		err = tb && (len == 4 || len == 8)
			      ? fdt_property(g->fdt, "timebase-frequency", tb, len)
			      : fdt_property_u32(g->fdt, "timebase-frequency", (uint32_t)VMCFG_RISCV_TIMEBASE_HZ);
	for (size_t k = 0; k < n && !err; k++) {
		uint64_t id = aff[k].phys_id;
		snprintf(name, sizeof name, "cpu@%" PRIx64, id);
		if ((err = fdt_begin_node(g->fdt, name)) ||
		    (err = fdt_property_string(g->fdt, "device_type", "cpu")) ||
		    (err = wide ? fdt_property_u64(g->fdt, "reg", id)
				: fdt_property_u32(g->fdt, "reg", (uint32_t)id)) ||
		    (err = fdt_property_string(g->fdt, "status", "okay")) ||
		    (err = fdt_property_string(g->fdt, "compatible", "riscv")) ||
		    (err = fdt_property_string(g->fdt, "riscv,isa", isa)) ||
		    (err = fdt_property_string(g->fdt, "mmu-type", mmu ? mmu : "riscv,sv39")) ||
		    (err = fdt_begin_node(g->fdt, "interrupt-controller")) ||
		    (err = fdt_property_u32(g->fdt, "#address-cells", 0)) ||
		    (err = fdt_property_u32(g->fdt, "#interrupt-cells", 1)) ||
		    (err = fdt_property(g->fdt, "interrupt-controller", NULL, 0)) ||
		    (err = fdt_property_string(g->fdt, "compatible", "riscv,cpu-intc")) ||
		    (err = fdt_property_u32(g->fdt, "phandle", g->intc_phandle + (uint32_t)k)) ||
		    (err = fdt_end_node(g->fdt)))
			break;
		err = fdt_end_node(g->fdt);
	}
	free(aff);
	return err ? err : fdt_end_node(g->fdt);
}

/* The virtual PLIC (vmcfg/check.h's VMCFG_VPLIC_*), or at the InterruptController device's window. */
static int write_plic(struct guest *g)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	const struct vmcfg_vm_emu_device *ic = emu_device(g->cfg, VMCFG_EMU_INTERRUPT_CONTROLLER);
	uint64_t reg[2] = { ic ? ic->base_gpa : VMCFG_VPLIC_BASE,
			    ic && ic->length ? ic->length : VMCFG_VPLIC_SIZE };
	size_t n = g->cfg->cpu_num, cells = n * 2 * VMCFG_VPLIC_CONTEXTS_PER_HART;
	fdt32_t *ext = calloc(cells ? cells : 1, sizeof *ext);
	char name[48];
	int err;
	if (!ext) {
		g->rc = VMCFG_ENOMEM;
		return -FDT_ERR_INTERNAL;
	}
	for (size_t k = 0; k < n; k++) {
		fdt32_t intc = cpu_to_fdt32(g->intc_phandle + (uint32_t)k);
		ext[4 * k] = intc;
		ext[4 * k + 1] = cpu_to_fdt32(IRQ_M_EXT);
		ext[4 * k + 2] = intc;
		ext[4 * k + 3] = cpu_to_fdt32(IRQ_S_EXT);
	}
	snprintf(name, sizeof name, "plic@%" PRIx64, reg[0]);
	if (!(err = fdt_begin_node(g->fdt, name)) &&
	    !(err = fdt_property(g->fdt, "compatible", compat, sizeof compat)) &&
	    !(err = prop_reg(g->fdt, reg, 1)) &&
	    !(err = fdt_property_u32(g->fdt, "#address-cells", 0)) &&
	    !(err = fdt_property_u32(g->fdt, "#interrupt-cells", 1)) &&
	    !(err = fdt_property(g->fdt, "interrupt-controller", NULL, 0)) &&
	    !(err = fdt_property_u32(g->fdt, "riscv,ndev", VMCFG_VPLIC_NDEV)) &&
	    !(err = fdt_property(g->fdt, "interrupts-extended", ext, (int)(cells * sizeof *ext))) &&
	    !(err = fdt_property_u32(g->fdt, "phandle", g->gic_phandle)))
		err = fdt_end_node(g->fdt);
	free(ext);
	return err;
}

/* The emulated 16550s (lib/vm: byte registers at consecutive offsets); irq_id is a PLIC source. */
static int write_emulated_16550s(struct guest *g)
{
	char name[48];
	int err = 0;
	for (size_t k = 0; k < g->cfg->emu_count && !err; k++) {
		const struct vmcfg_vm_emu_device *d = &g->cfg->emu[k];
		if (console_model(g->riscv, d) != CONSOLE_16550_MMIO)
			continue;
		uint64_t reg[2] = { d->base_gpa, d->length };
		snprintf(name, sizeof name, "serial@%" PRIx64, d->base_gpa);
		if ((err = fdt_begin_node(g->fdt, name)) ||
		    (err = fdt_property_string(g->fdt, "compatible", "ns16550a")) ||
		    (err = prop_reg(g->fdt, reg, 1)) ||
		    (err = fdt_property_u32(g->fdt, "clock-frequency", UART16550_CLOCK)))
			break;
		if (g->gic_phandle && d->irq_id >= 1 && d->irq_id <= VMCFG_VPLIC_NDEV &&
		    !(err = fdt_property_u32(g->fdt, "interrupt-parent", g->gic_phandle)))
			err = fdt_property_u32(g->fdt, "interrupts", d->irq_id);
		if (!err)
			err = fdt_end_node(g->fdt);
	}
	return err;
}

/* The host's PLIC, which copied nodes' interrupts name; -1 when there is none. */
static int host_plic(const struct vmcfg_fdt_platform *host)
{
	for (size_t i = 0; i < host->index->count; i++)
		if (vmcfg_fdt_is_plic(host->fdt, fdt_node(host, (int)i)->offset))
			return (int)i;
	return -1;
}

static int write_root(struct guest *g)
{
	const struct vmcfg_vm_config *cfg = g->cfg;
	int len = 0, err;
	const void *compat = fdt_getprop(g->host->fdt, 0, "compatible", &len);
	if ((err = fdt_finish_reservemap(g->fdt)) || (err = fdt_begin_node(g->fdt, "")) ||
	    (err = fdt_property_u32(g->fdt, "#address-cells", 2)) ||
	    (err = fdt_property_u32(g->fdt, "#size-cells", 2)))
		return err;
	/* The devices passed through belong to the host's board: say so. */
	err = compat && len > 0 ? fdt_property(g->fdt, "compatible", compat, len)
				: fdt_property_string(g->fdt, "compatible", "vmcfg,vm");
	if (err || (err = fdt_property_string(g->fdt, "model", cfg->name ? cfg->name : "vmcfg VM")))
		return err;
	/*
	 * riscv64: no root interrupt-parent — Linux would take the PLIC as the
	 * harts' local controllers' parent, and find no root controller; the
	 * nodes with interrupts name the PLIC themselves.
	 */
	if (g->gic_phandle && !g->riscv && (err = fdt_property_u32(g->fdt, "interrupt-parent", g->gic_phandle)))
		return err;
	if ((err = write_memory(g)))
		return err;
	if (g->riscv) {
		if ((err = write_riscv_cpus(g)) || (g->gic_phandle && (err = write_plic(g))) ||
		    (err = write_emulated_16550s(g)) || (err = write_emulated_consoles(g)) ||
		    (err = write_chosen(g)) || (err = write_reserved_memory(g)) || (err = write_copies(g)) ||
		    (err = fdt_end_node(g->fdt)))
			return err;
		return fdt_finish(g->fdt);
	}
	if ((err = write_cpus(g)))
		return err;
	if (g->gic_phandle && (err = write_emulated_gic(g)))
		return err;
	if (g->gic_phandle && (err = write_timer(g)))
		return err;
	if ((err = write_emulated_consoles(g)) || (err = write_psci(g)) || (err = write_chosen(g)) || (err = write_reserved_memory(g)) ||
	    (err = write_copies(g)))
		return err;
	if ((err = fdt_end_node(g->fdt)))
		return err;
	return fdt_finish(g->fdt);
}

/* A phandle no host node uses, for a generated GIC when the host's has none. */
static uint32_t fresh_phandle(const struct vmcfg_fdt_platform *host)
{
	const struct vmcfg_fdt_index *ix = host->index;
	uint32_t max = ix->phandle_count ? ix->by_phandle[ix->phandle_count - 1].phandle : 0;
	return max < 0xfffffffeu ? max + 1 : 0;
}

int vmcfg_fdt_guest_build(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			  const struct vmcfg_fdt_expansion *exp,
			  const struct vmcfg_fdt_guest_opts *opts, struct vmcfg_diags *diags,
			  char **blob, size_t *size)
{
	if (!blob || !size)
		return VMCFG_EINVAL;
	*blob = NULL;
	*size = 0;
	if (!host || !cfg || !diags)
		return VMCFG_EINVAL;

	struct guest g;
	memset(&g, 0, sizeof g);
	g.host = host;
	g.cfg = cfg;
	g.exp = exp;
	g.opts = opts;
	g.diags = diags;
	enum vmcfg_arch arch = opts && opts->arch ? opts->arch
				   : host->platform.arch ? host->platform.arch : VMCFG_ARCH_AARCH64;
	if (arch != VMCFG_ARCH_AARCH64 && arch != VMCFG_ARCH_RISCV64)
		return VMCFG_ENOSYS;
	g.riscv = arch == VMCFG_ARCH_RISCV64;
	g.host_gic = g.riscv ? host_plic(host) : vmcfg_fdt_index_of(host, host->gic_node);
	if (cfg->irq_mode != VMCFG_IRQ_NONE) {
		/*
		 * Every mode gets the vGIC: in "passthrough" the hypervisor keeps the
		 * physical GIC and delivers the passed-through SPIs through its vGIC,
		 * at QEMU virt's frames (VMCFG_VGIC_*), so the host's node is never
		 * copied. riscv64: the PLIC is always the generated one (its contexts
		 * are the guest's harts).
		 */
		uint32_t host_ph = g.riscv ? (g.host_gic >= 0 ? fdt_node(host, g.host_gic)->phandle : 0)
					   : host->gic_phandle;
		g.gic_phandle = host_ph ? host_ph : fresh_phandle(host);
		if (!g.gic_phandle)
			return VMCFG_ELIMIT;
	}
	if (g.riscv) {
		/* After the slots of a fresh PLIC and clock phandle: fresh, fresh + 1. */
		uint32_t fresh = fresh_phandle(host);
		if (!fresh || fresh > 0xfffffffdu - cfg->cpu_num)
			return VMCFG_ELIMIT;
		g.intc_phandle = fresh + 2;
	}
	if (first_pl011(&g)) {
		g.clk_phandle = fresh_phandle(host);
		if (g.clk_phandle && g.clk_phandle == g.gic_phandle)
			g.clk_phandle = g.clk_phandle < 0xfffffffeu ? g.clk_phandle + 1 : 0;
		if (!g.clk_phandle)
			return VMCFG_ELIMIT;
	}
	int rc = plan_ivc(&g);
	if (rc) {
		free(g.ivc);
		return rc;
	}
	g.emit = calloc(host->index->count ? host->index->count : 1, 1);
	if (!g.emit) {
		free(g.ivc);
		return VMCFG_ENOMEM;
	}
	plan(&g);

	/* Grow the buffer until the tree fits; findings of a failed try are taken back. */
	size_t cap = host->size + 64 * 1024 + cfg->region_count * 64 + cfg->cpu_num * 128;
	size_t first_diag = diags->count;
	int err = -FDT_ERR_NOSPACE;
	char *buf = NULL;
	while (err == -FDT_ERR_NOSPACE && !g.rc) {
		vmcfg_diags_truncate(diags, first_diag);
		char *bigger = cap > INT32_MAX ? NULL : realloc(buf, cap);
		if (!bigger) {
			g.rc = VMCFG_ENOMEM;
			break;
		}
		buf = bigger;
		g.fdt = buf;
		err = fdt_create(buf, (int)cap);
		if (!err)
			err = write_root(&g);
		cap *= 2;
	}
	free(g.emit);
	free(g.ivc);
	if (g.rc || err) {
		free(buf);
		return g.rc ? g.rc : VMCFG_ELIMIT;
	}
	*size = fdt_totalsize((const void *)buf);
	char *fit = realloc(buf, *size);
	*blob = fit ? fit : buf;
	return 0;
}

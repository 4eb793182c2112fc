/* SPDX-License-Identifier: MIT */
/*
 * The DTB a VM file gives (dtb_path), fixed up for the VM as the reference
 * (AxVisor's update_cpu_node and update_fdt) fixes up a DTB it is given:
 * /cpus comes from the host, cut down to the VM's physical CPUs; the memory
 * nodes are replaced by one /memory with the VM's RAM; /chosen loses the
 * initrd the DTB's author had. Contract in vmcfg/fdt.h.
 *
 * The tree is written anew with libfdt's sequential-write API (the given
 * nodes in their order, the replacements in place), not edited in place:
 * libfdt's in-place fdt_add_subnode puts a new node before its siblings,
 * which would reverse the host's CPU order.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The affinity fields of MPIDR_EL1 (Aff3 at 32..39, Aff2..Aff0 at 0..23). */
#define MPIDR_AFFINITY 0xff00ffffffull

struct fixup {
	const struct vmcfg_fdt_platform *host;
	const struct vmcfg_vm_config *cfg;
	const struct vmcfg_fdt_guest_opts *opts;
	const void *given;
	void *fdt;              /* the tree being written */
	uint64_t *cpu_ids;      /* the VM's physical CPU ids (MPIDR affinity) */
	size_t cpu_count;
	uint32_t addr_cells, size_cells; /* the given root's */
	bool chosen_written;
	/*
	 * riscv64: the given /cpus is kept. Its harts' interrupt controllers are
	 * what the PLIC's interrupts-extended names by phandle; the host's CPU
	 * nodes carry other phandles, and Linux would find no interrupt
	 * controller (AxVisor's /cpus fix-up is its aarch64 path's).
	 */
	bool keep_cpus;
	int rc;                 /* a vmcfg error met on the way (ERANGE, ENOMEM) */
};

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	/* memcmp, not strncmp: hv/libfdt-env has no strncmp. */
	return strlen(name) >= n && !memcmp(name, base, n) && (name[n] == '\0' || name[n] == '@');
}

/* A node the fix-up replaces by the VM's /memory: named memory[@…], or device_type "memory". */
static bool is_memory(const void *fdt, int off)
{
	int len = 0;
	const char *type = fdt_getprop(fdt, off, "device_type", &len);
	return name_is(fdt_get_name(fdt, off, NULL), "memory") ||
	       (type && len == (int)sizeof "memory" && !memcmp(type, "memory", len));
}

static int copy_props(struct fixup *f, const void *src, int off, const char *const *skip)
{
	int p, err = 0;
	fdt_for_each_property_offset(p, src, off) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(src, p, &name, &len);
		bool skipped = !val;
		for (size_t k = 0; skip && skip[k] && !skipped; k++)
			skipped = !strcmp(name, skip[k]);
		if (!skipped && (err = fdt_property(f->fdt, name, val, len)))
			break;
	}
	return err;
}

/* Whether the host's cpu node off is one of the VM's physical CPUs (by its `reg`). */
static bool cpu_wanted(const struct fixup *f, int off, uint32_t cells)
{
	int len = 0;
	const void *reg = fdt_getprop(f->host->fdt, off, "reg", &len);
	uint64_t id = 0;
	if (!reg || cells < 1 || cells > 2 || len < (int)(4 * cells))
		return false;
	for (uint32_t k = 0; k < cells; k++)
		id = id << 32 | fdt_cell(reg, k);
	for (size_t k = 0; k < f->cpu_count; k++)
		if ((id & MPIDR_AFFINITY) == f->cpu_ids[k])
			return true;
	return false;
}

/* The host's subtree at off, as it is. */
static int copy_subtree(struct fixup *f, int off)
{
	const void *h = f->host->fdt;
	int child, err = fdt_begin_node(f->fdt, fdt_get_name(h, off, NULL));
	if (!err)
		err = copy_props(f, h, off, NULL);
	fdt_for_each_subnode(child, h, off) {
		if (err)
			break;
		err = copy_subtree(f, child);
	}
	return err ? err : fdt_end_node(f->fdt);
}

/*
 * The host's /cpus with only the VM's CPUs. A cpu-map names CPUs by
 * phandle: with any host CPU left out, it would name missing nodes, so it
 * goes too (Linux then takes every CPU as its own cluster).
 */
static int write_host_cpus(struct fixup *f)
{
	const void *h = f->host->fdt;
	int cpus = vmcfg_fdt_path_offset(f->host, "/cpus"), child, err;
	uint32_t cells;
	bool all = true;
	if (cpus < 0)
		return 0;
	if (!vmcfg_fdt_read_ncells(h, cpus, "#address-cells", 1, 2, &cells))
		cells = 0; /* no CPU's reg can be read: none is the VM's */
	fdt_for_each_subnode(child, h, cpus)
		if (name_is(fdt_get_name(h, child, NULL), "cpu") && !cpu_wanted(f, child, cells))
			all = false;
	if ((err = fdt_begin_node(f->fdt, "cpus")) || (err = copy_props(f, h, cpus, NULL)))
		return err;
	fdt_for_each_subnode(child, h, cpus) {
		const char *name = fdt_get_name(h, child, NULL);
		if (name_is(name, "cpu") && !cpu_wanted(f, child, cells))
			continue;
		if (!all && name_is(name, "cpu-map"))
			continue;
		if ((err = copy_subtree(f, child)))
			return err;
	}
	return fdt_end_node(f->fdt);
}

/* Appends value in cells big-endian cells to out; false when it does not fit them. */
static bool put_cells(uint8_t *out, size_t *at, uint64_t value, uint32_t cells)
{
	if (cells < 2 && value > UINT32_MAX)
		return false;
	for (uint32_t k = cells; k-- > 0;) {
		uint32_t c = k < 2 ? (uint32_t)(value >> (32 * k)) : 0;
		fdt32_t be = cpu_to_fdt32(c);
		memcpy(out + *at, &be, 4);
		*at += 4;
	}
	return true;
}

/* One /memory node with every RAM region of the VM (not DEVICE) in the root's cells. */
static int write_memory(struct fixup *f)
{
	size_t per = 4 * (size_t)(f->addr_cells + f->size_cells), at = 0;
	uint8_t *reg = malloc(f->cfg->region_count * per + 1);
	int err;
	if (!reg) {
		f->rc = VMCFG_ENOMEM;
		return -FDT_ERR_INTERNAL;
	}
	for (size_t k = 0; k < f->cfg->region_count; k++) {
		const struct vmcfg_vm_mem_region *r = &f->cfg->regions[k];
		if (r->flags & VMCFG_MEM_DEVICE)
			continue;
		if (!put_cells(reg, &at, r->gpa, f->addr_cells) ||
		    !put_cells(reg, &at, r->size, f->size_cells)) {
			free(reg);
			f->rc = VMCFG_ERANGE;
			return -FDT_ERR_INTERNAL;
		}
	}
	if (!(err = fdt_begin_node(f->fdt, "memory")) &&
	    !(err = fdt_property_string(f->fdt, "device_type", "memory")) &&
	    !(err = fdt_property(f->fdt, "reg", reg, (int)at)))
		err = fdt_end_node(f->fdt);
	free(reg);
	return err;
}

/* The VM's own /chosen values: bootargs from cmdline, the initrd when its size is known. */
static int write_chosen_values(struct fixup *f)
{
	const struct vmcfg_vm_config *cfg = f->cfg;
	uint64_t size = f->opts ? f->opts->ramdisk_size : 0, end;
	int err = 0;
	if (cfg->cmdline && (err = fdt_property_string(f->fdt, "bootargs", cfg->cmdline)))
		return err;
	if (cfg->ramdisk.has_load_gpa && size && vmcfg_add_u64(cfg->ramdisk.load_gpa, size, &end) &&
	    !(err = fdt_property_u64(f->fdt, "linux,initrd-start", cfg->ramdisk.load_gpa)))
		err = fdt_property_u64(f->fdt, "linux,initrd-end", end);
	f->chosen_written = true;
	return err;
}

static bool has_chosen_values(const struct fixup *f)
{
	return f->cfg->cmdline || (f->cfg->ramdisk.has_load_gpa && f->opts && f->opts->ramdisk_size);
}

static int copy_given(struct fixup *f, int off, int depth)
{
	static const char *const chosen_skip[] = { "linux,initrd-start", "linux,initrd-end", NULL };
	static const char *const chosen_skip_args[] = { "linux,initrd-start", "linux,initrd-end",
							"bootargs", NULL };
	const void *g = f->given;
	const char *name = fdt_get_name(g, off, NULL);
	bool chosen = depth == 1 && !strcmp(name, "chosen");
	int child, err;

	if (depth == 1 && !strcmp(name, "cpus") && !f->keep_cpus)
		return write_host_cpus(f);
	if (depth == 1 && is_memory(g, off))
		return 0;
	if ((err = fdt_begin_node(f->fdt, depth ? name : "")))
		return err;
	err = copy_props(f, g, off, !chosen ? NULL : f->cfg->cmdline ? chosen_skip_args : chosen_skip);
	if (!err && chosen)
		err = write_chosen_values(f);
	fdt_for_each_subnode(child, g, off) {
		if (err)
			break;
		err = copy_given(f, child, depth + 1);
	}
	if (!err && depth == 0) {
		/* What the given tree lacks: the host's CPUs, a /chosen for the VM's values; then RAM. */
		if (!f->keep_cpus && fdt_subnode_offset(g, off, "cpus") < 0)
			err = write_host_cpus(f);
		if (!err && !f->chosen_written && has_chosen_values(f) &&
		    !(err = fdt_begin_node(f->fdt, "chosen")) && !(err = write_chosen_values(f)))
			err = fdt_end_node(f->fdt);
		if (!err)
			err = write_memory(f);
	}
	return err ? err : fdt_end_node(f->fdt);
}

static int write_tree(struct fixup *f)
{
	int n = fdt_num_mem_rsv(f->given), err = 0;
	for (int k = 0; k < n && !err; k++) {
		uint64_t addr, size;
		if (!(err = fdt_get_mem_rsv(f->given, k, &addr, &size)))
			err = fdt_add_reservemap_entry(f->fdt, addr, size);
	}
	if (!err)
		err = fdt_finish_reservemap(f->fdt);
	if (!err)
		err = copy_given(f, 0, 0);
	if (!err)
		err = fdt_finish(f->fdt);
	return err;
}

int vmcfg_fdt_guest_fixup(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			  const void *given, size_t given_size,
			  const struct vmcfg_fdt_guest_opts *opts, char **blob, size_t *size)
{
	if (!blob || !size)
		return VMCFG_EINVAL;
	*blob = NULL;
	*size = 0;
	if (!host || !cfg || !given)
		return VMCFG_EINVAL;
	if (given_size > INT32_MAX || vmcfg_fdt_check_tokens(given, given_size) ||
	    fdt_totalsize(given) > given_size || fdt_check_full(given, given_size))
		return VMCFG_ESYNTAX;

	struct fixup f;
	memset(&f, 0, sizeof f);
	f.host = host;
	f.keep_cpus = (opts && opts->arch ? opts->arch : host->platform.arch) == VMCFG_ARCH_RISCV64;
	f.cfg = cfg;
	f.opts = opts;
	f.given = given;
	if (!vmcfg_fdt_read_ncells(given, 0, "#address-cells", 2, 2, &f.addr_cells) ||
	    !vmcfg_fdt_read_ncells(given, 0, "#size-cells", 1, 2, &f.size_cells) ||
	    f.addr_cells == 0 || f.size_cells == 0)
		return VMCFG_ESYNTAX; /* the VM's RAM could not be written in its cells */

	size_t n = cfg->cpu_num;
	struct vmcfg_vm_vcpu_affinity *aff = calloc(n ? n : 1, sizeof *aff);
	f.cpu_ids = calloc(n ? n : 1, sizeof *f.cpu_ids);
	if (!aff || !f.cpu_ids) {
		free(aff);
		free(f.cpu_ids);
		return VMCFG_ENOMEM;
	}
	vmcfg_vm_config_vcpu_affinities(cfg, aff, n);
	for (size_t k = 0; k < n; k++)
		f.cpu_ids[k] = aff[k].phys_id & MPIDR_AFFINITY;
	f.cpu_count = n;
	free(aff);

	/* Grow the buffer until the tree fits, as vmcfg_fdt_guest_build does. */
	size_t cap = given_size + host->size + 4096 + cfg->region_count * 32;
	int err = -FDT_ERR_NOSPACE;
	char *buf = NULL;
	while (err == -FDT_ERR_NOSPACE && !f.rc) {
		char *bigger = cap > INT32_MAX ? NULL : realloc(buf, cap);
		if (!bigger) {
			f.rc = VMCFG_ENOMEM;
			break;
		}
		buf = bigger;
		f.fdt = buf;
		f.chosen_written = false;
		err = fdt_create(buf, (int)cap);
		if (!err)
			err = write_tree(&f);
		cap *= 2;
	}
	free(f.cpu_ids);
	if (f.rc || err) {
		free(buf);
		return f.rc ? f.rc : VMCFG_ELIMIT;
	}
	*size = fdt_totalsize((const void *)buf);
	char *fit = realloc(buf, *size);
	*blob = fit ? fit : buf;
	return 0;
}

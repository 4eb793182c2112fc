/* SPDX-License-Identifier: MIT */
/*
 * Checks against a host DT: the DT-path findings of each VM file (from its
 * expansion), then the checker's own platform rules with the DT as the
 * platform, so no rule is implemented twice. The expansions also tell the
 * checker which SPIs each VM gets (E0309, one SPI routed to two VMs).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct dt_check {
	const struct vmcfg_check_opts *user; /* the caller's options, may be NULL */
	const struct vmcfg_vm_spec *const *specs;
	size_t n;
	uint32_t **spis; /* per spec: its SPIs (malloc'ed) */
	size_t *spi_count;
};

static bool vm_spis(void *ud, const struct vmcfg_vm_spec *spec, const uint32_t **spis, size_t *n)
{
	const struct dt_check *c = ud;
	for (size_t k = 0; k < c->n; k++)
		if (c->specs[k] == spec) {
			*spis = c->spis[k];
			*n = c->spi_count[k];
			return true;
		}
	return false;
}

/* Forwards to the caller's image_size with the caller's ud. */
static bool image_size(void *ud, const struct vmcfg_vm_spec *spec, enum vmcfg_image_kind kind,
		       const char *path, uint64_t *size)
{
	const struct dt_check *c = ud;
	return c->user && c->user->image_size &&
	       c->user->image_size(c->user->ud, spec, kind, path, size);
}

/* The TOML entry that brought node path in (the first node of that path). */
static struct vmcfg_loc window_loc(const struct vmcfg_fdt_expansion *exp, const char *path)
{
	for (size_t i = 0; i < exp->node_count; i++)
		if (!strcmp(exp->nodes[i].path, path))
			return exp->nodes[i].loc;
	return (struct vmcfg_loc){ NULL, { 0, 0, 0, 0 } };
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return asize && bsize && a - b < bsize ? true : asize && bsize && b - a < asize;
}

/* A finding about window w of the VM, at the entry that selected its node. */
static int window_finding(struct vmcfg_diags *diags, enum vmcfg_rule rule, struct vmcfg_loc loc,
			  const struct vmcfg_fdt_pt_window *w, const char *what, const char *other)
{
	char a[VMCFG_FMT_BUF], b[VMCFG_FMT_BUF];
	struct vmcfg_diag *g = NULL;
	int rc = vmcfg_diag_add(diags, rule, loc, &g, "passthrough window [%s, %s) of DT node `%s` %s%s",
				vmcfg_fmt_hex(a, w->hpa), vmcfg_fmt_hex(b, w->hpa + w->size), w->node, what,
				other ? other : "");
	if (!rc && g && rule != VMCFG_R_PT_ROUNDING)
		rc = vmcfg_diag_hint(diags, g, "exclude the node (excluded_devices) or pass through its children only");
	return rc;
}

/*
 * The rules explicit passthrough windows meet, for the windows DT paths
 * select (the checker sees only the paths): the build maps them as it maps
 * the explicit ones, so a window over the hypervisor's memory, a reserved
 * frame (the GIC) or the VM's RAM or emulated devices is refused or
 * reported just the same, and an unaligned one warned about; so is one
 * over the vGIC a passthrough-mode VM gets (E0229, as lib/vm refuses it).
 */
static int check_windows(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_spec *s,
			 const struct vmcfg_fdt_expansion *exp, struct vmcfg_diags *diags)
{
	const struct vmcfg_platform *p = &host->platform;
	const char *reserved_node = NULL; /* one E0306 per node, however many of its windows */
	int rc = 0;
	/* The vGIC lib/vm builds for interrupt_mode "passthrough" (vmcfg/check.h); size 0: none. */
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1;
	bool pt_vgic = s->devices.irq_mode == VMCFG_IRQ_PASSTHROUGH && vcpus &&
		       vcpus <= VMCFG_VGIC_MAX_VCPUS &&
		       (p->arch ? p->arch : VMCFG_ARCH_AARCH64) == VMCFG_ARCH_AARCH64;
	const uint64_t vgic[2][2] = {
		{ VMCFG_VGIC_GICD_BASE, pt_vgic ? VMCFG_VGIC_GICD_SIZE : 0 },
		{ VMCFG_VGIC_GICR_BASE, pt_vgic ? vcpus * VMCFG_VGIC_GICR_FRAME : 0 }
	};
	for (size_t i = 0; i < exp->window_count && !rc; i++) {
		const struct vmcfg_fdt_pt_window *w = &exp->windows[i];
		struct vmcfg_loc loc = window_loc(exp, w->node);
		if (!w->size || w->hpa > UINT64_MAX - w->size)
			continue;
		if ((w->hpa | w->size) & (VMCFG_PAGE_SIZE - 1))
			rc = window_finding(diags, VMCFG_R_PT_ROUNDING, loc, w,
					    "is not 4 KiB-aligned: the page mapping exposes the neighbouring bytes", NULL);
		for (size_t k = 0; k < p->reserved_count && !rc; k++) {
			if (!overlaps(w->hpa, w->size, p->reserved[k].base, p->reserved[k].size) ||
			    (reserved_node && !strcmp(reserved_node, w->node)))
				continue;
			reserved_node = w->node;
			rc = window_finding(diags, VMCFG_R_OVER_RESERVED, loc, w, "overlaps the reserved frame ",
					    p->reserved[k].name ? p->reserved[k].name : "");
		}
		for (size_t k = 0; k < p->hv_memory_count && !rc; k++)
			if (overlaps(w->hpa, w->size, p->hv_memory[k].base, p->hv_memory[k].size))
				rc = window_finding(diags, VMCFG_R_OVER_HV_MEMORY, loc, w,
						    "overlaps the hypervisor's memory", NULL);
		for (size_t k = 0; k < s->kernel.region_count && !rc; k++) {
			const struct vmcfg_spec_region *r = &s->kernel.regions[k];
			if (r->gpa.set && r->size.set && !(r->flags.set && (r->flags.v & VMCFG_MEM_DEVICE)) &&
			    overlaps(w->hpa, w->size, r->gpa.v, r->size.v))
				rc = window_finding(diags, VMCFG_R_GUEST_OVERLAP, loc, w,
						    "overlaps the VM's RAM in guest-physical space", NULL);
		}
		for (int f = 0; f < 2 && !rc; f++)
			if (vgic[f][1] && overlaps(w->hpa, w->size, vgic[f][0], vgic[f][1]))
				rc = window_finding(diags, VMCFG_R_VGIC_LIMIT, loc, w, "overlaps the vGIC ",
						    f ? "redistributors that interrupt_mode \"passthrough\" gives the VM"
						      : "distributor that interrupt_mode \"passthrough\" gives the VM");
		for (size_t k = 0; k < s->devices.emu_count && !rc; k++) {
			const struct vmcfg_spec_emu_device *e = &s->devices.emu[k];
			if (e->base_gpa.set && e->length.set &&
			    overlaps(w->hpa, w->size, e->base_gpa.v, e->length.v))
				rc = window_finding(diags, VMCFG_R_GUEST_OVERLAP, loc, w,
						    "overlaps the emulated device ", e->name.s ? e->name.s : "");
		}
	}
	return rc;
}

/*
 * riscv64: what keeps the hypervisor from giving a passthrough-mode VM its
 * vPLIC at VMCFG_VPLIC_BASE (hv/arch/riscv64/vplic.c: anything of the VM
 * there, or more vCPUs than it has contexts for), written into buf; NULL
 * when the VM gets one (there, or at its InterruptController device).
 */
static const char *vplic_taken(const struct vmcfg_vm_spec *s, const struct vmcfg_fdt_expansion *exp,
			       char *buf, size_t size)
{
	const uint64_t base = VMCFG_VPLIC_BASE, len = VMCFG_VPLIC_SIZE, page = VMCFG_PAGE_SIZE - 1;
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1;
	for (size_t i = 0; i < s->devices.emu_count; i++)
		if (s->devices.emu[i].emu_type.set &&
		    s->devices.emu[i].emu_type.v == VMCFG_EMU_INTERRUPT_CONTROLLER)
			return NULL;
	if (vcpus > VMCFG_VPLIC_MAX_CONTEXTS / VMCFG_VPLIC_CONTEXTS_PER_HART) {
		vmcfg_snprintf(buf, size, "it has %llu vCPUs, more than the vPLIC's %d", (unsigned long long)vcpus,
			 VMCFG_VPLIC_MAX_CONTEXTS / VMCFG_VPLIC_CONTEXTS_PER_HART);
		return buf;
	}
	for (size_t i = 0; i < s->kernel.region_count; i++) {
		const struct vmcfg_spec_region *r = &s->kernel.regions[i];
		if (r->gpa.set && r->size.set && overlaps(r->gpa.v, r->size.v, base, len))
			return "a memory region lies in its window at 0x0c00_0000";
	}
	for (size_t i = 0; i < s->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *e = &s->devices.emu[i];
		if (e->base_gpa.set && e->length.set && overlaps(e->base_gpa.v, e->length.v, base, len)) {
			vmcfg_snprintf(buf, size, "emulated device `%s` lies in its window at 0x0c00_0000", e->name.s ? e->name.s : "");
			return buf;
		}
	}
	/* Passthrough windows are mapped in whole pages. */
	for (size_t i = 0; i < s->devices.pt_count; i++) {
		const struct vmcfg_spec_pt_device *d = &s->devices.pt[i];
		if (!d->is_dt_path && d->base_gpa.set && d->length.set &&
		    overlaps(d->base_gpa.v & ~page, d->length.v + (d->base_gpa.v & page), base, len)) {
			vmcfg_snprintf(buf, size, "passthrough device `%s` lies in its window at 0x0c00_0000", d->name.s ? d->name.s : "");
			return buf;
		}
	}
	for (size_t i = 0; i < s->devices.pt_address_count; i++) {
		const struct vmcfg_spec_pt_address *a = &s->devices.pt_addresses[i];
		if (a->gpa.set && a->length.set &&
		    overlaps(a->gpa.v & ~page, a->length.v + (a->gpa.v & page), base, len))
			return "a passthrough address lies in its window at 0x0c00_0000";
	}
	for (size_t i = 0; i < exp->window_count; i++)
		if (overlaps(exp->windows[i].hpa & ~page, exp->windows[i].size + (exp->windows[i].hpa & page),
			     base, len)) {
			vmcfg_snprintf(buf, size, "DT node `%s` lies in its window at 0x0c00_0000", exp->windows[i].node);
			return buf;
		}
	return NULL;
}

/*
 * A passthrough-mode VM's interrupts reach it through the vGIC, which has
 * VMCFG_VGIC_NR_SPIS SPIs, or on riscv64 the vPLIC, whose sources are
 * 1..VMCFG_VPLIC_NDEV: the hypervisor routes none beyond (W0405).
 */
static int check_spis(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_spec *s,
		      const struct vmcfg_fdt_expansion *exp, struct vmcfg_diags *diags)
{
	uint64_t vcpus = s->base.cpu_num.set ? s->base.cpu_num.v : 1;
	enum vmcfg_arch arch = host->platform.arch ? host->platform.arch : VMCFG_ARCH_AARCH64;
	int rc = 0;
	if (s->devices.irq_mode != VMCFG_IRQ_PASSTHROUGH || !vcpus)
		return 0;
	if (arch == VMCFG_ARCH_RISCV64) {
		char why[VMCFG_FMT_BUF + 96];
		const char *taken = exp->spi_count ? vplic_taken(s, exp, why, sizeof why) : NULL;
		if (taken) {
			char others[48] = "";
			if (exp->spi_count > 1)
				vmcfg_snprintf(others, sizeof others, " and %zu more",
					       exp->spi_count - 1);
			return vmcfg_diag_add(diags, VMCFG_R_FDT_IRQ, window_loc(exp, exp->spis[0].node), NULL,
					      "`%s`: PLIC source %u%s not delivered: the VM gets no vPLIC, "
					      "as %s",
					      exp->spis[0].node, exp->spis[0].spi, others, taken);
		}
		for (size_t i = 0; i < exp->spi_count && !rc; i++)
			if (exp->spis[i].spi > VMCFG_VPLIC_NDEV)
				rc = vmcfg_diag_add(diags, VMCFG_R_FDT_IRQ,
						    window_loc(exp, exp->spis[i].node), NULL,
						    "`%s`: PLIC source %u not routed: the vPLIC has "
						    "sources 1 to %d",
						    exp->spis[i].node, exp->spis[i].spi, VMCFG_VPLIC_NDEV);
		return rc;
	}
	if (vcpus > VMCFG_VGIC_MAX_VCPUS || arch != VMCFG_ARCH_AARCH64)
		return 0;
	for (size_t i = 0; i < exp->spi_count && !rc; i++)
		if (exp->spis[i].spi >= VMCFG_VGIC_NR_SPIS)
			rc = vmcfg_diag_add(diags, VMCFG_R_FDT_IRQ, window_loc(exp, exp->spis[i].node),
					    NULL,
					    "`%s`: SPI %u (INTID %u) not routed: the vGIC delivers SPIs "
					    "up to INTID %d",
					    exp->spis[i].node, exp->spis[i].spi, exp->spis[i].intid,
					    31 + VMCFG_VGIC_NR_SPIS);
	return rc;
}

/* The expansion of spec k: its findings go to diags, its SPIs are kept. */
static int expand_one(const struct vmcfg_fdt_platform *host, struct dt_check *c, size_t k,
		      struct vmcfg_diags *diags)
{
	struct vmcfg_fdt_expansion *exp;
	int rc = vmcfg_fdt_expand_spec(host, c->specs[k], diags, &exp);
	if (rc)
		return rc;
	rc = check_windows(host, c->specs[k], exp, diags);
	if (!rc)
		rc = check_spis(host, c->specs[k], exp, diags);
	if (rc) {
		vmcfg_fdt_expansion_free(exp);
		return rc;
	}
	c->spis[k] = malloc((exp->spi_count ? exp->spi_count : 1) * sizeof *c->spis[k]);
	if (c->spis[k]) {
		for (size_t i = 0; i < exp->spi_count; i++)
			c->spis[k][i] = exp->spis[i].spi;
		c->spi_count[k] = exp->spi_count;
	}
	vmcfg_fdt_expansion_free(exp);
	return c->spis[k] ? 0 : VMCFG_ENOMEM;
}

int vmcfg_fdt_check(const struct vmcfg_fdt_platform *host, const struct vmcfg_system *sys,
		    const struct vmcfg_vm_spec *const *specs, size_t n,
		    const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags)
{
	if (!host || !diags || (n && !specs))
		return VMCFG_EINVAL;
	struct dt_check c = { opts, specs, n, calloc(n ? n : 1, sizeof *c.spis),
			      calloc(n ? n : 1, sizeof *c.spi_count) };
	int rc = c.spis && c.spi_count ? 0 : VMCFG_ENOMEM;
	for (size_t k = 0; k < n && !rc; k++)
		if (specs[k])
			rc = expand_one(host, &c, k, diags);
	/* The DT's platform replaces a [platform] table the system also gives: say where they differ. */
	if (!rc && sys && sys->has_platform)
		rc = vmcfg_check_platform_machine(&sys->platform, &host->platform,
						  "the host device tree", diags);
	if (!rc) {
		struct vmcfg_check_opts mine = { image_size, vm_spis, &c,
						 opts ? opts->arch : VMCFG_ARCH_UNKNOWN,
						 opts ? opts->aspace_options : 0 };
		rc = vmcfg_check_system(sys, &host->platform, specs, n, &mine, diags);
	}
	for (size_t k = 0; c.spis && k < n; k++)
		free(c.spis[k]);
	free(c.spis);
	free(c.spi_count);
	return rc;
}

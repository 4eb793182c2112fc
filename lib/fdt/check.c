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

/* The expansion of spec k: its findings go to diags, its SPIs are kept. */
static int expand_one(const struct vmcfg_fdt_platform *host, struct dt_check *c, size_t k,
		      struct vmcfg_diags *diags)
{
	struct vmcfg_fdt_expansion *exp;
	int rc = vmcfg_fdt_expand_spec(host, c->specs[k], diags, &exp);
	if (rc)
		return rc;
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
	if (!rc) {
		struct vmcfg_check_opts mine = { image_size, vm_spis, &c };
		rc = vmcfg_check_system(sys, &host->platform, specs, n, &mine, diags);
	}
	for (size_t k = 0; c.spis && k < n; k++)
		free(c.spis[k]);
	free(c.spis);
	free(c.spi_count);
	return rc;
}

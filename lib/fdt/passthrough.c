/* SPDX-License-Identifier: MIT */
/*
 * DT-path passthrough: what `passthrough_devices = [["/soc"]]` means on a
 * host — the selected nodes, their windows and SPIs, and the closure of
 * their phandle dependencies (vmcfg/fdt.h says which are passed, copied as
 * descriptions, or left outside, and why windows are never taken from
 * dependencies: a clock or pin controller shared with the host must not be
 * handed to a guest).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vmcfg/host.h"

/* What the expansion decided about each host node. */
enum node_state {
	ST_NONE = 0,
	ST_SELECTED,    /* passed through */
	ST_DESCRIPTION, /* a dependency copied as a description */
	ST_OUTSIDE      /* a dependency left out */
};

struct expand {
	const struct vmcfg_fdt_platform *host;
	struct vmcfg_diags *diags;
	struct vmcfg_fdt_expansion *exp;
	uint8_t *state;          /* per node index */
	bool *excluded;          /* per node index: an excluded subtree's root */
	struct vmcfg_loc *loc;   /* per node index: the entry that brought it in */
	size_t node_cap, window_cap, spi_cap, dep_cap;
	/* The property being scanned for references (refs callback). */
	int from;
	const char *prop;
	size_t prop_first_dep;
	int rc;
};

static const struct vmcfg_fdt_node *find_node(const struct vmcfg_fdt_expansion *exp, int offset)
{
	size_t lo = 0, hi = exp->node_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (exp->nodes[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < exp->node_count && exp->nodes[lo].offset == offset ? &exp->nodes[lo] : NULL;
}

/* A finding at loc with an optional hint; the message is formatted like printf. */
static int finding(struct expand *x, enum vmcfg_rule rule, struct vmcfg_loc loc, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int finding(struct expand *x, enum vmcfg_rule rule, struct vmcfg_loc loc, const char *hint,
		   const char *fmt, ...)
{
	char msg[768];
	struct vmcfg_diag *d;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (vmcfg_diag_add(x->diags, rule, loc, &d, "%s", msg))
		return VMCFG_ENOMEM;
	if (hint && vmcfg_diag_hint(x->diags, d, "%s", hint))
		return VMCFG_ENOMEM;
	return 0;
}

/*
 * The hint for a path the host lacks: the nearest path by edit distance
 * (a typo), else the deepest node that exists on the way.
 */
static int missing_path(struct expand *x, enum vmcfg_rule rule, const struct vmcfg_fdt_path *p,
			const char *what)
{
	const struct vmcfg_fdt_index *ix = x->host->index;
	const char **names = malloc(ix->count * sizeof *names);
	char hint[600];
	if (!names)
		return VMCFG_ENOMEM;
	for (size_t i = 0; i < ix->count; i++)
		names[i] = ix->nodes[i].path;
	const char *near = vmcfg_nearest_name(p->path, strlen(p->path), names, ix->count);
	free(names);
	if (near) {
		snprintf(hint, sizeof hint, "did you mean `%s`?", near);
	} else {
		char prefix[512];
		snprintf(prefix, sizeof prefix, "%s", p->path);
		char *slash;
		while ((slash = strrchr(prefix, '/')) && slash != prefix) {
			*slash = '\0';
			if (vmcfg_fdt_path_offset(x->host, prefix) >= 0)
				break;
		}
		if (!slash || slash == prefix)
			snprintf(prefix, sizeof prefix, "/");
		snprintf(hint, sizeof hint, "the deepest existing node on that path is `%s`", prefix);
	}
	return finding(x, rule, p->loc, hint, "%s `%s` is not a node of the host device tree", what,
		       p->path);
}

/* Whether node i is left out on its own account (not its ancestors'). */
static bool skipped(const struct expand *x, int i)
{
	return x->excluded[i] || !vmcfg_fdt_node_enabled(x->host->fdt, fdt_node(x->host, i)->offset) ||
	       vmcfg_fdt_is_system_node(x->host, i);
}

/* The host's interrupt controller: the root GIC, or a PLIC (riscv64). */
static bool is_irqchip(const struct vmcfg_fdt_platform *host, int i)
{
	int off = fdt_node(host, i)->offset;
	return off == host->gic_node || vmcfg_fdt_is_plic(host->fdt, off);
}

/*
 * The interrupt controller (the root GIC with its ITS children, or a PLIC)
 * under a path is no device to pass through: the hypervisor keeps it, and
 * the guest gets the vGIC or vPLIC in its place. Named by a path itself,
 * it is selected (and check reports a GIC's frames as reserved, E0306).
 */
static bool is_gic_below(const struct expand *x, int i, int r)
{
	return i != r && is_irqchip(x->host, i);
}

/* Whether node i or one of its ancestors is left out. */
static bool skipped_above(const struct expand *x, int i)
{
	for (; i >= 0; i = fdt_node(x->host, i)->parent)
		if (skipped(x, i))
			return true;
	return false;
}

static bool any_disabled_above(const struct expand *x, int i)
{
	for (; i >= 0; i = fdt_node(x->host, i)->parent)
		if (!vmcfg_fdt_node_enabled(x->host->fdt, fdt_node(x->host, i)->offset))
			return true;
	return false;
}

/* Marks the subtree of r (minus skipped subtrees) as selected by loc. */
static void select_subtree(struct expand *x, int r, struct vmcfg_loc loc)
{
	const struct vmcfg_fdt_index *ix = x->host->index;
	int depth = ix->nodes[r].depth;
	for (size_t i = (size_t)r; i < ix->count;) {
		if (i > (size_t)r && ix->nodes[i].depth <= depth)
			break;
		if (skipped(x, (int)i) || is_gic_below(x, (int)i, r)) {
			size_t d = (size_t)ix->nodes[i].depth;
			for (i++; i < ix->count && (size_t)ix->nodes[i].depth > d; i++)
				;
			continue;
		}
		if (x->state[i] == ST_NONE) {
			x->state[i] = ST_SELECTED;
			x->loc[i] = loc;
		}
		i++;
	}
}

static int add_node(struct expand *x, int i, bool dependency)
{
	struct vmcfg_fdt_node n = { fdt_node(x->host, i)->offset, fdt_node(x->host, i)->path,
				    dependency, x->loc[i] };
	return vmcfg_fdt_vec_push(&x->exp->nodes, &x->exp->node_count, &x->node_cap, sizeof n, &n);
}

/* Adds spi (kept sorted and unique). */
static int add_spi(struct expand *x, const struct vmcfg_fdt_irq *irq, const char *node)
{
	struct vmcfg_fdt_expansion *exp = x->exp;
	size_t lo = 0, hi = exp->spi_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (exp->spis[mid].spi < irq->number)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < exp->spi_count && exp->spis[lo].spi == irq->number)
		return 0;
	struct vmcfg_fdt_spi s = { irq->number, irq->intid, node };
	if (vmcfg_fdt_vec_push(&exp->spis, &exp->spi_count, &x->spi_cap, sizeof s, &s))
		return VMCFG_ENOMEM;
	memmove(&exp->spis[lo + 1], &exp->spis[lo], (exp->spi_count - 1 - lo) * sizeof s);
	exp->spis[lo] = s;
	return 0;
}

/* The windows and interrupts (GIC SPIs, PLIC sources) of selected node i. */
static int add_resources(struct expand *x, int i)
{
	const struct fdt_node_info *ni = fdt_node(x->host, i);
	struct vmcfg_fdt_window *w = NULL;
	struct vmcfg_fdt_irq *irqs = NULL;
	size_t n = 0;
	const char *why = NULL;

	int rc = vmcfg_fdt_reg_windows_alloc(x->host, i, &w, &n, &why);
	if (rc == VMCFG_ENOMEM)
		return rc;
	if (rc)
		rc = finding(x, VMCFG_R_FDT_REG, x->loc[i], NULL, "`%s`: no window passed through: %s",
			     ni->path, why);
	for (size_t k = 0; k < n && !rc; k++) {
		struct vmcfg_fdt_pt_window pw = { ni->path, w[k].base, w[k].size };
		rc = vmcfg_fdt_vec_push(&x->exp->windows, &x->exp->window_count, &x->window_cap, sizeof pw, &pw);
	}
	free(w);
	if (rc)
		return rc;

	int irc = vmcfg_fdt_index_irqs(x->host, i, NULL, 0, &n, &why);
	if (irc == VMCFG_ENOSPC) {
		irqs = malloc(n * sizeof *irqs);
		if (!irqs)
			return VMCFG_ENOMEM;
		irc = vmcfg_fdt_index_irqs(x->host, i, irqs, n, &n, &why);
	}
	if (irc)
		rc = finding(x, VMCFG_R_FDT_IRQ, x->loc[i], NULL, "`%s`: interrupts not routed: %s",
			     ni->path, why);
	for (size_t k = 0; k < n && !rc && !irc; k++) {
		if (irqs[k].kind == VMCFG_FDT_IRQ_SPI || irqs[k].kind == VMCFG_FDT_IRQ_PLIC)
			rc = add_spi(x, &irqs[k], ni->path);
		else if (irqs[k].kind == VMCFG_FDT_IRQ_ESPI)
			rc = finding(x, VMCFG_R_FDT_IRQ, x->loc[i], NULL,
				     "`%s`: extended SPI %u not routed (GICv3.1 ESPIs are not supported)",
				     ni->path, irqs[k].number);
	}
	free(irqs);
	return rc;
}

/*
 * Whether a dependency target can be copied as a pure description: in the
 * tree, and neither it nor an ancestor has windows. A node inside a
 * hardware block the VM does not get (the pin groups of a pin controller)
 * is part of that hardware: a guest driver would wait for it forever.
 */
static bool is_description(const struct expand *x, int t)
{
	if (skipped_above(x, t))
		return false;
	for (; t > 0; t = fdt_node(x->host, t)->parent) {
		size_t n = 0;
		if (vmcfg_fdt_reg_windows(x->host, t, NULL, 0, &n, NULL) != 0 || n)
			return false;
	}
	return true;
}

/* vmcfg_fdt_prop_refs callback: records (x->from, x->prop) → target. */
static void on_ref(void *ud, int target)
{
	struct expand *x = ud;
	const struct vmcfg_fdt_platform *host = x->host;
	if (x->rc || (target >= 0 && is_irqchip(host, target)))
		return; /* the interrupt controller is the guest writer's business */
	const char *tpath = target >= 0 ? fdt_node(host, target)->path : "(a phandle that names no node)";
	for (size_t k = x->prop_first_dep; k < x->exp->dep_count; k++)
		if (x->exp->deps[k].target == tpath)
			return;
	enum vmcfg_fdt_dep_kind kind = VMCFG_FDT_DEP_OUTSIDE;
	if (target >= 0) {
		if (x->state[target] == ST_NONE) {
			x->state[target] = is_description(x, target) ? ST_DESCRIPTION : ST_OUTSIDE;
			x->loc[target] = x->loc[x->from];
			if (x->state[target] == ST_DESCRIPTION)
				x->rc = add_node(x, target, true);
		}
		kind = x->state[target] == ST_SELECTED      ? VMCFG_FDT_DEP_PASSED
		       : x->state[target] == ST_DESCRIPTION ? VMCFG_FDT_DEP_DESCRIPTION
							    : VMCFG_FDT_DEP_OUTSIDE;
	}
	struct vmcfg_fdt_dep d = { fdt_node(host, x->from)->path, x->prop, tpath, kind };
	if (!x->rc)
		x->rc = vmcfg_fdt_vec_push(&x->exp->deps, &x->exp->dep_count, &x->dep_cap, sizeof d, &d);
}

/*
 * The dependency closure: the references of every node in the guest,
 * including the description nodes it adds (appended to exp->nodes while
 * the loop runs, so they are scanned in turn).
 */
static int follow_dependencies(struct expand *x)
{
	const void *fdt = x->host->fdt;
	for (size_t k = 0; k < x->exp->node_count && !x->rc; k++) {
		int off = x->exp->nodes[k].offset, prop;
		x->from = vmcfg_fdt_index_of(x->host, off);
		fdt_for_each_property_offset(prop, fdt, off)
		{
			const char *name = NULL;
			int len = 0;
			const void *val = fdt_getprop_by_offset(fdt, prop, &name, &len);
			if (!val || !name)
				continue;
			x->prop = name;
			x->prop_first_dep = x->exp->dep_count;
			vmcfg_fdt_prop_refs(x->host, name, val, len, on_ref, x);
			if (x->rc)
				break;
		}
	}
	return x->rc;
}

static int cmp_node(const void *a, const void *b)
{
	int x = ((const struct vmcfg_fdt_node *)a)->offset, y = ((const struct vmcfg_fdt_node *)b)->offset;
	return x < y ? -1 : x > y;
}

static int expand(struct expand *x, const struct vmcfg_fdt_path *paths, size_t n,
		  const struct vmcfg_fdt_path *excluded, size_t m)
{
	const struct vmcfg_fdt_platform *host = x->host;
	int rc = 0;

	for (size_t k = 0; k < m && !rc; k++) {
		int i = vmcfg_fdt_index_of(host, vmcfg_fdt_find(host, excluded[k].path));
		if (i < 0)
			rc = missing_path(x, VMCFG_R_FDT_NO_EXCLUDED, &excluded[k], "excluded path");
		else
			x->excluded[i] = true;
	}
	for (size_t k = 0; k < n && !rc; k++) {
		int i = vmcfg_fdt_index_of(host, vmcfg_fdt_find(host, paths[k].path));
		if (i < 0)
			rc = missing_path(x, VMCFG_R_FDT_NO_NODE, &paths[k], "passthrough path");
		else if (any_disabled_above(x, i))
			rc = finding(x, VMCFG_R_FDT_DISABLED, paths[k].loc,
				     "enable it in the host DT or drop the entry",
				     "passthrough path `%s` names a disabled node: nothing is passed through",
				     paths[k].path);
		else if (!skipped_above(x, fdt_node(host, i)->parent))
			select_subtree(x, i, paths[k].loc);
	}
	for (size_t i = 0; i < host->index->count && !rc; i++)
		if (x->state[i] == ST_SELECTED && !(rc = add_node(x, (int)i, false)))
			rc = add_resources(x, (int)i);
	if (!rc)
		rc = follow_dependencies(x);
	if (!rc && x->exp->node_count)
		qsort(x->exp->nodes, x->exp->node_count, sizeof *x->exp->nodes, cmp_node);
	return rc;
}

/* Copies the location's file name into the expansion (the caller's may not live as long). */
static int own_locs(struct vmcfg_fdt_expansion *exp, struct vmcfg_fdt_path *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (p[k].loc.file &&
		    !(p[k].loc.file = vmcfg_arena_strndup(&exp->arena, p[k].loc.file, strlen(p[k].loc.file))))
			return VMCFG_ENOMEM;
	return 0;
}

int vmcfg_fdt_expand(const struct vmcfg_fdt_platform *host, const struct vmcfg_fdt_path *paths,
		     size_t n, const struct vmcfg_fdt_path *excluded, size_t m,
		     struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!host || !diags || (n && !paths) || (m && !excluded))
		return VMCFG_EINVAL;

	size_t count = host->index->count;
	struct expand x;
	memset(&x, 0, sizeof x);
	x.host = host;
	x.diags = diags;
	x.exp = calloc(1, sizeof *x.exp);
	x.state = calloc(count ? count : 1, 1);
	x.excluded = calloc(count ? count : 1, sizeof *x.excluded);
	x.loc = calloc(count ? count : 1, sizeof *x.loc);
	struct vmcfg_fdt_path *own = malloc((n + m + 1) * sizeof *own);
	int rc = VMCFG_ENOMEM;
	if (x.exp)
		vmcfg_arena_init(&x.exp->arena, &vmcfg_host_allocator, 4096);
	if (x.exp && x.state && x.excluded && x.loc && own) {
		x.exp->host = host;
		if (n)
			memcpy(own, paths, n * sizeof *own);
		if (m)
			memcpy(own + n, excluded, m * sizeof *own);
		rc = own_locs(x.exp, own, n + m);
		if (!rc)
			rc = expand(&x, own, n, own + n, m);
	}
	free(own);
	free(x.state);
	free(x.excluded);
	free(x.loc);
	if (rc) {
		vmcfg_fdt_expansion_free(x.exp);
		return rc;
	}
	*out = x.exp;
	return 0;
}

int vmcfg_fdt_expand_spec(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_spec *spec,
			  struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!host || !spec || !diags)
		return VMCFG_EINVAL;
	size_t n = 0, m = 0;
	for (size_t k = 0; k < spec->devices.excluded_count; k++)
		m += spec->devices.excluded[k].count;
	struct vmcfg_fdt_path *p = malloc((spec->devices.pt_count + m + 1) * sizeof *p);
	if (!p)
		return VMCFG_ENOMEM;
	for (size_t k = 0; k < spec->devices.pt_count; k++) {
		const struct vmcfg_spec_pt_device *d = &spec->devices.pt[k];
		if (d->is_dt_path && d->name.set) {
			struct vmcfg_fdt_path fp = { d->name.s, { spec->file, d->name.span } };
			p[n++] = fp;
		}
	}
	m = 0;
	for (size_t k = 0; k < spec->devices.excluded_count; k++)
		for (size_t j = 0; j < spec->devices.excluded[k].count; j++) {
			const struct vmcfg_spec_str *s = &spec->devices.excluded[k].paths[j];
			if (s->set) {
				struct vmcfg_fdt_path fp = { s->s, { spec->file, s->span } };
				p[n + m++] = fp;
			}
		}
	int rc = vmcfg_fdt_expand(host, p, n, p + n, m, diags, out);
	free(p);
	return rc;
}

/* A runtime passthrough device that stands for a DT path (only a name was given). */
static bool is_dt_path(const struct vmcfg_vm_pt_device *d)
{
	return d->name && !d->base_gpa && !d->base_hpa && !d->length;
}

int vmcfg_fdt_expand_config(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			    struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!host || !cfg || !diags)
		return VMCFG_EINVAL;
	struct vmcfg_fdt_path *p = malloc((cfg->pt_count + cfg->excluded_count + 1) * sizeof *p);
	size_t n = 0;
	if (!p)
		return VMCFG_ENOMEM;
	struct vmcfg_loc nowhere = { NULL, { 0, 0, 0, 0 } };
	for (size_t k = 0; k < cfg->pt_count; k++)
		if (is_dt_path(&cfg->pt[k])) {
			struct vmcfg_fdt_path fp = { cfg->pt[k].name, nowhere };
			p[n++] = fp;
		}
	for (size_t k = 0; k < cfg->excluded_count; k++) {
		struct vmcfg_fdt_path fp = { cfg->excluded[k], nowhere };
		p[n + k] = fp;
	}
	int rc = vmcfg_fdt_expand(host, p, n, p + n, cfg->excluded_count, diags, out);
	free(p);
	return rc;
}

void vmcfg_fdt_expansion_free(struct vmcfg_fdt_expansion *exp)
{
	if (!exp)
		return;
	free(exp->nodes);
	free(exp->windows);
	free(exp->spis);
	free(exp->deps);
	vmcfg_arena_release(&exp->arena);
	free(exp);
}

int vmcfg_fdt_expansion_apply(const struct vmcfg_fdt_expansion *exp, struct vmcfg_vm_config *cfg)
{
	if (!exp || !cfg)
		return VMCFG_EINVAL;
	for (size_t k = 0; k < cfg->pt_count;) {
		if (!is_dt_path(&cfg->pt[k])) {
			k++;
			continue;
		}
		struct vmcfg_vm_pt_device d = cfg->pt[k]; /* removal moves the array under us */
		vmcfg_vm_config_remove_pt_device(cfg, &d);
	}
	for (size_t k = 0; k < exp->window_count; k++) {
		const struct vmcfg_fdt_pt_window *w = &exp->windows[k];
		struct vmcfg_vm_pt_device d = { w->node, w->hpa, w->hpa, w->size, 0 };
		if (vmcfg_vm_config_add_pt_device(cfg, &d))
			return VMCFG_ENOMEM;
	}
	for (size_t k = 0; k < exp->spi_count; k++)
		if (vmcfg_vm_config_add_spi(cfg, exp->spis[k].spi))
			return VMCFG_ENOMEM;
	return 0;
}

int vmcfg_fdt_resolve_config(const struct vmcfg_fdt_platform *host, struct vmcfg_vm_config *cfg)
{
	if (!host || !cfg)
		return VMCFG_EINVAL;
	struct vmcfg_diags quiet;
	struct vmcfg_fdt_expansion *exp = NULL;
	vmcfg_diags_init(&quiet, &vmcfg_host_allocator);
	int rc = vmcfg_fdt_expand_config(host, cfg, &quiet, &exp);
	if (!rc)
		rc = vmcfg_fdt_expansion_apply(exp, cfg);
	vmcfg_fdt_expansion_free(exp);
	vmcfg_diags_free(&quiet);
	return rc;
}

/* Used by the guest DT writer: the expansion's entry for a host node, or NULL. */
const struct vmcfg_fdt_node *vmcfg_fdt_expansion_node(const struct vmcfg_fdt_expansion *exp, int offset)
{
	return exp ? find_node(exp, offset) : NULL;
}

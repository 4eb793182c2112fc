/* SPDX-License-Identifier: MIT */
/*
 * The host DT as a platform description (struct vmcfg_platform): CPUs and
 * their physical ids, RAM banks minus reserved memory, the interrupt
 * controller's frames, PSCI and the timer. What each field means is in
 * vmcfg/fdt.h; how the numbers are found is here.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vmcfg/host.h"

/*
 * Windows of node i (malloc'ed, free with free()), or none and a W0404
 * finding naming the node and why. 0 or VMCFG_ENOMEM.
 */
static int node_windows(struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags, int i,
			struct vmcfg_fdt_window **w, size_t *n)
{
	const char *why = NULL;
	int rc = vmcfg_fdt_reg_windows_alloc(host, i, w, n, &why);
	if (rc == VMCFG_ENOMEM)
		return rc;
	if (rc) {
		*n = 0;
		return vmcfg_fdt_host_diag(host, diags, VMCFG_R_FDT_REG, "%s: reg skipped: %s",
				     fdt_node(host, i)->path, why);
	}
	return 0;
}

static bool is_memory_node(const struct fdt_node_info *ni)
{
	return ni->device_type && ni->device_type_len == 7 && !memcmp(ni->device_type, "memory", 7);
}

/* Removes [base, base + size) from the sorted, disjoint banks; may split one. */
static int subtract(struct vmcfg_host_range **banks, size_t *n, size_t *cap, uint64_t base,
		    uint64_t size)
{
	uint64_t end = base + size; /* callers clip windows that reach 2^64 */
	for (size_t k = 0; k < *n; k++) {
		struct vmcfg_host_range *b = &(*banks)[k];
		uint64_t bend = b->base + b->size;
		if (end <= b->base || base >= bend)
			continue;
		if (base > b->base && end < bend) {
			struct vmcfg_host_range tail = *b;
			tail.base = end;
			tail.size = bend - end;
			b->size = base - b->base;
			if (vmcfg_fdt_vec_push(banks, n, cap, sizeof tail, &tail))
				return VMCFG_ENOMEM;
			continue;
		}
		if (base <= b->base) {
			uint64_t cut = end < bend ? end : bend;
			b->size = bend - cut;
			b->base = cut;
		} else {
			b->size = base - b->base;
		}
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct vmcfg_host_range *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* A window as a range that ends at or below 2^64 - 1 (subtract needs base + size). */
static struct vmcfg_host_range clip(struct vmcfg_fdt_window w)
{
	struct vmcfg_host_range r = { NULL, w.base, w.size, { 0, 0, 0, 0 } };
	if (r.size > UINT64_MAX - r.base)
		r.size = UINT64_MAX - r.base;
	return r;
}

/* RAM: the memory nodes' windows, minus /memreserve/ and /reserved-memory. */
static int read_ram(struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags)
{
	struct vmcfg_host_range *banks = NULL;
	size_t n = 0, cap = 0, count;
	struct vmcfg_fdt_window *w = NULL;
	int rc = 0;

	for (size_t i = 0; i < host->index->count && !rc; i++) {
		int off = fdt_node(host, (int)i)->offset;
		if (!is_memory_node(fdt_node(host, (int)i)) || !vmcfg_fdt_node_enabled(host->fdt, off))
			continue;
		rc = node_windows(host, diags, (int)i, &w, &count);
		for (size_t k = 0; k < count && !rc; k++) {
			struct vmcfg_host_range r = clip(w[k]);
			if (r.size)
				rc = vmcfg_fdt_vec_push(&banks, &n, &cap, sizeof r, &r);
		}
		free(w);
	}
	for (int k = 0, m = fdt_num_mem_rsv(host->fdt); k < m && !rc; k++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(host->fdt, k, &base, &size) == 0) {
			struct vmcfg_fdt_window rw = { base, size };
			struct vmcfg_host_range r = clip(rw);
			rc = subtract(&banks, &n, &cap, r.base, r.size);
		}
	}
	for (size_t i = 0; i < host->index->count && !rc; i++) {
		const struct fdt_node_info *ni = fdt_node(host, (int)i);
		if (ni->parent < 0 || strcmp(fdt_node(host, ni->parent)->path, "/reserved-memory"))
			continue;
		/* Dynamically placed reservations (size, no reg) cannot be subtracted. */
		rc = node_windows(host, diags, (int)i, &w, &count);
		for (size_t k = 0; k < count && !rc; k++) {
			struct vmcfg_host_range r = clip(w[k]);
			rc = subtract(&banks, &n, &cap, r.base, r.size);
		}
		free(w);
	}
	if (!rc && n) {
		qsort(banks, n, sizeof *banks, cmp_range);
		struct vmcfg_host_range *ram = vmcfg_arena_alloc(&host->arena, n * sizeof *ram, 8);
		size_t kept = 0;
		for (size_t k = 0; ram && k < n; k++)
			if (banks[k].size)
				ram[kept++] = banks[k];
		host->platform.ram = ram;
		host->platform.ram_count = kept;
		rc = ram ? 0 : VMCFG_ENOMEM;
	}
	free(banks);
	return rc;
}

/* CPUs: the enabled /cpus children of device_type "cpu", ids from reg. */
static int read_cpus(struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags)
{
	const void *fdt = host->fdt;
	int cpus = vmcfg_fdt_index_of(host, vmcfg_fdt_path_offset(host, "/cpus"));
	uint64_t *ids = vmcfg_arena_alloc(&host->arena, VMCFG_MAX_PCPUS * sizeof *ids, 8);
	uint32_t na = 0, n = 0;
	bool riscv = false, arm = false, too_many = false;

	if (!ids)
		return VMCFG_ENOMEM;
	host->platform.phys_cpu_ids = ids;
	if (cpus < 0)
		return 0;
	if (!vmcfg_fdt_read_ncells(fdt, fdt_node(host, cpus)->offset, "#address-cells", 1, 2, &na) ||
	    na == 0)
		return vmcfg_fdt_host_diag(host, diags, VMCFG_R_FDT_REG,
				     "/cpus: CPUs skipped: #address-cells must be 1 or 2");
	for (size_t i = (size_t)cpus + 1; i < host->index->count; i++) {
		const struct fdt_node_info *ni = fdt_node(host, (int)i);
		if (ni->depth <= fdt_node(host, cpus)->depth)
			break; /* past /cpus's subtree */
		int len = 0;
		const char *type = ni->device_type;
		if (ni->parent != cpus || !type || ni->device_type_len != 4 || memcmp(type, "cpu", 4) ||
		    !vmcfg_fdt_node_enabled(fdt, ni->offset))
			continue;
		const void *reg = fdt_getprop(fdt, ni->offset, "reg", &len);
		if (!reg || len < (int)(4 * na)) {
			int rc = vmcfg_fdt_host_diag(host, diags, VMCFG_R_FDT_REG,
					       "%s: CPU skipped: no reg of %u cells", ni->path, na);
			if (rc)
				return rc;
			continue;
		}
		riscv |= vmcfg_fdt_compatible_prefix(fdt, ni->offset, "riscv");
		arm |= vmcfg_fdt_compatible_prefix(fdt, ni->offset, "arm,");
		if (n == VMCFG_MAX_PCPUS) {
			too_many = true;
			continue;
		}
		ids[n++] = fdt_cells_u64(reg, na);
	}
	host->platform.cpu_num = n;
	host->platform.arch = riscv ? VMCFG_ARCH_RISCV64 : arm ? VMCFG_ARCH_AARCH64 : VMCFG_ARCH_UNKNOWN;
	if (too_many)
		return vmcfg_fdt_host_diag(host, diags, VMCFG_R_FDT_CPUS,
				     "the host has more than %d CPUs: the first %d are used",
				     VMCFG_MAX_PCPUS, VMCFG_MAX_PCPUS);
	return 0;
}

/* The root interrupt controller: the root's interrupt-parent, else the first GIC. */
static int find_gic(const struct vmcfg_fdt_platform *host)
{
	int len = 0;
	const void *ip = fdt_getprop(host->fdt, 0, "interrupt-parent", &len);
	if (ip && len == 4) {
		int i = vmcfg_fdt_index_by_phandle(host, fdt_cell(ip, 0));
		if (i >= 0 && vmcfg_fdt_gic_version(host->fdt, fdt_node(host, i)->offset))
			return i;
	}
	for (size_t i = 0; i < host->index->count; i++)
		if (vmcfg_fdt_gic_version(host->fdt, fdt_node(host, (int)i)->offset))
			return (int)i;
	return -1;
}

/*
 * The GIC's frames, named in `reg` order per its binding (v3: GICD, then
 * #redistributor-regions GICR frames, then GICC/GICH/GICV; v2: GICD, GICC,
 * GICH, GICV), and the frames of its ITS / v2m children.
 */
static int read_gic(struct vmcfg_fdt_platform *host, struct vmcfg_diags *diags)
{
	static const char *const v2_names[] = { "GICD", "GICC", "GICH", "GICV" };
	static const char *const v3_tail[] = { "GICC", "GICH", "GICV" };
	const void *fdt = host->fdt;
	struct vmcfg_host_range *res = NULL;
	struct vmcfg_fdt_window *w = NULL;
	size_t n = 0, cap = 0, count;
	int gic = find_gic(host), rc;

	host->gic_node = -1;
	if (gic < 0)
		return 0;
	const struct fdt_node_info *gi = fdt_node(host, gic);
	host->gic_node = gi->offset;
	host->gic_phandle = gi->phandle;
	host->gic = vmcfg_fdt_gic_version(fdt, gi->offset);
	if (host->platform.arch == VMCFG_ARCH_UNKNOWN)
		host->platform.arch = VMCFG_ARCH_AARCH64;

	uint32_t redist = 1;
	if (!vmcfg_fdt_read_ncells(fdt, gi->offset, "#redistributor-regions", 1, 64, &redist))
		redist = 1;
	rc = node_windows(host, diags, gic, &w, &count);
	for (size_t k = 0; k < count && !rc; k++) {
		const char *name;
		if (host->gic == VMCFG_FDT_GIC_V2)
			name = k < 4 ? v2_names[k] : "GIC";
		else if (k == 0)
			name = "GICD";
		else if (k <= redist)
			name = "GICR";
		else
			name = k - 1 - redist < 3 ? v3_tail[k - 1 - redist] : "GIC";
		struct vmcfg_host_range r = clip(w[k]);
		r.name = name;
		rc = vmcfg_fdt_vec_push(&res, &n, &cap, sizeof r, &r);
	}
	free(w);
	for (size_t i = (size_t)gic + 1; i < host->index->count && !rc; i++) {
		const struct fdt_node_info *ni = fdt_node(host, (int)i);
		if (ni->depth <= gi->depth)
			break;
		if (!vmcfg_fdt_node_enabled(fdt, ni->offset))
			continue;
		const char *name = vmcfg_fdt_compatible_prefix(fdt, ni->offset, "arm,gic-v3-its") ? "GITS"
				   : vmcfg_fdt_compatible_prefix(fdt, ni->offset, "arm,gic-v2m") ? "GICv2m"
											: "GIC";
		rc = node_windows(host, diags, (int)i, &w, &count);
		for (size_t k = 0; k < count && !rc; k++) {
			struct vmcfg_host_range r = clip(w[k]);
			r.name = name;
			rc = vmcfg_fdt_vec_push(&res, &n, &cap, sizeof r, &r);
		}
		free(w);
	}
	if (!rc && n) {
		struct vmcfg_host_range *copy = vmcfg_arena_alloc(&host->arena, n * sizeof *copy, 8);
		if (copy)
			memcpy(copy, res, n * sizeof *copy);
		host->platform.reserved = copy;
		host->platform.reserved_count = copy ? n : 0;
		rc = copy ? 0 : VMCFG_ENOMEM;
	}
	free(res);
	return rc;
}

/* PSCI's method and the architected timer node. */
static int read_psci_timer(struct vmcfg_fdt_platform *host)
{
	const void *fdt = host->fdt;
	host->timer_node = -1;
	for (size_t i = 0; i < host->index->count; i++) {
		int off = fdt_node(host, (int)i)->offset, len = 0, clen = 0;
		/* Read once per node (the hypervisor reads the host DT at boot, under TCG). */
		const char *compat = fdt_getprop(fdt, off, "compatible", &clen);
		if (!compat)
			continue;
		if (!host->psci_method && vmcfg_fdt_strlist_prefix(compat, clen, "arm,psci")) {
			const char *m = fdt_getprop(fdt, off, "method", &len);
			if (m && len > 0 && m[len - 1] == '\0') {
				host->psci_method = vmcfg_arena_strndup(&host->arena, m, (size_t)len - 1);
				if (!host->psci_method)
					return VMCFG_ENOMEM;
			}
		}
		if (host->timer_node < 0 && (fdt_stringlist_contains(compat, clen, "arm,armv8-timer") ||
					     fdt_stringlist_contains(compat, clen, "arm,armv7-timer")))
			host->timer_node = off;
	}
	return 0;
}

int vmcfg_fdt_platform_open(const void *blob, size_t size, const char *file,
			    struct vmcfg_fdt_platform **out, struct vmcfg_diags *diags)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!blob || !diags)
		return VMCFG_EINVAL;

	struct vmcfg_fdt_platform *host = calloc(1, sizeof *host);
	void *copy = malloc(size ? size : 1);
	if (!host || !copy) {
		free(host);
		free(copy);
		return VMCFG_ENOMEM;
	}
	memcpy(copy, blob, size);
	host->fdt = copy;
	host->size = size;
	host->gic_node = host->timer_node = -1;
	vmcfg_arena_init(&host->arena, &vmcfg_host_allocator, 0);
	host->file = file ? vmcfg_arena_strndup(&host->arena, file, strlen(file)) : NULL;
	host->platform.file = NULL; /* no spans: nothing to point into */
	if (file && !host->file) {
		vmcfg_fdt_platform_free(host);
		return VMCFG_ENOMEM;
	}

	int err = vmcfg_fdt_check_tokens(copy, size);
	if (!err)
		err = fdt_check_full(copy, size);
	int rc = err ? VMCFG_ESYNTAX : vmcfg_fdt_index_build(host);
	if (rc == VMCFG_ESYNTAX || rc == VMCFG_ELIMIT) {
		const char *why = err ? fdt_strerror(err)
				  : rc == VMCFG_ELIMIT ? "deeper than 64 levels or a path over 4 KiB"
						       : "broken structure";
		rc = vmcfg_fdt_host_diag(host, diags, VMCFG_R_FDT_INVALID, "not a valid device tree blob: %s",
				   why);
		vmcfg_fdt_platform_free(host);
		return rc ? rc : VMCFG_ESYNTAX;
	}
	if (!rc)
		rc = read_cpus(host, diags);
	if (!rc)
		rc = read_ram(host, diags);
	if (!rc)
		rc = read_gic(host, diags);
	if (!rc)
		rc = read_psci_timer(host);
	if (rc) {
		vmcfg_fdt_platform_free(host);
		return rc;
	}
	*out = host;
	return 0;
}

int vmcfg_fdt_platform_load(const char *path, struct vmcfg_fdt_platform **out,
			    struct vmcfg_diags *diags)
{
	char *blob;
	size_t size;
	if (!path || !out || !diags)
		return VMCFG_EINVAL;
	*out = NULL;
	int rc = vmcfg_fdt_read(path, &blob, &size);
	if (rc == VMCFG_ELIMIT || rc == VMCFG_EINVAL) {
		struct vmcfg_loc loc = { path, { 0, 0, 0, 0 } };
		return vmcfg_diag_add(diags, VMCFG_R_FDT_INVALID, loc, NULL,
				      "cannot read the host device tree %s: %s", path,
				      vmcfg_read_strerror(rc, 0))
			       ? VMCFG_ENOMEM
			       : VMCFG_EIO;
	}
	if (rc == VMCFG_EIO) {
		struct vmcfg_loc loc = { path, { 0, 0, 0, 0 } };
		return vmcfg_diag_add(diags, VMCFG_R_FDT_INVALID, loc, NULL,
				      "cannot read the host device tree %s (unreadable, or dtc "
				      "rejected it: see its messages above)",
				      path)
			       ? VMCFG_ENOMEM
			       : VMCFG_EIO;
	}
	if (rc)
		return rc;
	rc = vmcfg_fdt_platform_open(blob, size, path, out, diags);
	free(blob);
	return rc;
}

void vmcfg_fdt_platform_free(struct vmcfg_fdt_platform *host)
{
	if (!host)
		return;
	vmcfg_arena_release(&host->arena);
	free((void *)host->fdt);
	free(host);
}

int vmcfg_fdt_find(const struct vmcfg_fdt_platform *host, const char *path)
{
	if (!host || !path)
		return VMCFG_EINVAL;
	int off = vmcfg_fdt_path_offset(host, path);
	return off >= 0 ? off : VMCFG_ENOENT;
}

const char *vmcfg_fdt_path(const struct vmcfg_fdt_platform *host, int offset)
{
	int i = host ? vmcfg_fdt_index_of(host, offset) : -1;
	return i < 0 ? NULL : fdt_node(host, i)->path;
}

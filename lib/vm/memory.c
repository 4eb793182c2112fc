/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM: each memory region mapped per its map type, and scrubbed
 * before its frames go back. DEVICE-flagged regions are skipped with a
 * warning: devices belong in passthrough_devices.
 */
#include "internal.h"
#include "../base/libc.h"

static const char *map_type_name(enum vmcfg_map_type t)
{
	switch (t) {
	case VMCFG_MAP_ALLOC:
		return "MapAlloc";
	case VMCFG_MAP_IDENTICAL:
		return "MapIdentical";
	case VMCFG_MAP_RESERVED:
		return "MapReserved";
	}
	return "unknown map type";
}

static int map_region(struct vm_build *b, const struct vmcfg_vm_mem_region *r)
{
	struct vmcfg_aspace *as = &b->vm->aspace;
	switch (r->map_type) {
	case VMCFG_MAP_ALLOC:
		if (b->opts->lazy_alloc)
			return vmcfg_aspace_map_lazy(as, r->gpa, r->size, r->flags);
		if (b->opts->defer_zeroing)
			return vmcfg_aspace_map_alloc_deferred(as, r->gpa, r->size, r->flags);
		return vmcfg_aspace_map_alloc(as, r->gpa, r->size, r->flags);
	case VMCFG_MAP_IDENTICAL: {
		enum vmcfg_ident_how how = VMCFG_IDENT_RESERVED;
		int err = vmcfg_aspace_map_identical(as, r->gpa, r->size, r->flags, &how);
		/* The address space logged the fallback itself (once); count it as ours. */
		if (!err && how == VMCFG_IDENT_FALLBACK)
			b->vm->warnings++;
		return err;
	}
	case VMCFG_MAP_RESERVED:
		return vmcfg_aspace_map_linear(as, r->gpa, r->gpa, r->size, r->flags);
	}
	return VMCFG_EINVAL;
}

static int region_error(struct vm_build *b, const struct vmcfg_vm_mem_region *r, int err)
{
	char g[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
	const char *why = vmcfg_strerror(err);
	if (err == VMCFG_EBUSY)
		why = "the host range is owned already (by the hypervisor or another VM)";
	else if (err == VMCFG_EOVERLAP)
		why = "it overlaps another mapping of this VM";
	else if (err == VMCFG_ERANGE)
		why = "it wraps or lies beyond the guest address width, or is partly outside host RAM";
	return vmcfg_vm_fail(b, err, "memory region %s size %s (%s, flags 0x%x): %s",
		       vmcfg_fmt_hex(g, r->gpa), vmcfg_fmt_hex(s, r->size),
		       map_type_name(r->map_type), r->flags, why);
}

int vmcfg_vm_setup_memory(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	const struct vmcfg_vm_config *cfg = b->cfg;

	vm->ram = vmcfg_arena_alloc(&vm->arena, (cfg->region_count ? cfg->region_count : 1) *
							sizeof *vm->ram,
				    _Alignof(struct vmcfg_vm_mem_region));
	if (!vm->ram)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->region_count; i++) {
		const struct vmcfg_vm_mem_region *r = &cfg->regions[i];
		char g[VMCFG_FMT_BUF], s[VMCFG_FMT_BUF];
		if (r->flags & VMCFG_MEM_DEVICE) {
			vmcfg_vm_warn(vm, "memory region %s size %s is flagged DEVICE: skipped "
				    "(devices belong in passthrough_devices)",
				vmcfg_fmt_hex(g, r->gpa), vmcfg_fmt_hex(s, r->size));
			continue;
		}
		int err = map_region(b, r);
		if (err)
			return region_error(b, r, err);
		vm->ram[vm->ram_count++] = *r;
	}
	return 0;
}

bool vmcfg_vm_range_is_ram(const struct vmcfg_vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t end;
	if (len == 0 || !vmcfg_add_u64(gpa, len, &end))
		return false;
	/* Walk forward region by region: adjacent regions together hold a range. */
	uint64_t pos = gpa;
	while (pos < end) {
		bool advanced = false;
		for (size_t i = 0; i < vm->ram_count; i++) {
			const struct vmcfg_vm_mem_region *r = &vm->ram[i];
			if (pos >= r->gpa && pos - r->gpa < r->size) {
				pos = r->gpa + r->size; /* no wrap: regions were mapped, so they fit */
				advanced = true;
				break;
			}
		}
		if (!advanced)
			return false;
	}
	return true;
}

static int scrub_mapping(void *ud, const struct vmcfg_mapping *m)
{
	const struct vmcfg_hal *hal = ud;
	if (!m->owned || m->lazy || m->deferred)
		return 0; /* nothing of the guest's in it */
	if (hal->scrub_frames) {
		hal->scrub_frames(hal->ctx, m->hpa, (size_t)(m->size / VMCFG_PAGE_SIZE));
		return 0;
	}
	if (hal->zero_frames) {
		hal->zero_frames(hal->ctx, m->hpa, (size_t)(m->size / VMCFG_PAGE_SIZE));
		return 0;
	}
	void *p = hal->phys_to_virt(hal->ctx, m->hpa, (size_t)m->size);
	if (p) {
		memset(p, 0, (size_t)m->size);
		return 0;
	}
	/* The HAL may not show a long run in one piece; go frame by frame. */
	for (uint64_t off = 0; off < m->size; off += VMCFG_PAGE_SIZE) {
		p = hal->phys_to_virt(hal->ctx, m->hpa + off, VMCFG_PAGE_SIZE);
		if (p)
			memset(p, 0, VMCFG_PAGE_SIZE);
	}
	return 0;
}

void vmcfg_vm_scrub_ram(struct vmcfg_vm *vm)
{
	if (vm->aspace.fmt)
		vmcfg_aspace_for_each(&vm->aspace, scrub_mapping, &vm->aspace.hal);
}

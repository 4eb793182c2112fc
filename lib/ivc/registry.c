/* SPDX-License-Identifier: MIT */
/*
 * The registry: attached VMs and the channel table (sorted by publisher
 * id and key, found by binary search), and the life of both.
 */
#include "internal.h"
#include "../base/libc.h"


int vmcfg_ivc_init(struct vmcfg_ivc_registry *reg, const struct vmcfg_allocator *alloc,
		   const struct vmcfg_hal *hal, const struct vmcfg_system *sys,
		   const struct vmcfg_ivc_limits *limits, vmcfg_ivc_unmapped_fn unmapped,
		   void *unmapped_ud)
{
	if (!reg || !alloc || !alloc->fn || !hal || !hal->alloc_frames || !hal->free_frames ||
	    !hal->phys_to_virt)
		return VMCFG_EINVAL;
	memset(reg, 0, sizeof *reg);
	reg->alloc = *alloc;
	reg->hal = *hal;
	reg->sys = sys;
	if (limits)
		reg->limits = *limits;
	if (!reg->limits.max_published)
		reg->limits.max_published = VMCFG_IVC_DEFAULT_MAX_PUBLISHED;
	if (!reg->limits.max_subscribed)
		reg->limits.max_subscribed = VMCFG_IVC_DEFAULT_MAX_SUBSCRIBED;
	if (!reg->limits.max_bytes)
		reg->limits.max_bytes = VMCFG_IVC_DEFAULT_MAX_BYTES;
	if (!reg->limits.max_channel_size)
		reg->limits.max_channel_size = VMCFG_IVC_DEFAULT_MAX_CHANNEL_SIZE;
	reg->unmapped = unmapped;
	reg->unmapped_ud = unmapped_ud;
	return 0;
}

void vmcfg_ivc_destroy(struct vmcfg_ivc_registry *reg)
{
	while (reg->member_count)
		vmcfg_ivc_detach(reg, reg->members[reg->member_count - 1].vm);
	/* Every reference belonged to a member, so no channel is left. */
	if (reg->members)
		reg->alloc.fn(reg->alloc.ud, reg->members, reg->member_cap * sizeof *reg->members, 0);
	if (reg->channels)
		reg->alloc.fn(reg->alloc.ud, reg->channels, reg->channel_cap * sizeof *reg->channels,
			      0);
	reg->members = NULL;
	reg->channels = NULL;
	reg->member_cap = reg->channel_cap = 0;
}

int vmcfg_ivc_array_reserve(const struct vmcfg_allocator *a, void **arr, size_t *cap, size_t count,
		   size_t esz)
{
	if (count < *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 4;
	if (n > SIZE_MAX / esz)
		return VMCFG_ENOMEM;
	void *p = a->fn(a->ud, *arr, *cap * esz, n * esz);
	if (!p)
		return VMCFG_ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

struct vmcfg_ivc_member *vmcfg_ivc_member_find(const struct vmcfg_ivc_registry *reg, uint64_t vm_id)
{
	/* A system has a handful of VMs: a scan is the simplest correct lookup. */
	for (size_t i = 0; i < reg->member_count; i++)
		if (reg->members[i].vm->id == vm_id)
			return &reg->members[i];
	return NULL;
}

int vmcfg_ivc_attach(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm)
{
	if (!reg || !vm)
		return VMCFG_EINVAL;
	if (vmcfg_ivc_member_find(reg, vm->id))
		return VMCFG_EEXIST;
	void *arr = reg->members;
	int err = vmcfg_ivc_array_reserve(&reg->alloc, &arr, &reg->member_cap, reg->member_count,
			  sizeof *reg->members);
	reg->members = arr;
	if (err)
		return err;
	struct vmcfg_ivc_member *m = &reg->members[reg->member_count];
	memset(m, 0, sizeof *m);
	m->vm = vm;
	err = vmcfg_ivc_window_init(reg, m);
	if (err)
		return err;
	reg->member_count++;
	vm->ivc_attached++;
	return 0;
}

int vmcfg_ivc_detach(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm)
{
	if (!reg || !vm)
		return VMCFG_EINVAL;
	struct vmcfg_ivc_member *m = vmcfg_ivc_member_find(reg, vm->id);
	if (!m || m->vm != vm)
		return VMCFG_ENOENT;
	/* Backwards: unsubscribing or unpublishing may remove the channel at i. */
	for (size_t i = reg->channel_count; i-- > 0;) {
		struct vmcfg_ivc_registry_entry *c = &reg->channels[i];
		uint64_t pub = c->publisher_id, key = c->key;
		if (pub == vm->id && c->published)
			vmcfg_ivc_unpublish(reg, vm, key);
		if (i < reg->channel_count && reg->channels[i].publisher_id == pub &&
		    reg->channels[i].key == key)
			vmcfg_ivc_unsubscribe(reg, vm, pub, key); /* ENOENT when not subscribed */
	}
	m = vmcfg_ivc_member_find(reg, vm->id);
	vmcfg_ivc_window_release(reg, m);
	size_t at = (size_t)(m - reg->members);
	memmove(m, m + 1, (reg->member_count - at - 1) * sizeof *m);
	reg->member_count--;
	vm->ivc_attached--;
	return 0;
}

size_t vmcfg_ivc_channel_search(const struct vmcfg_ivc_registry *reg, uint64_t publisher_id,
			  uint64_t key, bool *found)
{
	size_t lo = 0, hi = reg->channel_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vmcfg_ivc_registry_entry *c = &reg->channels[mid];
		if (c->publisher_id < publisher_id ||
		    (c->publisher_id == publisher_id && c->key < key))
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < reg->channel_count && reg->channels[lo].publisher_id == publisher_id &&
		 reg->channels[lo].key == key;
	return lo;
}

int vmcfg_ivc_channel_reserve(struct vmcfg_ivc_registry *reg)
{
	void *arr = reg->channels;
	int err = vmcfg_ivc_array_reserve(&reg->alloc, &arr, &reg->channel_cap, reg->channel_count,
			  sizeof *reg->channels);
	reg->channels = arr;
	return err;
}

void vmcfg_ivc_channel_insert(struct vmcfg_ivc_registry *reg, size_t index, const struct vmcfg_ivc_registry_entry *c)
{
	memmove(&reg->channels[index + 1], &reg->channels[index],
		(reg->channel_count - index) * sizeof *c);
	reg->channels[index] = *c;
	reg->channel_count++;
}

void vmcfg_ivc_channel_remove(struct vmcfg_ivc_registry *reg, size_t index)
{
	struct vmcfg_ivc_registry_entry *c = &reg->channels[index];
	if (c->subs)
		reg->alloc.fn(reg->alloc.ud, c->subs, c->sub_cap * sizeof *c->subs, 0);
	memmove(c, c + 1, (reg->channel_count - index - 1) * sizeof *c);
	reg->channel_count--;
}

int vmcfg_ivc_unmap(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t gpa, uint64_t size)
{
	int err = vmcfg_aspace_unmap(&vm->aspace, gpa, size);
	if (!err && reg->unmapped)
		reg->unmapped(reg->unmapped_ud, vm, gpa, size);
	return err;
}

uint64_t vmcfg_ivc_frames(const struct vmcfg_ivc_registry *reg)
{
	uint64_t n = 0;
	for (size_t i = 0; i < reg->channel_count; i++)
		n += reg->channels[i].size / VMCFG_PAGE_SIZE;
	return n;
}

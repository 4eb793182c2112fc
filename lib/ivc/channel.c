/* SPDX-License-Identifier: MIT */
/*
 * The four channel operations. Each validates and reserves everything it
 * needs (bookkeeping room, window space, frames) before it changes any
 * state, and undoes its own steps in reverse on failure. References: the
 * publisher's mapping while published, one per subscriber's mapping; the
 * frames are freed when the last of them goes, never earlier.
 */
#include "internal.h"
#include "../base/libc.h"

#define PAGE_MASK (VMCFG_PAGE_SIZE - 1)

static uint64_t refs(const struct vmcfg_ivc_registry_entry *c)
{
	return (c->published ? 1 : 0) + c->sub_count;
}

static struct ivc_subscriber *find_sub(struct vmcfg_ivc_registry_entry *c, uint64_t vm_id)
{
	for (size_t i = 0; i < c->sub_count; i++)
		if (c->subs[i].vm_id == vm_id)
			return &c->subs[i];
	return NULL;
}

/* Drops the channel at index once nothing maps it any more. */
static void release_if_unused(struct vmcfg_ivc_registry *reg, size_t index)
{
	struct vmcfg_ivc_registry_entry *c = &reg->channels[index];
	if (refs(c))
		return;
	reg->hal.free_frames(reg->hal.ctx, c->hpa, (size_t)(c->size / VMCFG_PAGE_SIZE));
	vmcfg_ivc_channel_remove(reg, index);
}

/*
 * A map that failed has undone its leaves, but a CPU may have cached them
 * (and the tables it made) meanwhile: the embedder invalidates the range
 * before its frames or tables can be reused, as after an unmap.
 */
static void map_failed(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t gpa,
		       uint64_t size)
{
	if (reg->unmapped)
		reg->unmapped(reg->unmapped_ud, vm, gpa, size);
}

/* Zeroed frames with the header at the front. */
static int new_area(struct vmcfg_ivc_registry *reg, const struct vmcfg_vm *vm, uint64_t key,
		    uint64_t size, uint64_t *hpa)
{
	size_t frames = (size_t)(size / VMCFG_PAGE_SIZE);
	int err = reg->hal.alloc_frames(reg->hal.ctx, frames, VMCFG_PAGE_SIZE, hpa);
	if (err)
		return err;
	uint8_t *p = reg->hal.phys_to_virt(reg->hal.ctx, *hpa, (size_t)size);
	if (!p) {
		reg->hal.free_frames(reg->hal.ctx, *hpa, frames);
		return VMCFG_EFAULT;
	}
	memset(p, 0, (size_t)size);
	struct vmcfg_ivc_header h = { VMCFG_IVC_MAGIC, 1, vm->id, key, size };
	memcpy(p, &h, sizeof h);
	return 0;
}

/* The page-rounded size a publish asks for, after the declaration and quotas. */
static int publish_size(const struct vmcfg_ivc_registry *reg, const struct vmcfg_ivc_member *m,
			uint64_t size, uint64_t declared, uint64_t *out)
{
	if (size == 0)
		size = declared;
	if (size == 0)
		return VMCFG_EINVAL;
	/* Rounding up to pages must not wrap (the embedder may leave the size uncapped). */
	if (size > reg->limits.max_channel_size || size > UINT64_MAX - PAGE_MASK)
		return VMCFG_ELIMIT;
	size = (size + PAGE_MASK) & ~PAGE_MASK;
	/* A declaration within the last page below 2^64 holds any rounded size. */
	if (declared && declared <= UINT64_MAX - PAGE_MASK &&
	    size > ((declared + PAGE_MASK) & ~PAGE_MASK))
		return VMCFG_EPERM;
	if (m->published >= reg->limits.max_published ||
	    size > reg->limits.max_bytes - m->published_bytes)
		return VMCFG_ELIMIT;
	*out = size;
	return 0;
}

/* Window space for size bytes: at *fixed when given, else where the allocator finds room. */
static int take_window(struct vmcfg_ivc_member *m, uint64_t size, const uint64_t *fixed, uint64_t *gpa)
{
	if (!fixed)
		return vmcfg_ivc_window_alloc(m, size, gpa);
	*gpa = *fixed;
	return vmcfg_ivc_window_claim(m, size, *fixed);
}

static int publish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key, uint64_t size,
		   const uint64_t *fixed, uint64_t *gpa, uint64_t *out_size)
{
	struct vmcfg_ivc_member *m = vm ? vmcfg_ivc_member_find(reg, vm->id) : NULL;
	if (!m || m->vm != vm)
		return VMCFG_ENOENT;
	uint64_t declared;
	int err = vmcfg_ivc_may_publish(reg, vm, key, &declared);
	if (err)
		return err;
	bool found;
	size_t at = vmcfg_ivc_channel_search(reg, vm->id, key, &found);
	if (found)
		return reg->channels[at].published ? VMCFG_EEXIST : VMCFG_EBUSY;
	err = publish_size(reg, m, size, declared, &size);
	if (!err)
		err = vmcfg_ivc_channel_reserve(reg);
	if (err)
		return err;

	struct vmcfg_ivc_registry_entry c = { .publisher_id = vm->id, .key = key, .size = size,
				 .published = true };
	err = take_window(m, size, fixed, &c.publisher_gpa);
	if (err)
		return err;
	err = new_area(reg, vm, key, size, &c.hpa);
	if (!err) {
		err = vmcfg_aspace_map_linear(&vm->aspace, c.publisher_gpa, c.hpa, size,
					      VMCFG_MEM_READ | VMCFG_MEM_WRITE);
		if (err) {
			map_failed(reg, vm, c.publisher_gpa, size);
			reg->hal.free_frames(reg->hal.ctx, c.hpa, (size_t)(size / VMCFG_PAGE_SIZE));
		}
	}
	if (err) {
		vmcfg_ivc_window_free(m, c.publisher_gpa, size);
		return err;
	}
	vmcfg_ivc_channel_insert(reg, at, &c);
	m->published++;
	m->published_bytes += size;
	*gpa = c.publisher_gpa;
	if (out_size)
		*out_size = size;
	return 0;
}

int vmcfg_ivc_publish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key, uint64_t size,
		      uint64_t *gpa, uint64_t *out_size)
{
	return publish(reg, vm, key, size, NULL, gpa, out_size);
}

int vmcfg_ivc_publish_at(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key,
			 uint64_t size, uint64_t gpa, uint64_t *out_size)
{
	uint64_t got;
	return publish(reg, vm, key, size, &gpa, &got, out_size);
}

static int subscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
		     uint64_t key, const uint64_t *fixed, uint64_t *gpa, uint64_t *size,
		     bool *writable)
{
	struct vmcfg_ivc_member *m = vm ? vmcfg_ivc_member_find(reg, vm->id) : NULL;
	if (!m || m->vm != vm)
		return VMCFG_ENOENT;
	bool found;
	size_t at = vmcfg_ivc_channel_search(reg, publisher_id, key, &found);
	if (!found || !reg->channels[at].published)
		return VMCFG_ENOENT;
	struct vmcfg_ivc_registry_entry *c = &reg->channels[at];
	if (publisher_id == vm->id)
		return VMCFG_EINVAL;
	if (find_sub(c, vm->id))
		return VMCFG_EEXIST;
	/* A published channel's publisher is attached: detaching unpublishes. */
	const struct vmcfg_ivc_member *pub = vmcfg_ivc_member_find(reg, publisher_id);
	bool rw;
	int err = vmcfg_ivc_may_subscribe(reg, pub->vm, vm, key, &rw);
	if (err)
		return err;
	if (m->subscribed >= reg->limits.max_subscribed)
		return VMCFG_ELIMIT;
	void *arr = c->subs;
	err = vmcfg_ivc_array_reserve(&reg->alloc, &arr, &c->sub_cap, c->sub_count, sizeof *c->subs);
	c->subs = arr;
	if (err)
		return err;

	struct ivc_subscriber s = { vm->id, 0, rw };
	err = take_window(m, c->size, fixed, &s.gpa);
	if (err)
		return err;
	uint32_t flags = VMCFG_MEM_READ | (rw ? VMCFG_MEM_WRITE : 0);
	err = vmcfg_aspace_map_linear(&vm->aspace, s.gpa, c->hpa, c->size, flags);
	if (err) {
		map_failed(reg, vm, s.gpa, c->size);
		vmcfg_ivc_window_free(m, s.gpa, c->size);
		return err;
	}
	c->subs[c->sub_count++] = s;
	m->subscribed++;
	*gpa = s.gpa;
	*size = c->size;
	if (writable)
		*writable = rw;
	return 0;
}

int vmcfg_ivc_subscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			uint64_t key, uint64_t *gpa, uint64_t *size, bool *writable)
{
	return subscribe(reg, vm, publisher_id, key, NULL, gpa, size, writable);
}

int vmcfg_ivc_subscribe_at(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			   uint64_t key, uint64_t gpa, uint64_t *size, bool *writable)
{
	uint64_t got;
	return subscribe(reg, vm, publisher_id, key, &gpa, &got, size, writable);
}

int vmcfg_ivc_unpublish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key)
{
	struct vmcfg_ivc_member *m = vm ? vmcfg_ivc_member_find(reg, vm->id) : NULL;
	if (!m || m->vm != vm)
		return VMCFG_ENOENT;
	bool found;
	size_t at = vmcfg_ivc_channel_search(reg, vm->id, key, &found);
	if (!found || !reg->channels[at].published)
		return VMCFG_ENOENT;
	struct vmcfg_ivc_registry_entry *c = &reg->channels[at];
	int err = vmcfg_ivc_unmap(reg, vm, c->publisher_gpa, c->size);
	if (err)
		return err;
	vmcfg_ivc_window_free(m, c->publisher_gpa, c->size);
	m->published--;
	m->published_bytes -= c->size;
	c->published = false;
	release_if_unused(reg, at);
	return 0;
}

int vmcfg_ivc_unsubscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			  uint64_t key)
{
	struct vmcfg_ivc_member *m = vm ? vmcfg_ivc_member_find(reg, vm->id) : NULL;
	if (!m || m->vm != vm)
		return VMCFG_ENOENT;
	bool found;
	size_t at = vmcfg_ivc_channel_search(reg, publisher_id, key, &found);
	struct ivc_subscriber *s = found ? find_sub(&reg->channels[at], vm->id) : NULL;
	if (!s)
		return VMCFG_ENOENT;
	struct vmcfg_ivc_registry_entry *c = &reg->channels[at];
	int err = vmcfg_ivc_unmap(reg, vm, s->gpa, c->size);
	if (err)
		return err;
	vmcfg_ivc_window_free(m, s->gpa, c->size);
	m->subscribed--;
	*s = c->subs[--c->sub_count];
	release_if_unused(reg, at);
	return 0;
}

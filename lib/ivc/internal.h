/* SPDX-License-Identifier: MIT */
/* lib/ivc internals: members (attached VMs), channels, and their helpers. */
#ifndef VMCFG_LIB_IVC_INTERNAL_H
#define VMCFG_LIB_IVC_INTERNAL_H

#include "vmcfg/ivc.h"

/* An attached VM, its IVC window allocator and what it holds against its quotas. */
struct vmcfg_ivc_member {
	struct vmcfg_vm *vm;
	uint64_t *window_used; /* bit i set: page i of the IVC window is in use */
	size_t window_pages;
	uint32_t published, subscribed;
	uint64_t published_bytes;
};

struct ivc_subscriber {
	uint64_t vm_id;
	uint64_t gpa;
	bool writable;
};

/*
 * A channel. refs = (published ? 1 : 0) + sub_count: each reference is a
 * live mapping, and the frames go back only when refs reaches 0.
 */
struct vmcfg_ivc_registry_entry {
	uint64_t publisher_id, key;
	uint64_t hpa, size; /* contiguous frames; size is a page multiple */
	bool published;
	uint64_t publisher_gpa;
	struct ivc_subscriber *subs;
	size_t sub_count, sub_cap;
};

/* registry.c */
/* Grows an array of *cap elements of esz bytes so it holds count + 1. 0 or VMCFG_ENOMEM. */
int vmcfg_ivc_array_reserve(const struct vmcfg_allocator *a, void **arr, size_t *cap, size_t count,
		      size_t esz);
struct vmcfg_ivc_member *vmcfg_ivc_member_find(const struct vmcfg_ivc_registry *reg, uint64_t vm_id);
/* Index of (publisher_id, key), or where it would go (*found false). */
size_t vmcfg_ivc_channel_search(const struct vmcfg_ivc_registry *reg, uint64_t publisher_id,
			  uint64_t key, bool *found);
/* Makes room for one more channel, so inserting cannot fail later. */
int vmcfg_ivc_channel_reserve(struct vmcfg_ivc_registry *reg);
/* Inserts at index (room reserved), or removes the channel at index (its memory freed). */
void vmcfg_ivc_channel_insert(struct vmcfg_ivc_registry *reg, size_t index, const struct vmcfg_ivc_registry_entry *c);
void vmcfg_ivc_channel_remove(struct vmcfg_ivc_registry *reg, size_t index);

/* window.c: best-fit page allocation in a member's IVC window. */
int vmcfg_ivc_window_init(struct vmcfg_ivc_registry *reg, struct vmcfg_ivc_member *m);
void vmcfg_ivc_window_release(struct vmcfg_ivc_registry *reg, struct vmcfg_ivc_member *m);
int vmcfg_ivc_window_alloc(struct vmcfg_ivc_member *m, uint64_t size, uint64_t *gpa);
/* Takes [gpa, gpa + size) itself: 0, VMCFG_EALIGN, or VMCFG_ENOSPC (outside the window or in use). */
int vmcfg_ivc_window_claim(struct vmcfg_ivc_member *m, uint64_t size, uint64_t gpa);
void vmcfg_ivc_window_free(struct vmcfg_ivc_member *m, uint64_t gpa, uint64_t size);

/* access.c: the [[ivc]] declarations. */
int vmcfg_ivc_may_publish(const struct vmcfg_ivc_registry *reg, const struct vmcfg_vm *vm, uint64_t key,
		    uint64_t *declared_size);
int vmcfg_ivc_may_subscribe(const struct vmcfg_ivc_registry *reg, const struct vmcfg_vm *publisher,
		      const struct vmcfg_vm *subscriber, uint64_t key, bool *writable);

/* Unmaps [gpa, gpa + size) from vm and tells the embedder. */
int vmcfg_ivc_unmap(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t gpa, uint64_t size);

#endif

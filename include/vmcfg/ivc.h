/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/ivc.h — inter-VM communication channels: a system-wide registry
 * of shared-memory channels keyed by (publisher VM id, key), mapped into
 * the VMs' IVC windows, under the access control of the system's [[ivc]]
 * declarations (vmcfg/check.h). The reference's IVC, done right:
 *   - access control: everything the system's [[ivc]] does not declare is
 *     denied, also when it declares nothing (only the system file's
 *     explicit ivc_policy = "open" allows everything); a subscriber
 *     granted "ro" gets a read-only mapping;
 *   - the shared frames are reference-counted (one reference for the
 *     publisher while published, one per subscriber): no frame is freed
 *     while any VM maps it, and re-publishing a key that is still alive is
 *     refused;
 *   - guest windows are allocated best-fit from the VM's IVC window and
 *     released on unpublish / unsubscribe;
 *   - a channel spans any number of pages;
 *   - per-VM quotas bound what one guest can take.
 *
 * A channel's area starts with a header (struct vmcfg_ivc_header) the
 * registry writes at publish time; it is informational for the guests and
 * never read back (a writer may overwrite it).
 *
 * Live stage-2 changes: mappings are added to and removed from the VMs'
 * address spaces while they run. Adding only turns invalid entries valid;
 * after a removal the registry calls the embedder's `unmapped` hook so it
 * can invalidate the VM's stage-2 TLB entries for that range before the
 * frames and emptied table pages can be reused.
 *
 * Freestanding; no global state: a registry is a value the embedder
 * keeps. Bookkeeping comes from the registry's allocator, frames from its
 * HAL. Not thread-safe: the embedder serialises calls.
 */
#ifndef VMCFG_IVC_H
#define VMCFG_IVC_H

#include "vmcfg/vm.h"

VMCFG_BEGIN_DECLS

/*
 * The reference's hypercall numbers. aarch64: HVC #0 with the code in x0,
 * the arguments in x1..x4, the result in x0. riscv64: ECALL to the SBI
 * extension VMCFG_SBI_EXT_HVC with the code in a6 (the SBI function id),
 * the arguments in a0..a3 (x1..x4's, in order), the result in a0 (a1 is
 * clobbered); as the reference's riscv_vcpu (EID_HVC, "HVC" in ASCII).
 * The guests (guests/arch/riscv64) and the hypervisor take both from here.
 */
#define VMCFG_SBI_EXT_HVC 0x485643
enum {
	VMCFG_HVC_IVC_PUBLISH = 3,     /* x1 key, x2 base_ptr, x3 size_ptr */
	VMCFG_HVC_IVC_SUBSCRIBE = 4,   /* x1 publisher VM id, x2 key, x3 base_ptr, x4 size_ptr */
	VMCFG_HVC_IVC_UNPUBLISH = 5,   /* x1 key */
	VMCFG_HVC_IVC_UNSUBSCRIBE = 6, /* x1 publisher VM id, x2 key */
};

/* At offset 0 of every channel (little-endian, as the guests are). */
struct vmcfg_ivc_header {
	uint32_t magic;   /* VMCFG_IVC_MAGIC */
	uint32_t version; /* 1 */
	uint64_t publisher_id;
	uint64_t key;
	uint64_t size; /* bytes of the area, header included (a multiple of the page size) */
};
#define VMCFG_IVC_MAGIC 0x31435649u /* "IVC1" */

/* The default quotas (the hypervisor's; the checker's E0317 holds static channels to them). */
#define VMCFG_IVC_DEFAULT_MAX_PUBLISHED 16
#define VMCFG_IVC_DEFAULT_MAX_SUBSCRIBED 16
#define VMCFG_IVC_DEFAULT_MAX_BYTES (64ull << 20)
#define VMCFG_IVC_DEFAULT_MAX_CHANNEL_SIZE (16ull << 20)

/* Per-VM quotas; 0 in a field takes its default. */
struct vmcfg_ivc_limits {
	uint32_t max_published;    /* channels one VM publishes at once (default 16) */
	uint32_t max_subscribed;   /* channels one VM subscribes to at once (default 16) */
	uint64_t max_bytes;        /* bytes one VM publishes at once (default 64 MiB) */
	uint64_t max_channel_size; /* bytes of one channel (default 16 MiB) */
};

/*
 * Called after a range of vm's stage-2 was unmapped, or a map of it failed
 * (the map undid what it made): invalidate its TLB
 * entries, then free the tables the unmap emptied with
 * vmcfg_aspace_release_retired(&vm->aspace).
 */
typedef void (*vmcfg_ivc_unmapped_fn)(void *ud, struct vmcfg_vm *vm, uint64_t gpa, uint64_t size);

struct vmcfg_ivc_member;
struct vmcfg_ivc_registry_entry;

/* A registry. Fields are private. */
struct vmcfg_ivc_registry {
	struct vmcfg_allocator alloc;
	struct vmcfg_hal hal;
	const struct vmcfg_system *sys;
	struct vmcfg_ivc_limits limits;
	vmcfg_ivc_unmapped_fn unmapped;
	void *unmapped_ud;
	struct vmcfg_ivc_member *members;
	size_t member_count, member_cap;
	struct vmcfg_ivc_registry_entry *channels; /* sorted by (publisher id, key) */
	size_t channel_count, channel_cap;
};

/*
 * Prepares an empty registry: channel frames come from hal, bookkeeping
 * from alloc; sys supplies the [[ivc]] declarations, matched against VM
 * names, and the policy (sys->ivc_open: everything allowed read-write) —
 * sys must outlive the registry; NULL: nothing declared, everything
 * denied. limits may be NULL (defaults);
 * unmapped may be NULL (for VMs that never run: the tables their unmaps
 * empty are then held until vmcfg_vm_destroy). Returns 0 or VMCFG_EINVAL (NULL arguments, a HAL
 * without alloc_frames/free_frames/phys_to_virt).
 */
int vmcfg_ivc_init(struct vmcfg_ivc_registry *reg, const struct vmcfg_allocator *alloc,
		   const struct vmcfg_hal *hal, const struct vmcfg_system *sys,
		   const struct vmcfg_ivc_limits *limits, vmcfg_ivc_unmapped_fn unmapped,
		   void *unmapped_ud);

/*
 * Detaches every VM still attached (see vmcfg_ivc_detach) and frees the
 * registry's memory. The attached VMs must still exist.
 */
void vmcfg_ivc_destroy(struct vmcfg_ivc_registry *reg);

/*
 * Lets vm take part: its IVC window (vm->ivc_window_*, possibly empty)
 * becomes its allocation area and vm->ivc_attached is counted up, which
 * keeps vmcfg_vm_destroy from freeing it underneath. Returns 0; VMCFG_EEXIST
 * when a VM with that id is attached; VMCFG_ENOMEM.
 */
int vmcfg_ivc_attach(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm);

/*
 * Takes vm out: unsubscribes it from every channel and unpublishes every
 * channel it publishes (their frames stay while other VMs map them), then
 * forgets it. Returns 0 or VMCFG_ENOENT (not attached).
 */
int vmcfg_ivc_detach(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm);

/*
 * The operations. All are all-or-nothing and, on failure, change nothing.
 * Common errors: VMCFG_ENOENT (vm not attached, no such channel),
 * VMCFG_EPERM (the declarations do not grant it), VMCFG_ELIMIT (a quota),
 * VMCFG_ENOSPC (no room in the VM's IVC window, or it has none),
 * VMCFG_ENOMEM, and errors of the address space (e.g. VMCFG_EOVERLAP when
 * the window overlaps something mapped).
 */

/*
 * vm publishes channel `key` of `size` bytes (rounded up to pages; 0 takes
 * the declared size): zeroed frames, the header written, mapped read-write
 * at *gpa in vm's IVC window. *out_size gets the rounded size. Unless the
 * policy is open, (key, vm's name) must be declared and size must not
 * exceed the declared size rounded up to pages (VMCFG_EPERM). Also VMCFG_EEXIST
 * (vm publishes key already), VMCFG_EBUSY (vm unpublished key but
 * subscribers still map it), VMCFG_EINVAL (size 0 and nothing declared:
 * open policy).
 */
int vmcfg_ivc_publish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key, uint64_t size,
		      uint64_t *gpa, uint64_t *out_size);

/*
 * vm maps the channel (publisher_id, key) at *gpa in its IVC window,
 * read-write or — when the declaration grants "ro" — read-only; *size gets
 * its size and *writable (may be NULL) the access. Also VMCFG_ENOENT (not
 * published), VMCFG_EEXIST (subscribed already), VMCFG_EINVAL (vm is the
 * publisher).
 */
int vmcfg_ivc_subscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			uint64_t key, uint64_t *gpa, uint64_t *size, bool *writable);

/*
 * vm withdraws channel key: its own mapping and window space go at once;
 * the frames stay until the last subscriber unsubscribes. VMCFG_ENOENT
 * when vm does not publish key.
 */
int vmcfg_ivc_unpublish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key);

/*
 * vm drops its mapping of (publisher_id, key) and the window space; the
 * last reference frees the frames. VMCFG_ENOENT when vm is not subscribed.
 */
int vmcfg_ivc_unsubscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			  uint64_t key);

/*
 * The hypercall entry: the hypervisor forwards the guest's registers x[0]
 * (the code) to x[4] and puts *ret in the guest's x0 (riscv64: x[0] = a6,
 * x[1..4] = a0..a3, *ret to a0). For codes 3-6
 * (see the enum above) it returns 0 and sets *ret to 0 on success or to
 * the negative VMCFG_E* code as a 64-bit two's-complement value. Guest
 * pointers (base_ptr, size_ptr) must be 8-byte aligned (else VMCFG_EALIGN)
 * and name writable RAM of vm (else VMCFG_EFAULT); they are checked — and
 * their pages populated — before anything changes, so a bad pointer never
 * leaves a half-done operation. Publish reads the requested size (u64)
 * from size_ptr; publish and subscribe write the window GPA to base_ptr
 * and the size to size_ptr. For any other code it returns VMCFG_ENOSYS
 * and leaves *ret alone (not an IVC call).
 */
int vmcfg_ivc_hypercall(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, const uint64_t x[5],
			uint64_t *ret);

/*
 * vmcfg_ivc_publish and vmcfg_ivc_subscribe at a guest address the caller
 * chooses instead of the window allocator's: the channel goes to [gpa,
 * gpa + its page-rounded size), which must be page-aligned (VMCFG_EALIGN),
 * inside vm's IVC window and free there (VMCFG_ENOSPC). Everything else —
 * the declarations' access control, quotas, references, the errors — is
 * that of vmcfg_ivc_publish / vmcfg_ivc_subscribe. For a hypervisor that
 * sets up static channels where vmcfg_ivc_static_layout says they are.
 */
int vmcfg_ivc_publish_at(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t key,
			 uint64_t size, uint64_t gpa, uint64_t *out_size);
int vmcfg_ivc_subscribe_at(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, uint64_t publisher_id,
			   uint64_t key, uint64_t gpa, uint64_t *size, bool *writable);

/* Frames the registry holds for channels (for accounting and tests). */
uint64_t vmcfg_ivc_frames(const struct vmcfg_ivc_registry *reg);

VMCFG_END_DECLS

#endif /* VMCFG_IVC_H */

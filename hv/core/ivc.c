/* SPDX-License-Identifier: MIT */
/* The IVC registry of the running system and the guests' IVC hypercalls. */
#include "core/arch.h"
#include "core/console.h"
#include "core/frames.h"
#include "core/heap.h"
#include "core/ivc.h"
#include "core/libc.h"
#include "vmcfg/ivc.h"

static struct vmcfg_ivc_registry registry;
static bool ready;
/*
 * lib/ivc is not thread-safe: every call on the registry holds this lock.
 * It comes first in the lock order (core/vm.h): a hypercall then takes the
 * locks of the VMs whose tables it may change.
 */
static struct spinlock lock;

/* lib/ivc's unmapped hook: [gpa, gpa + size) left vm's stage-2 tables. */
static void unmapped(void *ud, struct vmcfg_vm *vm, uint64_t gpa, uint64_t size)
{
	struct hv_vm *hv = hv_vm_of(vm);

	(void)ud;
	if (hv)
		hv_vm_stage2_unmapped(hv, gpa, size);
	else /* never ran (vm_boot.c registers before running): no TLB entries */
		vmcfg_aspace_release_retired(&vm->aspace);
}

/*
 * Bounds the work of one IVC call, done at EL2 with interrupts masked
 * where the time slice cannot preempt it: a publish zeroes and maps every
 * page of the channel, an unpublish or unsubscribe unmaps each with a TLB
 * invalidation. 1 MiB (256 pages) is about 1 ms on QEMU (BENCHMARKS.md);
 * 16 MiB, lib/ivc's default, was about 22 ms. The other limits are lib/ivc's.
 */
#define HV_IVC_MAX_CHANNEL (1u << 20)

static const struct vmcfg_ivc_limits limits = { .max_channel_size = HV_IVC_MAX_CHANNEL };

int hv_ivc_init(const struct vmcfg_system *sys)
{
	int err = vmcfg_ivc_init(&registry, &hv_heap, frames_hal(), sys, &limits, unmapped, NULL);

	ready = !err;
	return err;
}

int hv_ivc_attach(struct hv_vm *hv)
{
	int err;

	spin_lock(&lock);
	err = vmcfg_ivc_attach(&registry, hv->vm);
	spin_unlock(&lock);
	return err;
}

void hv_ivc_detach(struct hv_vm *hv)
{
	spin_lock(&lock);
	vmcfg_ivc_detach(&registry, hv->vm);
	spin_unlock(&lock);
}

static struct hv_vm *find_vm(struct hv_vm *vms, size_t count, const struct vmcfg_spec_str *name)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(vms[i].vm->name) == name->len &&
		    memcmp(vms[i].vm->name, name->s, name->len) == 0)
			return &vms[i];
	return NULL;
}

/* Where sys->ivc[decl] lies in hv's IVC window: the rule the guest DTs describe too. */
static int place(const struct vmcfg_system *sys, size_t decl, const struct hv_vm *hv,
		 struct vmcfg_ivc_placement *p)
{
	const struct vmcfg_vm *vm = hv->vm;
	int err = vmcfg_ivc_static_find(sys, vm->name, vm->ivc_window_gpa, vm->ivc_window_size,
					decl, p);

	if (err)
		hv_log("vm '%s': static IVC channel %llu: no place in its IVC window: %s", vm->name,
		       (unsigned long long)sys->ivc[decl].key.v, vmcfg_strerror(err));
	return err;
}

size_t hv_ivc_setup_static(const struct vmcfg_system *sys, struct hv_vm *vms, size_t count)
{
	size_t failed = 0;

	spin_lock(&lock);
	for (size_t i = 0; i < sys->ivc_count; i++) {
		const struct vmcfg_ivc_channel *ch = &sys->ivc[i];
		struct vmcfg_ivc_placement p;
		struct hv_vm *pub;
		uint64_t size;
		bool writable;
		int err;

		if (!ch->is_static || !ch->key.set || !ch->publisher.set)
			continue;
		pub = find_vm(vms, count, &ch->publisher);
		if (!pub) {
			hv_log("IVC channel %llu: not set up: its publisher '%s' was not created",
			       (unsigned long long)ch->key.v, ch->publisher.s);
			continue;
		}
		/* The declared size (0): the placement rule page-rounds the same. */
		if (place(sys, i, pub, &p)) {
			failed++;
			continue;
		}
		err = vmcfg_ivc_publish_at(&registry, pub->vm, ch->key.v, 0, p.gpa, &size);
		if (err) {
			hv_log("vm '%s': static IVC channel %llu: publish: %s", pub->vm->name,
			       (unsigned long long)ch->key.v, vmcfg_strerror(err));
			failed++;
			continue;
		}
		hv_log("vm '%s': static IVC channel %llu published, %#llx bytes at %#llx",
		       pub->vm->name, (unsigned long long)ch->key.v, (unsigned long long)size,
		       (unsigned long long)p.gpa);
		for (size_t k = 0; k < ch->subscriber_count; k++) {
			struct hv_vm *sub = find_vm(vms, count, &ch->subscribers[k].vm);

			if (!sub)
				continue;
			if (place(sys, i, sub, &p)) {
				failed++;
				continue;
			}
			err = vmcfg_ivc_subscribe_at(&registry, sub->vm, pub->vm->id, ch->key.v, p.gpa,
						     &size, &writable);
			if (err) {
				hv_log("vm '%s': static IVC channel %llu of '%s': subscribe: %s",
				       sub->vm->name, (unsigned long long)ch->key.v, pub->vm->name,
				       vmcfg_strerror(err));
				failed++;
				continue;
			}
			hv_log("vm '%s': static IVC channel %llu of '%s' mapped %s at %#llx",
			       sub->vm->name, (unsigned long long)ch->key.v, pub->vm->name,
			       writable ? "rw" : "ro", (unsigned long long)p.gpa);
		}
	}
	spin_unlock(&lock);
	return failed;
}

void hv_ivc_destroy(void)
{
	if (!ready)
		return;
	spin_lock(&lock);
	vmcfg_ivc_destroy(&registry);
	ready = false;
	spin_unlock(&lock);
}

static const char *const call_names[] = {
	[VMCFG_HVC_IVC_PUBLISH] = "publish",
	[VMCFG_HVC_IVC_SUBSCRIBE] = "subscribe",
	[VMCFG_HVC_IVC_UNPUBLISH] = "unpublish",
	[VMCFG_HVC_IVC_UNSUBSCRIBE] = "unsubscribe",
};

bool hv_ivc_call(struct vcpu *v, const uint64_t x[5], uint64_t *out)
{
	uint64_t code = x[0], ret;
	int result;

	if (code < VMCFG_HVC_IVC_PUBLISH || code > VMCFG_HVC_IVC_UNSUBSCRIBE)
		return false;
	/*
	 * The call changes stage-2 tables (lib/mm: one caller at a time per
	 * address space) while other vCPUs of the same VMs may fault RAM in
	 * or dispatch MMIO under their VM's lock: hold those locks too. Publish,
	 * subscribe and unsubscribe change only the caller's tables (and the
	 * pointer check faults the caller's pages in); an unpublish unmaps the
	 * channel from every subscriber as well.
	 */
	spin_lock(&lock);
	if (code == VMCFG_HVC_IVC_UNPUBLISH)
		hv_vm_lock_all();
	else
		spin_lock(&v->vm->lock);
	vmcfg_ivc_hypercall(&registry, v->vm->vm, x, &ret);
	if (code == VMCFG_HVC_IVC_UNPUBLISH)
		hv_vm_unlock_all();
	else
		spin_unlock(&v->vm->lock);
	spin_unlock(&lock);
	/* A publish or subscribe mapped the channel into the caller's live tables. */
	if (ret == 0 && (code == VMCFG_HVC_IVC_PUBLISH || code == VMCFG_HVC_IVC_SUBSCRIBE))
		hv_arch_stage2_mapped();
	*out = ret;
	result = (int)(int64_t)ret;
	if (code == VMCFG_HVC_IVC_SUBSCRIBE && result == VMCFG_ENOENT) {
		v->yield = true; /* not published yet: let the publisher run first */
		return true;
	}
	hv_log("vm '%s': IVC %s (x1 %#llx, x2 %#llx): %s", v->vm->vm->name, call_names[code],
	       (unsigned long long)x[1], (unsigned long long)x[2],
	       result ? vmcfg_strerror(result) : "ok");
	return true;
}

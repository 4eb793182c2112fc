/* The IVC registry of the running system and the guests' IVC hypercalls. */
#include "arch/aarch64/stage2.h"
#include "core/console.h"
#include "core/frames.h"
#include "core/heap.h"
#include "core/ivc.h"
#include "vmcfg/ivc.h"

static struct vmcfg_ivc_registry registry;
static bool ready;
/* lib/ivc is not thread-safe: every call on the registry holds this lock. */
static struct spinlock lock;

/* lib/ivc's unmapped hook: [gpa, gpa + size) left vm's stage-2 tables. */
static void unmapped(void *ud, struct vm *vm, uint64_t gpa, uint64_t size)
{
	const struct hv_vm *hv = hv_vm_of(vm);

	(void)ud;
	/* An unregistered VM never ran (vm_boot.c registers before running): no TLB entries. */
	if (hv)
		stage2_unmapped(hv->vttbr, gpa, size);
}

int hv_ivc_init(const struct vmcfg_system *sys)
{
	int err = vmcfg_ivc_init(&registry, &hv_heap, frames_hal(), sys, NULL, unmapped, NULL);

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

bool hv_ivc_call(struct vcpu *v)
{
	uint64_t code = v->regs.x[0], ret;
	int result;

	if (code < VMCFG_HVC_IVC_PUBLISH || code > VMCFG_HVC_IVC_UNSUBSCRIBE)
		return false;
	spin_lock(&lock);
	vmcfg_ivc_hypercall(&registry, v->vm->vm, v->regs.x, &ret);
	spin_unlock(&lock);
	v->regs.x[0] = ret;
	result = (int)(int64_t)ret;
	if (code == VMCFG_HVC_IVC_SUBSCRIBE && result == VMCFG_ENOENT) {
		v->yield = true; /* not published yet: let the publisher run first */
		return true;
	}
	hv_log("vm '%s': IVC %s (x1 %#llx, x2 %#llx): %s", v->vm->vm->name, call_names[code],
	       (unsigned long long)v->regs.x[1], (unsigned long long)v->regs.x[2],
	       result ? vmcfg_strerror(result) : "ok");
	return true;
}

/* SPDX-License-Identifier: MIT */
/*
 * The IVC hypercalls with the reference's numbers and arguments. The
 * hypervisor forwards registers only: every guest pointer is checked here
 * — aligned, inside the VM's writable RAM — and its page populated before
 * the operation runs, so writing the results back cannot fail and a bad
 * pointer never leaves a half-done operation behind.
 */
#include "internal.h"

/* A guest u64 the hypervisor may read and write: aligned, in RAM, writable, backed. */
static int check_guest_u64(struct vmcfg_vm *vm, uint64_t gpa)
{
	struct vmcfg_translation t;
	if (gpa % sizeof(uint64_t))
		return VMCFG_EALIGN;
	if (!vmcfg_vm_range_is_ram(vm, gpa, sizeof(uint64_t)) ||
	    vmcfg_aspace_translate(&vm->aspace, gpa, &t) || !(t.flags & VMCFG_MEM_WRITE))
		return VMCFG_EFAULT;
	/* Populate a lazy page now: no allocation may fail after the operation. */
	return vmcfg_aspace_fault_in(&vm->aspace, gpa) ? VMCFG_EFAULT : 0;
}

static int check_out_pointers(struct vmcfg_vm *vm, uint64_t base_ptr, uint64_t size_ptr)
{
	int err = check_guest_u64(vm, base_ptr);
	return err ? err : check_guest_u64(vm, size_ptr);
}

/* Writes the results; the pointers were checked, so this cannot fail. */
static void put_results(struct vmcfg_vm *vm, uint64_t base_ptr, uint64_t base, uint64_t size_ptr,
			uint64_t size)
{
	vmcfg_aspace_write(&vm->aspace, base_ptr, &base, sizeof base);
	vmcfg_aspace_write(&vm->aspace, size_ptr, &size, sizeof size);
}

static int hvc_publish(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, const uint64_t x[5])
{
	uint64_t key = x[1], base_ptr = x[2], size_ptr = x[3], want, gpa, size;
	int err = check_out_pointers(vm, base_ptr, size_ptr);
	if (!err)
		err = vmcfg_aspace_read(&vm->aspace, size_ptr, &want, sizeof want);
	if (!err)
		err = vmcfg_ivc_publish(reg, vm, key, want, &gpa, &size);
	if (!err)
		put_results(vm, base_ptr, gpa, size_ptr, size);
	return err;
}

static int hvc_subscribe(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, const uint64_t x[5])
{
	uint64_t publisher = x[1], key = x[2], base_ptr = x[3], size_ptr = x[4], gpa, size;
	int err = check_out_pointers(vm, base_ptr, size_ptr);
	if (!err)
		err = vmcfg_ivc_subscribe(reg, vm, publisher, key, &gpa, &size, NULL);
	if (!err)
		put_results(vm, base_ptr, gpa, size_ptr, size);
	return err;
}

int vmcfg_ivc_hypercall(struct vmcfg_ivc_registry *reg, struct vmcfg_vm *vm, const uint64_t x[5],
			uint64_t *ret)
{
	int err;
	switch (x[0]) {
	case VMCFG_HVC_IVC_PUBLISH:
		err = hvc_publish(reg, vm, x);
		break;
	case VMCFG_HVC_IVC_SUBSCRIBE:
		err = hvc_subscribe(reg, vm, x);
		break;
	case VMCFG_HVC_IVC_UNPUBLISH:
		err = vmcfg_ivc_unpublish(reg, vm, x[1]);
		break;
	case VMCFG_HVC_IVC_UNSUBSCRIBE:
		err = vmcfg_ivc_unsubscribe(reg, vm, x[1], x[2]);
		break;
	default:
		return VMCFG_ENOSYS;
	}
	*ret = (uint64_t)(int64_t)err;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The reference hypervisor's emulated GICv3 as a build-time model: it
 * claims the windows hv/arch/aarch64/vgic.c claims, under the same limits
 * (VMCFG_VGIC_*), so that a build on a simulated host succeeds and fails
 * where the hypervisor's would. Its registers read as zero and ignore
 * writes: nothing runs on a simulated host.
 */
#include "vmcfg/vm.h"

static int model_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)dev, (void)off, (void)width;
	*value = 0;
	return 0;
}

static int model_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return 0;
}

static const struct vmcfg_vm_device_ops model_ops = { .read = model_read, .write = model_write };

int vmcfg_vm_vgic_model_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	(void)ud;
	if (dev->emu_type != VMCFG_EMU_INTERRUPT_CONTROLLER)
		return VMCFG_ENOSYS;
	/* One GIC per VM: a second distributor finds the redistributors taken. */
	if (dev->length < VMCFG_VGIC_GICD_SIZE || vm->vcpu_count > VMCFG_VGIC_MAX_VCPUS)
		return VMCFG_EINVAL;
	int err = vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa, VMCFG_VGIC_GICD_SIZE,
					"GICD", &model_ops, NULL);
	if (err)
		return err;
	err = vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, VMCFG_VGIC_GICR_BASE,
				    VMCFG_VGIC_GICR_FRAME * vm->vcpu_count, "GICR", &model_ops, NULL);
	if (err)
		vmcfg_vm_bus_unregister(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa);
	return err;
}

/* SPDX-License-Identifier: MIT */
/*
 * What the reference hypervisor builds through its device factory, as
 * build-time models: its emulated GICv3 claims the windows
 * hv/arch/aarch64/vgic.c claims, under the same limits (VMCFG_VGIC_*), so
 * that a build on a simulated host succeeds and fails where the
 * hypervisor's would; the AxVisor device types it does not emulate get the
 * inert window the hypervisor gives them too (vmcfg_vm_inert_device, the
 * checker's W0233). Registers read as zero and ignore writes: nothing runs
 * on a simulated host.
 */
#include "internal.h"

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

int vmcfg_vm_inert_device(struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	const char *type = vmcfg_emu_type_name(dev->emu_type);
	if (!type || dev->length == 0 || dev->emu_type == VMCFG_EMU_INTERRUPT_CONTROLLER)
		return VMCFG_ENOSYS;
	/* Where AxVisor would put it (the X86Pit on ports), so overlaps are found as there. */
	enum vmcfg_vm_bus_space space = vmcfg_emu_device_is_pio(dev->emu_type, dev->cfg_count > 0,
								 dev->cfg_count ? dev->cfg_list[0] : 0,
								 vm->arch)
						? VMCFG_VM_BUS_PIO
						: VMCFG_VM_BUS_MMIO;
	int err = vmcfg_vm_bus_register(&vm->bus, space, dev->base_gpa, dev->length,
					dev->name ? dev->name : type, &model_ops, NULL);
	if (!err)
		vmcfg_vm_warn(vm, "emulated device '%s' (%s) is an inert window (reads 0, writes "
				  "ignored): the reference hypervisor does not emulate it",
			      dev->name ? dev->name : "", type);
	return err;
}

int vmcfg_vm_hv_model_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev)
{
	(void)ud;
	/* GIC pass-through frames: the hypervisor keeps the GIC (the checker's E0229). */
	if (vmcfg_emu_type_is_gppt(dev->emu_type))
		return VMCFG_ENOSYS;
	/* A known AxVisor type the hypervisor does not emulate (W0233): inert there too. */
	if (dev->emu_type != VMCFG_EMU_INTERRUPT_CONTROLLER)
		return vmcfg_vm_inert_device(vm, dev);
	/* riscv64: the hypervisor's vPLIC (hv/arch/riscv64/vplic.c), its window reaching the last context. */
	if (vm->arch == VMCFG_ARCH_RISCV64) {
		if (VMCFG_VPLIC_CONTEXTS_PER_HART * vm->vcpu_count > VMCFG_VPLIC_MAX_CONTEXTS ||
		    dev->length < VMCFG_VPLIC_MIN_SIZE(vm->vcpu_count))
			return VMCFG_EINVAL;
		return vmcfg_vm_bus_register(&vm->bus, VMCFG_VM_BUS_MMIO, dev->base_gpa, dev->length, "PLIC",
					     &model_ops, NULL);
	}
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

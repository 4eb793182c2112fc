/* SPDX-License-Identifier: MIT */
/*
 * Emulated devices from the config's emu_devices: each gets a model, a
 * bus registration and a line in vm->devices. Types this build does not
 * emulate go to the embedder's factory; without one they are an error
 * naming the device and its type, never a silent skip.
 */
#include "internal.h"
#include "../base/libc.h"

/* Dummy: reads as zero, ignores writes. */
static int dummy_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)dev, (void)off, (void)width;
	*value = 0;
	return 0;
}

static int dummy_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return 0;
}

static const struct vmcfg_vm_device_ops dummy_ops = { .read = dummy_read, .write = dummy_write };

/*
 * The IVC window: channels are mapped into it at stage 2, so an access
 * that traps here hit a part with no channel. Refuse it; the hypervisor
 * reports the address.
 */
static int ivc_window_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return VMCFG_EFAULT;
}

static int ivc_window_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return VMCFG_EFAULT;
}

static const struct vmcfg_vm_device_ops ivc_window_ops = { .read = ivc_window_read,
						      .write = ivc_window_write };

int vmcfg_vm_register_device(struct vm_build *b, const struct vmcfg_vm_device_info *info,
		       const struct vmcfg_vm_device_ops *ops, void *dev)
{
	int err = vmcfg_vm_bus_register(&b->vm->bus, info->space, info->base, info->length, info->name,
				  ops, dev);
	if (!err)
		return 0;
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF];
	return vmcfg_vm_fail(b, err, "emulated device '%s' at %s size %s: %s", info->name,
		       vmcfg_fmt_hex(x, info->base), vmcfg_fmt_hex(y, info->length),
		       err == VMCFG_EOVERLAP ? "overlaps another emulated device"
		       : err == VMCFG_ERANGE ? "the window wraps past 2^64"
					     : vmcfg_strerror(err));
}

/* A guest-physical device window may not cover RAM or a passthrough window. */
static int check_window_free(struct vm_build *b, const struct vmcfg_vm_device_info *info)
{
	const struct vmcfg_vm *vm = b->vm;
	const char *what = NULL;
	if (info->space != VMCFG_VM_BUS_MMIO || info->length == 0 ||
	    info->base > UINT64_MAX - info->length)
		return 0; /* port I/O has no RAM; bad windows are refused by the bus */
	for (size_t i = 0; i < vm->ram_count && !what; i++)
		if (vm_ranges_overlap(info->base, info->length, vm->ram[i].gpa, vm->ram[i].size))
			what = "RAM";
	for (size_t i = 0; i < vm->pt_window_count && !what; i++)
		if (vm_ranges_overlap(info->base, info->length, vm->pt_windows[i].gpa,
				      vm->pt_windows[i].size))
			what = "a passthrough window";
	if (!what)
		return 0;
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF];
	return vmcfg_vm_fail(b, VMCFG_EOVERLAP, "emulated device '%s' at %s size %s overlaps %s",
		       info->name, vmcfg_fmt_hex(x, info->base), vmcfg_fmt_hex(y, info->length),
		       what);
}

static int setup_ivc_window(struct vm_build *b, const struct vmcfg_vm_device_info *info)
{
	struct vmcfg_vm *vm = b->vm;
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF];
	if (vm->ivc_window_size)
		return vmcfg_vm_fail(b, VMCFG_EINVAL,
			       "emulated device '%s': a second IVC window (the VM has one at %s)",
			       info->name, vmcfg_fmt_hex(x, vm->ivc_window_gpa));
	if ((info->base | info->length) & (VMCFG_PAGE_SIZE - 1))
		return vmcfg_vm_fail(b, VMCFG_EALIGN,
			       "IVC window '%s' at %s size %s is not page-aligned (channels are "
			       "mapped in pages)",
			       info->name, vmcfg_fmt_hex(x, info->base), vmcfg_fmt_hex(y, info->length));
	int err = vmcfg_vm_register_device(b, info, &ivc_window_ops, vm);
	if (err)
		return err;
	vm->ivc_window_gpa = info->base;
	vm->ivc_window_size = info->length;
	return 0;
}

static int from_factory(struct vm_build *b, const struct vmcfg_vm_emu_device *dev)
{
	const char *type = vmcfg_emu_type_name(dev->emu_type);
	int err = b->opts->device_factory
			  ? b->opts->device_factory(b->opts->device_factory_ud, b->vm, dev)
			  : VMCFG_ENOSYS;
	if (err == VMCFG_ENOSYS)
		return vmcfg_vm_fail(b, err,
			       "emulated device '%s' has type 0x%x (%s), which this build cannot "
			       "emulate",
			       dev->name, dev->emu_type, type ? type : "unknown type");
	if (err)
		return vmcfg_vm_fail(b, err, "emulated device '%s' (type 0x%x): the embedder's factory "
				       "failed: %s",
			       dev->name, dev->emu_type, vmcfg_strerror(err));
	return 0;
}

static int setup_device(struct vm_build *b, const struct vmcfg_vm_emu_device *dev,
			struct vmcfg_vm_device_info *info)
{
	*info = (struct vmcfg_vm_device_info){ dev->name ? dev->name : "", dev->emu_type, VMCFG_VM_BUS_MMIO,
					 dev->base_gpa, dev->length, dev->irq_id, NULL };
	switch (dev->emu_type) {
	case VMCFG_EMU_DUMMY:
		info->model = "dummy";
		return vmcfg_vm_register_device(b, info, &dummy_ops, NULL);
	case VMCFG_EMU_CONSOLE:
		return vmcfg_vm_console_create(b, dev, info);
	case VMCFG_EMU_IVC_CHANNEL:
		info->model = "ivc-window";
		return setup_ivc_window(b, info);
	default:
		info->model = "embedder";
		/* Where the factory puts it (the PIT on ports), for the RAM check below. */
		if (vmcfg_emu_device_is_pio(dev->emu_type, dev->cfg_count > 0,
					    dev->cfg_count ? dev->cfg_list[0] : 0, b->vm->arch))
			info->space = VMCFG_VM_BUS_PIO;
		return from_factory(b, dev);
	}
}

/*
 * interrupt_mode "passthrough" on aarch64: the hypervisor keeps the
 * physical GIC, so the guest gets the embedder's vGIC at QEMU virt's GIC
 * frames without declaring it (vmcfg/check.h, VMCFG_VGIC_*), and its
 * passthrough SPIs through it. Its redistributors are checked against RAM
 * and passthrough windows too: nothing else would notice them hidden.
 */
static int setup_implicit_gic(struct vm_build *b)
{
	static const struct vmcfg_vm_emu_device gic = { "vGIC", VMCFG_VGIC_GICD_BASE,
							VMCFG_VGIC_GICD_SIZE, 0,
							VMCFG_EMU_INTERRUPT_CONTROLLER, NULL, 0 };
	struct vmcfg_vm *vm = b->vm;
	struct vmcfg_vm_device_info *info = &vm->devices[vm->device_count];
	struct vmcfg_vm_device_info gicr = { "vGIC redistributors", VMCFG_EMU_INTERRUPT_CONTROLLER,
					     VMCFG_VM_BUS_MMIO, VMCFG_VGIC_GICR_BASE,
					     VMCFG_VGIC_GICR_FRAME * vm->vcpu_count, 0, NULL };
	int err = check_window_free(b, &gicr);
	if (!err)
		err = setup_device(b, &gic, info);
	if (!err)
		err = check_window_free(b, info);
	if (!err)
		vm->device_count++;
	return err;
}

int vmcfg_vm_setup_devices(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	const struct vmcfg_vm_config *cfg = b->cfg;
	/* Beyond the vGIC's vCPUs the hypervisor refuses the VM anyway (the checker's E0316). */
	bool implicit_gic = cfg->irq_mode == VMCFG_IRQ_PASSTHROUGH && vm->arch == VMCFG_ARCH_AARCH64 &&
			    b->opts->device_factory && vm->vcpu_count <= VMCFG_VGIC_MAX_VCPUS;
	if (cfg->emu_count == 0 && !implicit_gic)
		return 0;
	vm->devices = vmcfg_arena_zalloc(&vm->arena, (cfg->emu_count + 1) * sizeof *vm->devices,
					 _Alignof(struct vmcfg_vm_device_info));
	if (!vm->devices)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->emu_count; i++) {
		struct vmcfg_vm_device_info *info = &vm->devices[vm->device_count];
		int err = setup_device(b, &cfg->emu[i], info);
		if (!err)
			err = check_window_free(b, info);
		if (err)
			return err;
		vm->device_count++;
	}
	return implicit_gic ? setup_implicit_gic(b) : 0;
}

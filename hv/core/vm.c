/* VMs: creation from a vm_config (stand-in for lib/vm's vm_create), running, ending. */
#include "arch/aarch64/cpu.h"
#include "core/console.h"
#include "core/libc.h"
#include "core/vm.h"

/*
 * Guest physical addresses are below 2^40 (1 TiB): QEMU virt's RAM and
 * devices fit, and the 3-level arm64 stage-2 format walks it with two
 * concatenated root pages.
 */
#define VM_IPA_BITS 40

/* ID_AA64MMFR0_EL1.PARange → bits of physical address (Arm ARM D19.2). */
static unsigned host_pa_bits(void)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48 };
	uint64_t range = ID_AA64MMFR0_PARANGE(sysreg_read(id_aa64mmfr0_el1));

	/* 52-bit ranges need LPA descriptors; 48 bits cover every address used here. */
	return range < 6 ? bits[range] : 48;
}

/* Invalidates every stage-1 and stage-2 TLB entry tagged with vttbr's VMID. */
static void tlb_flush_vmid(uint64_t vttbr)
{
	uint64_t saved = sysreg_read(vttbr_el2);

	sysreg_write(vttbr_el2, vttbr); /* TLBI VMALLS12E1IS acts on the current VMID */
	isb();
	__asm__ volatile("tlbi vmalls12e1is\n\tdsb ish" : : : "memory");
	sysreg_write(vttbr_el2, saved);
	isb();
}

static void report(const struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const struct vm *vm, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	hv_log("vm '%s': %s", vm->name, msg);
}

static int map_region(struct vm *vm, const struct vm_mem_region *r)
{
	int err;

	if (r->flags & VMCFG_MEM_DEVICE) {
		report(vm, "region at GPA %#llx is device memory: not mapped",
		       (unsigned long long)r->gpa);
		return 0;
	}
	switch (r->map_type) {
	case VMCFG_MAP_ALLOC:
		err = vmcfg_aspace_map_alloc(&vm->as, r->gpa, r->size, r->flags);
		break;
	case VMCFG_MAP_IDENTICAL:
		err = vmcfg_aspace_map_identical(&vm->as, r->gpa, r->size, r->flags, NULL);
		break;
	default:
		report(vm, "region at GPA %#llx: MapReserved needs host reserved memory, which "
			   "this platform does not describe yet", (unsigned long long)r->gpa);
		return VMCFG_ENOSYS;
	}
	if (err)
		report(vm, "cannot map RAM at GPA %#llx, size %#llx: %s",
		       (unsigned long long)r->gpa, (unsigned long long)r->size,
		       vmcfg_strerror(err));
	return err;
}

static int add_device(struct vm *vm, const struct vm_emu_device *d)
{
	int err;

	/*
	 * IVC channels need lib/ivc's registry; until the hypervisor has one the
	 * window stays unmapped, so a guest touching it is stopped like at any
	 * address nothing claims.
	 */
	if (d->emu_type == VMCFG_EMU_IVC_CHANNEL) {
		report(vm, "IVC window '%s' at GPA %#llx left unmapped: no IVC channels yet",
		       d->name, (unsigned long long)d->base_gpa);
		return 0;
	}
	if (d->emu_type != VMCFG_EMU_CONSOLE) {
		report(vm, "emulated device '%s' (type %#x) is not supported yet", d->name,
		       (unsigned)d->emu_type);
		return VMCFG_ENOSYS;
	}
	/* One console per VM: it is the VM's output. */
	if (vm->console.name) {
		report(vm, "a second console ('%s') is not supported", d->name);
		return VMCFG_ENOSYS;
	}
	vuart_init(&vm->console, vm->name, &console_writer);
	err = mmio_bus_add(&vm->bus, d->base_gpa, d->length, &vuart_ops, &vm->console, d->name);
	if (err)
		report(vm, "device '%s' at GPA %#llx: %s", d->name,
		       (unsigned long long)d->base_gpa, vmcfg_strerror(err));
	return err;
}

static int load_kernel(struct vm *vm, const struct vm_config *cfg,
		       const struct hv_file *kernel)
{
	int err;

	if (!cfg->kernel.path || !cfg->kernel.has_load_gpa) {
		report(vm, "no kernel image with a load address");
		return VMCFG_EINVAL;
	}
	if (cfg->image_location != VMCFG_IMAGE_MEMORY) {
		report(vm, "image_location \"fs\": the hypervisor has no file system; "
			   "use \"memory\"");
		return VMCFG_ENOSYS;
	}
	if (!kernel) {
		report(vm, "kernel '%s' is not built into the hypervisor", cfg->kernel.path);
		return VMCFG_ENOENT;
	}
	err = vmcfg_aspace_write(&vm->as, cfg->kernel.load_gpa, kernel->data, kernel->size);
	if (err)
		report(vm, "kernel %s (%llu bytes) does not fit in RAM at GPA %#llx: %s",
		       kernel->path, (unsigned long long)kernel->size,
		       (unsigned long long)cfg->kernel.load_gpa, vmcfg_strerror(err));
	return err;
}

int hv_vm_create(struct vm *vm, const struct vm_config *cfg, const struct hv_file *kernel,
		 uint16_t vmid, const struct vmcfg_hal *hal)
{
	struct vmcfg_pt_regs regs;
	int err;

	memset(vm, 0, sizeof *vm);
	vm->id = cfg->id;
	vmcfg_snprintf(vm->name, sizeof vm->name, "%s", cfg->name ? cfg->name : "?");
	vm->vmid = vmid;
	vm->state = VM_STOPPED; /* until it is complete */
	if (cfg->cpu_num == 0 || cfg->cpu_num > VM_MAX_VCPUS) {
		report(vm, "cpu_num %u: this hypervisor runs 1 to %d vCPUs per VM",
		       (unsigned)cfg->cpu_num, VM_MAX_VCPUS);
		return VMCFG_ELIMIT;
	}
	if (cfg->pt_count || cfg->pt_address_count) {
		report(vm, "passthrough devices are not supported yet");
		return VMCFG_ENOSYS;
	}
	err = vmcfg_aspace_init(&vm->as, hal, VMCFG_PT_ARM64_S2_3L, VM_IPA_BITS, 0);
	if (err) {
		report(vm, "no stage-2 address space: %s", vmcfg_strerror(err));
		return err;
	}
	err = vmcfg_aspace_regs(&vm->as, host_pa_bits(), &regs);
	if (err)
		report(vm, "stage-2 registers for a %u-bit IPA space: %s", VM_IPA_BITS,
		       vmcfg_strerror(err));
	for (size_t i = 0; !err && i < cfg->region_count; i++)
		err = map_region(vm, &cfg->regions[i]);
	for (size_t i = 0; !err && i < cfg->emu_count; i++)
		err = add_device(vm, &cfg->emu[i]);
	if (!err)
		err = load_kernel(vm, cfg, kernel);
	if (err) {
		vmcfg_aspace_destroy(&vm->as);
		return err;
	}
	vm->vttbr = regs.root | (uint64_t)vmid << VTTBR_VMID_SHIFT;
	vm->vtcr = regs.control;

	/*
	 * vCPU i has MPIDR phys_cpu_ids[i] (or i). x0 = 0, not dtb_load_addr:
	 * the guest device tree generator (lib/fdt) is host-only, so nothing
	 * would be at that address, and 0 tells a guest plainly "no DTB".
	 */
	vm->vcpu_count = cfg->cpu_num;
	for (uint32_t i = 0; i < cfg->cpu_num; i++)
		vcpu_reset(&vm->vcpus[i], vm, i, cfg->phys_cpu_ids ? cfg->phys_cpu_ids[i] : i,
			   i == 0 ? cfg->bsp_entry : cfg->ap_entry, 0);
	vm->vcpus[0].state = VCPU_RUNNABLE;
	vm->state = VM_RUNNING;
	return 0;
}

void hv_vm_destroy(struct vm *vm)
{
	tlb_flush_vmid(vm->vttbr);
	vmcfg_aspace_destroy(&vm->as);
}

void hv_vm_run(struct vm *vm)
{
	vcpu_run(&vm->vcpus[0]);
}

void vm_power_off(struct vm *vm, const char *why)
{
	vuart_flush(&vm->console);
	vm->state = VM_OFF;
	report(vm, "powered off: %s", why);
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	vuart_flush(&vm->console);
	vm->state = VM_STOPPED;
	report(vm, "stopped: %s", msg);
}

void vm_vcpu_off(struct vm *vm, struct vcpu *v)
{
	v->state = VCPU_OFF;
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if (vm->vcpus[i].state != VCPU_OFF)
			return;
	vm_power_off(vm, "its last vCPU called PSCI CPU_OFF");
}

/* SPDX-License-Identifier: MIT */
/*
 * Guest exits by exception class (Arm ARM D19.2 ESR_EL2, "Exception Class").
 * Whatever a guest does ends here as "handled" or "its VM stopped with a
 * report"; nothing a guest does reaches hv_panic.
 */
#include "arch/aarch64/gic.h"
#include "arch/aarch64/ptimer.h"
#include "arch/aarch64/stage2.h"
#include "arch/aarch64/trap.h"
#include "arch/aarch64/vgic.h"
#include "core/console_input.h"
#include "core/ivc.h"
#include "core/panic.h"
#include "core/vm.h"

typedef void trap_fn(struct vcpu *v);

static const char *access_name(bool write)
{
	return write ? "write" : "read";
}

/* What a fault status code (DFSC/IFSC) means, for reports. */
static const char *fsc_name(uint32_t fsc)
{
	switch (FSC_TYPE(fsc)) {
	case FSC_TRANSLATION:
		return "not mapped (stage-2 translation fault)";
	case FSC_ACCESS_FLAG:
		return "stage-2 access flag fault";
	case FSC_PERMISSION:
		return "not permitted by its stage-2 mapping (permission fault)";
	default:
		return fsc == 0x10 ? "synchronous external abort" : "abort";
	}
}

/* The faulting IPA: HPFAR_EL2 gives the page, FAR_EL2 the offset (when valid). */
static uint64_t fault_ipa(const struct vcpu *v)
{
	uint64_t page = HPFAR_IPA(v->hpfar);

	return ESR_ISS(v->esr) & ISS_DABT_FNV ? page : page | (v->far & 0xfff);
}

/* ESR_EL2.ISS of a trapped WFx: TI [0], 1 for WFE. */
#define ISS_WFX_WFE 1u

/*
 * WFI/WFE: the vCPU waits, so its CPU goes to the next vCPU. It resumes
 * after the instruction at its next turn, with whatever interrupts its
 * vGIC has for it by then (both may complete spuriously, Arm ARM D1.6.2
 * "Wait for Interrupt"). A WFI of a vCPU alone on its CPU sleeps the CPU
 * instead (gic_wait), until what would reach the vCPU — its timers, a
 * kick, a device's SPI — is pending, which the next entry then takes as an
 * exit: its idle time costs the host nothing rather than an exit per
 * instruction.
 */
static void trap_wfx(struct vcpu *v)
{
	vcpu_skip_instruction(v);
	if (!(ESR_ISS(v->esr) & ISS_WFX_WFE) && this_cpu()->runq_len == 1) {
		gic_wait();
		return;
	}
	v->yield = true;
}

/* HVC: ELR_EL2 already points after the instruction. IVC codes 3-6, else PSCI. */
static void trap_hvc(struct vcpu *v)
{
	if (!hv_ivc_call(v, v->regs.x, &v->regs.x[0]))
		vpsci_call(v);
}

/* SMC trapped by HCR_EL2.TSC: ELR_EL2 points at the SMC itself. */
static void trap_smc(struct vcpu *v)
{
	vcpu_skip_instruction(v);
	vpsci_call(v);
}

/*
 * MSR/MRS trapped by TID3 (the ID registers), TIDCP, TACR, TLOR,
 * CNTHCTL_EL2 (the physical timer: ptimer.c), MDCR_EL2 (the debug and PMU registers), or HCR_EL2.IMO for the SGI
 * register (ISS: Op0 [21:20] Op2
 * [19:17] Op1 [16:14] CRn [13:10] Rt [9:5] CRm [4:1] Direction [0], 1 = read).
 */
#define ISS_SYSREG_MASK 0x3ffc1eu /* Op0, Op2, Op1, CRn, CRm */
#define ISS_SYSREG(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
/* ICC_SGI1R_EL1 = S3_0_C12_C11_5: GICv3 traps EL1 writes to EL2 when HCR_EL2.IMO = 1. */
#define ISS_ICC_SGI1R ISS_SYSREG(3u, 0u, 12u, 11u, 5u)

/*
 * The PMU's registers, which MDCR_EL2.TPM and TPMCR trap (cpu.c): op0 3
 * with CRn 9, op1 3, CRm 12-14 (PMCR_EL0 to PMOVSSET_EL0), op1 0, CRm 14
 * (PMINTENSET_EL1, PMINTENCLR_EL1, PMMIR_EL1), and CRn 14, op1 3, CRm 8-15
 * (PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0).
 */
static bool is_pmu_register(uint64_t iss)
{
	unsigned op0 = (unsigned)(iss >> 20 & 3), op1 = (unsigned)(iss >> 14 & 7);
	unsigned crn = (unsigned)(iss >> 10 & 15), crm = (unsigned)(iss >> 1 & 15);

	if (op0 != 3)
		return false;
	if (crn == 9)
		return (op1 == 3 && crm >= 12 && crm <= 14) || (op1 == 0 && crm == 14);
	return crn == 14 && op1 == 3 && crm >= 8;
}

static void trap_sysreg(struct vcpu *v)
{
	uint64_t iss = ESR_ISS(v->esr);
	unsigned rt = (unsigned)(iss >> 5 & 31);

	if (idreg_trap(v, iss) || ptimer_trap(v, iss))
		return;
	if ((iss & ISS_SYSREG_MASK) == ISS_ICC_SGI1R && !(iss & 1) && v->vm->vgic.on) {
		vgic_sgi(v, rt == 31 ? 0 : v->regs.x[rt]);
		vcpu_skip_instruction(v);
		return;
	}
	/*
	 * Op0 = 2: the debug registers MDCR_EL2 traps (cpu.c), and the PMU's.
	 * They are the physical CPU's, so the guest gets none: reads as zero,
	 * writes ignored. Linux writes MDSCR_EL1, OSLAR_EL1 and the
	 * breakpoint registers at boot and runs on without debug support; it
	 * leaves the PMU alone, which the ID registers say is not there.
	 */
	if ((iss >> 20 & 3) == 2 || is_pmu_register(iss)) {
		if ((iss & 1) && rt != 31)
			v->regs.x[rt] = 0;
		vcpu_skip_instruction(v);
		return;
	}

	hv_vm_stop(v->vm, "%s of system register S%u_%u_C%u_C%u_%u is not available to guests (pc %#llx)",
		(iss & 1) ? "MRS" : "MSR", (unsigned)(iss >> 20 & 3), (unsigned)(iss >> 14 & 7),
		(unsigned)(iss >> 10 & 15), (unsigned)(iss >> 1 & 15), (unsigned)(iss >> 17 & 7),
		(unsigned long long)v->regs.pc);
}

/*
 * SVE and SME are given to guests where the CPU has them (cpu.c), so these
 * trap only where they stay trapped: SME on a CPU with SME but no SVE
 * (CPTR_EL2.TSM), where the ID registers guests read say there is none
 * (idreg.c). A guest that uses it anyway is stopped here, with the reason.
 * Without FEAT_SVE / FEAT_SME their instructions are UNDEFINED at EL1 and
 * never reach EL2.
 */
static void trap_sve_sme(struct vcpu *v)
{
	bool sve = ESR_EC(v->esr) == EC_SVE;

	hv_vm_stop(v->vm, "%s instruction or register access trapped by CPTR_EL2.%s: %s is not "
			  "available to guests (pc %#llx)",
		   sve ? "SVE" : "SME", sve ? "TZ" : "TSM", sve ? "SVE" : "SME",
		   (unsigned long long)v->regs.pc);
}

static void count(struct vcpu *v, enum hv_trap_class c)
{
	__atomic_fetch_add(&v->vm->traps[c], 1, __ATOMIC_RELAXED);
}

/*
 * A first touch also zeroes and maps the rest of its aligned window that is
 * still deferred: a guest that touches a page soon touches its neighbours
 * (Linux's boot: BENCHMARKS.md, linux), and one exit then stands for up to
 * 16 first touches. DC ZVA (frames.c) makes the extra zeroing cheap.
 */
#define HV_TOUCH_WINDOW (64u * 1024)

/*
 * The first touch of a leaf of guest RAM whose zeroing is deferred
 * (hv_vm_create): zeroes and maps the leaf (and its window's), and counts
 * the exit as "RAM touch" instead of the abort class trap_handle counted.
 * True when ipa is RAM, present now, so the access is retried; false when
 * nothing is mapped there. hv->lock held.
 */
static bool touch_ram(struct vcpu *v, enum hv_trap_class counted, uint64_t ipa)
{
	if (FSC_TYPE(ISS_FSC(ESR_ISS(v->esr))) != FSC_TRANSLATION ||
	    vmcfg_aspace_fault_in_around(&v->vm->vm->aspace, ipa, HV_TOUCH_WINDOW, NULL))
		return false;
	stage2_mapped();
	__atomic_fetch_sub(&v->vm->traps[counted], 1, __ATOMIC_RELAXED);
	count(v, HV_TRAP_RAM_TOUCH);
	return true;
}

/* Instruction fetches: guest RAM is mapped executable, device windows never are. */
static void trap_iabt(struct vcpu *v)
{
	struct hv_vm *hv = v->vm;
	uint64_t ipa = fault_ipa(v);
	const struct vmcfg_vm_bus_entry *dev;

	spin_lock(&hv->lock);
	dev = vmcfg_vm_bus_find(&hv->vm->bus, VMCFG_VM_BUS_MMIO, ipa);
	if (dev && (ESR_ISS(v->esr) & ISS_DABT_S1PTW))
		hv_vm_stop_locked(hv, "stage-1 page-table walk (instruction fetch) at IPA %#llx "
				      "(%s): a device window holds no tables (pc %#llx)",
				  (unsigned long long)ipa, dev->name, (unsigned long long)v->regs.pc);
	else if (dev)
		hv_vm_stop_locked(hv, "instruction fetch from IPA %#llx (%s): a device window "
				      "is never executable (pc %#llx)",
				  (unsigned long long)ipa, dev->name, (unsigned long long)v->regs.pc);
	else if (!touch_ram(v, HV_TRAP_IABT, ipa))
		hv_vm_stop_locked(hv, "instruction fetch from IPA %#llx: %s (pc %#llx)",
				  (unsigned long long)ipa, fsc_name(ISS_FSC(ESR_ISS(v->esr))),
				  (unsigned long long)v->regs.pc);
	spin_unlock(&hv->lock);
}

/* Completes an emulated load: sign-extension (SSE) and register width (SF). */
static uint64_t load_result(uint64_t iss, uint64_t value, unsigned size)
{
	if ((iss & ISS_DABT_SSE) && size < 8) {
		unsigned shift = 64 - 8 * size;

		value = (uint64_t)((int64_t)(value << shift) >> shift);
	}
	return iss & ISS_DABT_SF ? value : (uint32_t)value;
}

/* Performs a decoded (ISV = 1) access on dev through the VM's bus; hv->lock held. */
static void emulate(struct vcpu *v, const struct vmcfg_vm_bus_entry *dev, uint64_t ipa)
{
	struct hv_vm *hv = v->vm;
	uint64_t iss = ESR_ISS(v->esr), value = 0;
	unsigned size = 1u << ISS_DABT_SAS(iss), srt = ISS_DABT_SRT(iss);
	bool write = iss & ISS_DABT_WNR;
	int err;

	if (write && srt != 31) /* register 31 is XZR here: stores zero */
		value = size == 8 ? v->regs.x[srt] : v->regs.x[srt] & ((1ull << (8 * size)) - 1);
	err = write ? vmcfg_vm_mmio_write(hv->vm, ipa, size, value)
		    : vmcfg_vm_mmio_read(hv->vm, ipa, size, &value);
	if (err) {
		hv_vm_stop_locked(hv, "%u-byte %s at IPA %#llx (%s + %#llx): %s (pc %#llx)", size,
				  access_name(write), (unsigned long long)ipa, dev->name,
				  (unsigned long long)(ipa - dev->base), vmcfg_strerror(err),
				  (unsigned long long)v->regs.pc);
		return;
	}
	if (!write && srt != 31)
		v->regs.x[srt] = load_result(iss, value, size);
	if (!write)
		console_input_refill(hv); /* a read may have drained its console's FIFO */
	vgic_device_accessed(hv, dev, ipa - dev->base, write);
	vcpu_skip_instruction(v);
}

/*
 * A stage-2 data abort. A translation fault is an access to a device window
 * (emulated through the VM's bus, lib/vm), the first touch of a RAM leaf
 * (touch_ram, whatever the access and also from a stage-1 table walk), or
 * an access to nothing. A permission fault on a write is a write to a
 * console's read shadow (lib/vm maps its registers read-only, so reads do
 * not exit), which is emulated like the others — also when the shadow was
 * removed meanwhile (console input), so the test is that a device is
 * there — or else a write to a read-only IVC channel.
 * The syndrome describes the access only when ISV = 1 (a
 * single load or store of one general register without writeback); others
 * are refused, not decoded. Other permission faults and external aborts
 * stop the VM.
 */
static void trap_dabt(struct vcpu *v)
{
	struct hv_vm *hv = v->vm;
	uint64_t iss = ESR_ISS(v->esr), ipa = fault_ipa(v);
	unsigned size = 1u << ISS_DABT_SAS(iss);
	bool write = iss & ISS_DABT_WNR;
	const struct vmcfg_vm_bus_entry *dev;
	bool permission = FSC_TYPE(ISS_FSC(iss)) == FSC_PERMISSION;

	/* lib/vm: the embedder serialises bus dispatch on one VM (its vCPUs may run at once). */
	spin_lock(&hv->lock);
	dev = vmcfg_vm_bus_find(&hv->vm->bus, VMCFG_VM_BUS_MMIO, ipa);
	if ((FSC_TYPE(ISS_FSC(iss)) != FSC_TRANSLATION &&
	     !(permission && write && dev && !(iss & ISS_DABT_S1PTW))) ||
	    (iss & ISS_DABT_EA)) {
		hv_vm_stop_locked(hv, "%s at IPA %#llx: %s (DFSC %#x, pc %#llx)", access_name(write),
				  (unsigned long long)ipa, fsc_name(ISS_FSC(iss)),
				  (unsigned)ISS_FSC(iss), (unsigned long long)v->regs.pc);
	} else if (!dev && touch_ram(v, HV_TRAP_DABT, ipa)) {
		/* retried */
	} else if (iss & ISS_DABT_S1PTW) {
		hv_vm_stop_locked(hv, "stage-1 page-table walk at IPA %#llx: not guest RAM "
				      "(pc %#llx)",
				  (unsigned long long)ipa, (unsigned long long)v->regs.pc);
	} else if (!(iss & ISS_DABT_ISV)) {
		if (dev)
			hv_vm_stop_locked(hv, "%s at IPA %#llx (%s): the instruction cannot be "
					      "emulated (ISV=0: a load/store pair, writeback, "
					      "atomic or SIMD access; use single ldr/str) (pc %#llx)",
					  access_name(write), (unsigned long long)ipa, dev->name,
					  (unsigned long long)v->regs.pc);
		else
			hv_vm_stop_locked(hv, "%s at IPA %#llx: no memory or device there (pc %#llx)",
					  access_name(write), (unsigned long long)ipa,
					  (unsigned long long)v->regs.pc);
	} else if (!dev) {
		hv_vm_stop_locked(hv, "%u-byte %s at IPA %#llx: no memory or device there "
				      "(pc %#llx)",
				  size, access_name(write), (unsigned long long)ipa,
				  (unsigned long long)v->regs.pc);
	} else {
		emulate(v, dev, ipa);
	}
	spin_unlock(&hv->lock);
}

static trap_fn *const sync_handlers[64] = {
	[EC_WFX] = trap_wfx,
	[EC_HVC64] = trap_hvc,
	[EC_SMC64] = trap_smc,
	[EC_SYSREG] = trap_sysreg,
	[EC_SVE] = trap_sve_sme,
	[EC_SME] = trap_sve_sme,
	[EC_IABT_LOW] = trap_iabt,
	[EC_DABT_LOW] = trap_dabt,
};

static const enum hv_trap_class sync_classes[64] = {
	[EC_WFX] = HV_TRAP_WFX,
	[EC_HVC64] = HV_TRAP_HVC,
	[EC_SMC64] = HV_TRAP_SMC,
	[EC_SYSREG] = HV_TRAP_SYSREG,
	[EC_IABT_LOW] = HV_TRAP_IABT,
	[EC_DABT_LOW] = HV_TRAP_DABT,
};

const char *const hv_arch_trap_names[HV_TRAP_CLASSES] = {
	[HV_TRAP_SYNC_OTHER] = "other sync",
	[HV_TRAP_WFX] = "WFx",
	[HV_TRAP_HVC] = "HVC",
	[HV_TRAP_SMC] = "SMC",
	[HV_TRAP_SYSREG] = "MSR/MRS",
	[HV_TRAP_IABT] = "IABT",
	[HV_TRAP_DABT] = "DABT (MMIO)",
	[HV_TRAP_RAM_TOUCH] = "RAM touch",
	[HV_TRAP_IRQ_SLICE] = "IRQ slice",
	[HV_TRAP_IRQ_VTIMER] = "IRQ vtimer",
	[HV_TRAP_IRQ_PTIMER] = "IRQ ptimer",
	[HV_TRAP_IRQ_OTHER] = "IRQ other",
	[HV_TRAP_SERROR] = "SError",
};

void trap_handle(struct vcpu *v, uint64_t kind)
{
	trap_fn *fn;
	uint32_t intid;

	switch (kind) {
	case GUEST_EXIT_SYNC:
		count(v, sync_classes[ESR_EC(v->esr)]);
		fn = sync_handlers[ESR_EC(v->esr)];
		if (fn)
			fn(v);
		else
			hv_vm_stop(v->vm, "unhandled exception class %#llx (ESR_EL2 %#llx, pc %#llx)",
				(unsigned long long)ESR_EC(v->esr), (unsigned long long)v->esr,
				(unsigned long long)v->regs.pc);
		break;
	case GUEST_EXIT_IRQ:
		/*
		 * The interrupts gic.c enables: the slice timer ends the slice; the
		 * vCPU's virtual timer, left active, is injected (vgic.c); a kick or
		 * maintenance interrupt only had to make the vCPU exit, so the next
		 * entry refills its list registers.
		 */
		switch ((intid = gic_take_irq())) {
		case GIC_INTID_CNTHP:
			count(v, HV_TRAP_IRQ_SLICE);
			v->yield = true;
			break;
		case GIC_INTID_VTIMER:
			count(v, HV_TRAP_IRQ_VTIMER);
			vgic_vtimer_fired(v);
			break;
		case GIC_INTID_PTIMER:
			count(v, HV_TRAP_IRQ_PTIMER);
			ptimer_fired(v);
			break;
		default:
			count(v, HV_TRAP_IRQ_OTHER);
			if (gic_is_spi(intid))
				gic_spi_fired(intid); /* a passed-through device's, or console input */
			break;
		}
		break;
	case GUEST_EXIT_SERROR:
		count(v, HV_TRAP_SERROR);
		hv_vm_stop(v->vm, "SError (ESR_EL2 %#llx, pc %#llx)", (unsigned long long)v->esr,
			(unsigned long long)v->regs.pc);
		break;
	default:
		/* Nothing is configured as Group 0 (FIQ): this is the hypervisor's own bug. */
		hv_panic("physical FIQ while vm '%s' ran, but no FIQ source is enabled",
			 v->vm->vm->name);
	}
}

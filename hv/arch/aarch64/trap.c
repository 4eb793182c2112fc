/*
 * Guest exits by exception class (Arm ARM D19.2 ESR_EL2, "Exception Class").
 * Whatever a guest does ends here as "handled" or "its VM stopped with a
 * report"; nothing a guest does reaches hv_panic.
 */
#include "arch/aarch64/trap.h"
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

/* WFI/WFE: nothing else can run on this CPU yet, so the vCPU simply continues. */
static void trap_wfx(struct vcpu *v)
{
	vcpu_skip_instruction(v);
}

/* HVC: ELR_EL2 already points after the instruction. */
static void trap_hvc(struct vcpu *v)
{
	vpsci_call(v);
}

/* SMC trapped by HCR_EL2.TSC: ELR_EL2 points at the SMC itself. */
static void trap_smc(struct vcpu *v)
{
	vcpu_skip_instruction(v);
	vpsci_call(v);
}

/* MSR/MRS trapped by TIDCP, TACR or CNTHCTL_EL2 (ISS: Op0 Op2 Op1 CRn Rt CRm Direction). */
static void trap_sysreg(struct vcpu *v)
{
	uint64_t iss = ESR_ISS(v->esr);

	vm_stop(v->vm, "%s of system register S%u_%u_C%u_C%u_%u is not available to guests (pc %#llx)",
		(iss & 1) ? "MRS" : "MSR", (unsigned)(iss >> 20 & 3), (unsigned)(iss >> 14 & 7),
		(unsigned)(iss >> 10 & 15), (unsigned)(iss >> 1 & 15), (unsigned)(iss >> 17 & 7),
		(unsigned long long)v->regs.pc);
}

static void trap_iabt(struct vcpu *v)
{
	vm_stop(v->vm, "instruction fetch from IPA %#llx: %s (pc %#llx)",
		(unsigned long long)fault_ipa(v), fsc_name(ISS_FSC(ESR_ISS(v->esr))),
		(unsigned long long)v->regs.pc);
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

/*
 * A stage-2 data abort. Guest RAM is always mapped, so a translation fault
 * is an access to a device window (emulated through the VM's MMIO bus) or
 * to nothing. The syndrome describes the access only when ISV = 1 (a single
 * load or store of one general register without writeback); others are
 * refused, not decoded.
 */
static void trap_dabt(struct vcpu *v)
{
	uint64_t iss = ESR_ISS(v->esr), ipa = fault_ipa(v), value = 0;
	unsigned size = 1u << ISS_DABT_SAS(iss), srt = ISS_DABT_SRT(iss);
	bool write = iss & ISS_DABT_WNR;
	const struct mmio_window *win;
	int err;

	if (FSC_TYPE(ISS_FSC(iss)) != FSC_TRANSLATION || (iss & ISS_DABT_EA)) {
		vm_stop(v->vm, "%s at IPA %#llx: %s (DFSC %#x, pc %#llx)", access_name(write),
			(unsigned long long)ipa, fsc_name(ISS_FSC(iss)), (unsigned)ISS_FSC(iss),
			(unsigned long long)v->regs.pc);
		return;
	}
	if (iss & ISS_DABT_S1PTW) {
		vm_stop(v->vm, "stage-1 page-table walk at IPA %#llx: not guest RAM (pc %#llx)",
			(unsigned long long)ipa, (unsigned long long)v->regs.pc);
		return;
	}
	if (!(iss & ISS_DABT_ISV)) {
		win = mmio_bus_find(&v->vm->bus, ipa);
		if (win)
			vm_stop(v->vm, "%s at IPA %#llx (%s): the instruction cannot be emulated "
				       "(ISV=0: a load/store pair, writeback or SIMD access; "
				       "use single ldr/str) (pc %#llx)",
				access_name(write), (unsigned long long)ipa, win->name,
				(unsigned long long)v->regs.pc);
		else
			vm_stop(v->vm, "%s at IPA %#llx: no memory or device there (pc %#llx)",
				access_name(write), (unsigned long long)ipa,
				(unsigned long long)v->regs.pc);
		return;
	}

	if (write && srt != 31) /* register 31 is XZR here: stores zero */
		value = size == 8 ? v->regs.x[srt] : v->regs.x[srt] & ((1ull << (8 * size)) - 1);
	err = mmio_bus_access(&v->vm->bus, ipa, size, write, &value, &win);
	if (err == VMCFG_ENOENT) {
		vm_stop(v->vm, "%u-byte %s at IPA %#llx: no memory or device there (pc %#llx)",
			size, access_name(write), (unsigned long long)ipa,
			(unsigned long long)v->regs.pc);
		return;
	}
	if (err) {
		vm_stop(v->vm, "%u-byte %s at IPA %#llx (%s + %#llx): %s (pc %#llx)", size,
			access_name(write), (unsigned long long)ipa, win->name,
			(unsigned long long)(ipa - win->base), vmcfg_strerror(err),
			(unsigned long long)v->regs.pc);
		return;
	}
	if (!write && srt != 31)
		v->regs.x[srt] = load_result(iss, value, size);
	vcpu_skip_instruction(v);
}

static trap_fn *const sync_handlers[64] = {
	[EC_WFX] = trap_wfx,
	[EC_HVC64] = trap_hvc,
	[EC_SMC64] = trap_smc,
	[EC_SYSREG] = trap_sysreg,
	[EC_IABT_LOW] = trap_iabt,
	[EC_DABT_LOW] = trap_dabt,
};

void trap_handle(struct vcpu *v, uint64_t kind)
{
	trap_fn *fn;

	switch (kind) {
	case GUEST_EXIT_SYNC:
		fn = sync_handlers[ESR_EC(v->esr)];
		if (fn)
			fn(v);
		else
			vm_stop(v->vm, "unhandled exception class %#llx (ESR_EL2 %#llx, pc %#llx)",
				(unsigned long long)ESR_EC(v->esr), (unsigned long long)v->esr,
				(unsigned long long)v->regs.pc);
		break;
	case GUEST_EXIT_SERROR:
		vm_stop(v->vm, "SError (ESR_EL2 %#llx, pc %#llx)", (unsigned long long)v->esr,
			(unsigned long long)v->regs.pc);
		break;
	default:
		/* The hypervisor enables no interrupt source yet: this is its own bug. */
		hv_panic("physical %s while vm '%s' ran, but no interrupt is enabled",
			 kind == GUEST_EXIT_IRQ ? "IRQ" : "FIQ", v->vm->name);
	}
}

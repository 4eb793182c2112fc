/* SPDX-License-Identifier: MIT */
/*
 * Guest exits by scause (RISC-V Privileged 8.6: traps from V = 1). Whatever
 * a guest does ends here as "handled" or "its VM stopped with a report";
 * nothing a guest does reaches hv_panic.
 */
#include "arch/riscv64/csr.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/trap.h"
#include "core/arch.h"
#include "core/console.h"
#include "core/console_input.h"
#include "core/vm.h"

/* WFI's encoding: a virtual-instruction trap with stval = this is the guest waiting. */
#define INSN_WFI 0x10500073u

static void count(struct vcpu *v, enum hv_trap_class c)
{
	__atomic_fetch_add(&v->vm->traps[c], 1, __ATOMIC_RELAXED);
}

const char *const hv_arch_trap_names[HV_TRAP_CLASSES] = {
	[HV_TRAP_SYNC_OTHER] = "other sync",
	[HV_TRAP_WFX] = "WFI",
	[HV_TRAP_HVC] = "SBI ecall",
	[HV_TRAP_SYSREG] = "virtual instruction",
	[HV_TRAP_IABT] = "fetch guest-page fault",
	[HV_TRAP_DABT] = "load/store guest-page fault (MMIO)",
	[HV_TRAP_RAM_TOUCH] = "RAM touch",
	[HV_TRAP_IRQ_SLICE] = "IRQ timer",
	[HV_TRAP_IRQ_OTHER] = "IRQ kick or device",
};

/* A decoded guest load or store. */
struct access {
	bool store;
	bool sign;     /* loads narrower than 64 bits: sign-extend */
	unsigned size; /* bytes */
	unsigned reg;  /* rd of a load, rs2 of a store */
	unsigned len;  /* bytes of the instruction (2 compressed, 4) */
};

/*
 * Decodes a load or store (RV64I LB..LD, LBU..LWU, SB..SD; RVC C.LW, C.LD,
 * C.SW, C.SD and their SP-relative forms). False for anything else: an
 * FP, atomic or vector access to a device is not emulated.
 */
static bool decode(uint32_t insn, struct access *a)
{
	if ((insn & 3) != 3) {
		unsigned f3 = insn >> 13 & 7, op = insn & 3;

		a->len = 2;
		a->sign = true;
		if (op == 0 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {
			a->store = f3 >= 6;
			a->size = (f3 & 1) ? 8 : 4;
			a->reg = (insn >> 2 & 7) + 8; /* rd' / rs2' */
			return true;
		}
		if (op == 2 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {
			a->store = f3 >= 6;
			a->size = (f3 & 1) ? 8 : 4;
			a->reg = a->store ? (insn >> 2 & 31) : (insn >> 7 & 31);
			return true;
		}
		return false;
	}
	a->len = 4;
	switch (insn & 0x7f) {
	case 0x03: { /* LOAD */
		unsigned f3 = insn >> 12 & 7;

		if (f3 == 7)
			return false;
		a->store = false;
		a->size = 1u << (f3 & 3);
		a->sign = !(f3 & 4);
		a->reg = insn >> 7 & 31;
		return true;
	}
	case 0x23: { /* STORE */
		unsigned f3 = insn >> 12 & 7;

		if (f3 > 3)
			return false;
		a->store = true;
		a->size = 1u << f3;
		a->reg = insn >> 20 & 31;
		return true;
	}
	default:
		return false;
	}
}

/*
 * The instruction that faulted: from htinst when the hart wrote a
 * transformed one there (bit 0 set; bit 1 clear means the original was
 * compressed, Privileged 8.6.3), else read at sepc through the guest's own
 * translation with HLVX (QEMU 7.2 leaves htinst 0 for loads and stores),
 * a halfword at a time so that a 4-byte instruction may straddle a page.
 * 0 when that read faults.
 */
static uint32_t faulting_insn(struct vcpu *v, bool *compressed)
{
	uint64_t lo, hi = 0, faulted;

	if (v->htinst & 1) {
		*compressed = !(v->htinst & 2);
		return (uint32_t)v->htinst | 2;
	}
	*compressed = false;
	lo = guest_fetch_hu(v->regs.sepc, &faulted);
	if (faulted)
		return 0;
	if ((lo & 3) == 3) {
		hi = guest_fetch_hu(v->regs.sepc + 2, &faulted);
		if (faulted)
			return 0;
	}
	return (uint32_t)(lo | hi << 16);
}

/*
 * The first touch of a leaf of guest RAM whose zeroing is deferred: zeroes
 * and maps it (lib/mm), counted as "RAM touch" instead of the fault class.
 * True when the access is to be retried; false when gpa is no RAM, or RAM
 * the access is not permitted on (a store to a read-only IVC channel).
 * hv->lock held.
 */
static bool touch_ram(struct vcpu *v, enum hv_trap_class counted, uint64_t gpa, uint32_t need)
{
	struct vmcfg_translation t;

	if (vmcfg_aspace_translate(&v->vm->vm->aspace, gpa, &t) || (t.flags & need) != need)
		return false;
	if (!t.present && vmcfg_aspace_fault_in(&v->vm->vm->aspace, gpa))
		return false;
	/* Invalid → valid needs no TLB maintenance; no hart may still hold the invalid entry. */
	hv_arch_stage2_mapped();
	__atomic_fetch_sub(&v->vm->traps[counted], 1, __ATOMIC_RELAXED);
	count(v, HV_TRAP_RAM_TOUCH);
	return true;
}

static uint64_t sign_extend(uint64_t value, unsigned size)
{
	unsigned shift = 64 - 8 * size;

	return size < 8 ? (uint64_t)((int64_t)(value << shift) >> shift) : value;
}

/* A guest-page fault (cause 20, 21, 23): RAM's first touch, an MMIO access, or a stop. */
static void guest_page_fault(struct vcpu *v)
{
	struct hv_vm *hv = v->vm;
	uint64_t gpa = v->htval << 2 | (v->stval & 3), pc = v->regs.sepc;
	bool fetch = v->scause == EXC_INST_GUEST_PAGE, store = v->scause == EXC_STORE_GUEST_PAGE;
	enum hv_trap_class cls = fetch ? HV_TRAP_IABT : HV_TRAP_DABT;
	uint32_t need = fetch ? VMCFG_MEM_EXECUTE : store ? VMCFG_MEM_WRITE : VMCFG_MEM_READ;
	const char *what = fetch ? "instruction fetch" : store ? "write" : "read";
	const struct vmcfg_vm_bus_entry *dev;
	struct access a;
	bool compressed;
	uint32_t insn;

	/* lib/vm: the embedder serialises bus dispatch and table changes per VM. */
	spin_lock(&hv->lock);
	dev = vmcfg_vm_bus_find(&hv->vm->bus, VMCFG_VM_BUS_MMIO, gpa);
	if (!dev && touch_ram(v, cls, gpa, need)) {
		/* retried */
	} else if (!dev) {
		struct vmcfg_translation t;
		bool mapped = !vmcfg_aspace_translate(&hv->vm->aspace, gpa, &t);

		hv_vm_stop_locked(hv, "%s at GPA %#llx: %s (pc %#llx)", what, (unsigned long long)gpa,
				  mapped ? "not permitted by its G-stage mapping"
					 : "no memory or device there",
				  (unsigned long long)pc);
	} else if (fetch) {
		hv_vm_stop_locked(hv, "instruction fetch from GPA %#llx (%s): a device window is "
				      "never executable (pc %#llx)",
				  (unsigned long long)gpa, dev->name, (unsigned long long)pc);
	} else if (v->htinst && !(v->htinst & 1)) {
		/* A pseudo-instruction: the guest's own page-table walk touched the device. */
		hv_vm_stop_locked(hv, "VS-stage page-table walk at GPA %#llx (%s): a device window "
				      "holds no tables (pc %#llx)",
				  (unsigned long long)gpa, dev->name, (unsigned long long)pc);
	} else if (!(insn = faulting_insn(v, &compressed)) || !decode(insn, &a) ||
		   a.store != store) {
		hv_vm_stop_locked(hv, "%s at GPA %#llx (%s): the instruction (%#x) cannot be "
				      "emulated: use a single integer load or store (pc %#llx)",
				  what, (unsigned long long)gpa, dev->name, insn,
				  (unsigned long long)pc);
	} else {
		uint64_t value = a.store ? v->regs.x[a.reg] : 0;
		int err;

		if (compressed)
			a.len = 2;
		if (a.store && a.size < 8)
			value &= (1ull << (8 * a.size)) - 1;
		err = a.store ? vmcfg_vm_mmio_write(hv->vm, gpa, a.size, value)
			      : vmcfg_vm_mmio_read(hv->vm, gpa, a.size, &value);
		if (err) {
			hv_vm_stop_locked(hv, "%u-byte %s at GPA %#llx (%s + %#llx): %s (pc %#llx)",
					  a.size, what, (unsigned long long)gpa, dev->name,
					  (unsigned long long)(gpa - dev->base), vmcfg_strerror(err),
					  (unsigned long long)pc);
		} else {
			if (!a.store && a.reg)
				v->regs.x[a.reg] = a.sign ? sign_extend(value, a.size) : value;
			v->regs.sepc += a.len;
			if (!a.store)
				console_input_refill(hv); /* a read may have drained its console's FIFO */
			vplic_device_accessed(hv, dev);
		}
	}
	spin_unlock(&hv->lock);
}

/* A virtual-instruction trap: WFI waits; anything else the guest may not do stops it. */
static void virtual_instruction(struct vcpu *v)
{
	if (v->stval == INSN_WFI) {
		count(v, HV_TRAP_WFX);
		v->regs.sepc += 4;
		vcpu_wait(v);
		return;
	}
	count(v, HV_TRAP_SYSREG);
	hv_vm_stop(v->vm, "instruction %#llx is not available to guests (virtual-instruction "
			  "trap, pc %#llx)",
		   (unsigned long long)v->stval, (unsigned long long)v->regs.sepc);
}

static const char *exception_name(uint64_t cause)
{
	switch (cause) {
	case EXC_INST_ACCESS:
		return "instruction access fault";
	case EXC_LOAD_ACCESS:
		return "load access fault";
	case EXC_STORE_ACCESS:
		return "store access fault";
	default:
		return "exception";
	}
}

void trap_handle(struct vcpu *v)
{
	if (v->scause & SCAUSE_IRQ) {
		switch (v->scause & ~SCAUSE_IRQ) {
		case IRQ_S_TIMER:
			count(v, HV_TRAP_IRQ_SLICE);
			/* Its STIP stays until the next SBI set_timer: arm afresh at the next entry. */
			this_cpu()->timer_armed = 0;
			if (rdtime() >= this_cpu()->slice_end)
				v->yield = true;
			break;
		case IRQ_S_SOFT:
			count(v, HV_TRAP_IRQ_OTHER);
			csr_clear(sip, SIP_SSIP); /* a kick: the next entry sees what changed */
			break;
		case IRQ_S_EXT:
			count(v, HV_TRAP_IRQ_OTHER);
			plic_handle();
			break;
		default:
			count(v, HV_TRAP_IRQ_OTHER);
			break;
		}
		return;
	}
	switch (v->scause) {
	case EXC_ECALL_VS:
		count(v, HV_TRAP_HVC);
		vsbi_call(v);
		break;
	case EXC_INST_GUEST_PAGE:
	case EXC_LOAD_GUEST_PAGE:
	case EXC_STORE_GUEST_PAGE:
		count(v, v->scause == EXC_INST_GUEST_PAGE ? HV_TRAP_IABT : HV_TRAP_DABT);
		guest_page_fault(v);
		break;
	case EXC_VIRTUAL_INST:
		virtual_instruction(v);
		break;
	default:
		count(v, HV_TRAP_SYNC_OTHER);
		hv_vm_stop(v->vm, "%s (scause %#llx, stval %#llx, pc %#llx)",
			   exception_name(v->scause), (unsigned long long)v->scause,
			   (unsigned long long)v->stval, (unsigned long long)v->regs.sepc);
		break;
	}
}

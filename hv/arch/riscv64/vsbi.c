/* SPDX-License-Identifier: MIT */
/*
 * The SBI as a guest sees it (RISC-V SBI specification v2.0): an ecall
 * from VS-mode with the extension id in a7, the function id in a6 and the
 * arguments in a0-a5; the error goes to a0 and the value to a1. The
 * hypervisor implements, for the VM itself: BASE, TIME, IPI, RFENCE, HSM
 * (a guest's harts are its vCPUs, named by the hart ids lib/vm gives them
 * from phys_cpu_ids), SRST (shutdown and reboot of the VM alone, as PSCI
 * on aarch64), DBCN and the legacy extensions, and the reference's
 * hypercall extension 0x485643 for IVC. Anything else, and every function
 * id it does not know, returns SBI_ERR_NOT_SUPPORTED.
 */
#include "arch/riscv64/csr.h"
#include "arch/riscv64/sbi.h"
#include "arch/riscv64/trap.h"
#include "core/arch.h"
#include "core/console_input.h"
#include "core/ivc.h"
#include "core/libc.h"
#include "core/vm.h"

#define SBI_SPEC_VERSION (2ul << 24) /* v2.0 */
#define SBI_IMPL_ID 0x766d6366ul     /* "vmcf": not a registered implementation id */
#define HSM_STARTED 0
#define HSM_STOPPED 1
#define DBCN_MAX 256 /* bytes of one DBCN write the hypervisor reads at a time */

static void ret(struct vcpu *v, long error, long value)
{
	v->regs.x[10] = (uint64_t)error;
	v->regs.x[11] = (uint64_t)value;
}

/* The vCPU of vm whose hart id is hartid, or NULL. */
static struct vcpu *find_hart(struct hv_vm *vm, uint64_t hartid)
{
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		if (vm->vcpus[i].hartid == hartid)
			return &vm->vcpus[i];
	return NULL;
}

static bool ext_known(uint64_t ext)
{
	switch (ext) {
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_HSM:
	case SBI_EXT_SRST:
	case SBI_EXT_DBCN:
	case SBI_EXT_HVC:
		return true;
	default:
		return ext <= SBI_EXT_LEGACY_SHUTDOWN;
	}
}

static void base(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
	switch (fid) {
	case 0: ret(v, SBI_SUCCESS, (long)SBI_SPEC_VERSION); break;
	case 1: ret(v, SBI_SUCCESS, (long)SBI_IMPL_ID); break;
	case 2: ret(v, SBI_SUCCESS, 1); break;
	case 3: ret(v, SBI_SUCCESS, ext_known(a[0])); break;
	case 4: case 5: case 6: ret(v, SBI_SUCCESS, 0); break; /* mvendorid, marchid, mimpid */
	default: ret(v, SBI_ERR_NOT_SUPPORTED, 0); break;
	}
}

/* TIME set_timer: the vCPU's timer; a new deadline takes the pending interrupt back. */
static void set_timer(struct vcpu *v, uint64_t deadline)
{
	vcpu_set_timer(v, deadline);
}

/* The vCPUs a hart mask names (SBI 3.1: hart_mask_base -1 = all), each given bits. */
static long for_harts(struct vcpu *v, uint64_t mask, uint64_t mask_base, uint64_t bits)
{
	struct hv_vm *vm = v->vm;

	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *t = &vm->vcpus[i];
		uint64_t h = t->hartid;

		if (mask_base != (uint64_t)-1 && (h < mask_base || h - mask_base >= 64 ||
						  !(mask >> (h - mask_base) & 1)))
			continue;
		if (bits == HVIP_VSSIP) {
			vcpu_post(t, HVIP_VSSIP);
		} else {
			/* RFENCE: drop its VS-stage translations before it runs again. */
			__atomic_store_n(&t->fence_pending, 1u, __ATOMIC_RELEASE);
			if (t != v && t->pcpu != v->pcpu)
				hv_arch_kick(t->pcpu);
		}
	}
	if (bits != HVIP_VSSIP)
		hfence_vvma_all(); /* the caller's own, at once */
	return SBI_SUCCESS;
}

/* HSM hart_start: the target starts at addr with a0 = its hart id, a1 = opaque. */
static long hart_start(struct vcpu *v, uint64_t hartid, uint64_t addr, uint64_t opaque)
{
	switch (hv_vm_vcpu_start(v->vm, find_hart(v->vm, hartid), addr, opaque)) {
	case HV_VCPU_STARTED:
		return SBI_SUCCESS;
	case HV_VCPU_ALREADY_ON:
		return SBI_ERR_ALREADY_AVAILABLE;
	default:
		return SBI_ERR_INVALID_PARAM;
	}
}

static void hsm(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
	struct vcpu *t;

	switch (fid) {
	case 0:
		ret(v, hart_start(v, a[0], a[1], a[2]), 0);
		break;
	case 1:
		hv_vm_vcpu_stop(v, "its last hart called SBI HSM hart_stop");
		break;
	case 2:
		t = find_hart(v->vm, a[0]);
		if (!t)
			ret(v, SBI_ERR_INVALID_PARAM, 0);
		else
			ret(v, SBI_SUCCESS,
			    __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == VCPU_OFF ? HSM_STOPPED
										 : HSM_STARTED);
		break;
	case 3:
		/* Retentive suspend (type 0) is a WFI; the non-retentive kinds are not offered. */
		if (a[0] == 0) {
			ret(v, SBI_SUCCESS, 0);
			vcpu_wait(v);
		} else {
			ret(v, (a[0] & 0x80000000u) ? SBI_ERR_NOT_SUPPORTED : SBI_ERR_INVALID_PARAM, 0);
		}
		break;
	default:
		ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		break;
	}
}

/* SRST system_reset: shutdown ends the VM, a cold or warm reboot resets it alone. */
static void srst(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
	if (fid != 0) {
		ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		return;
	}
	switch (a[0]) {
	case 0:
		hv_vm_power_off(v->vm, "SBI SRST shutdown");
		break;
	case 1:
	case 2:
		hv_vm_request_reset(v->vm);
		break;
	default:
		ret(v, SBI_ERR_INVALID_PARAM, 0);
		break;
	}
}

/*
 * DBCN read: up to num bytes of console input (console_input.h) to the
 * guest physical address base; the count read, 0 when none waits.
 */
static void dbcn_read(struct vcpu *v, uint64_t num, uint64_t base_lo, uint64_t base_hi)
{
	char buf[DBCN_MAX];
	size_t n = 0;
	int c, err;

	if (base_hi) {
		ret(v, SBI_ERR_INVALID_PARAM, 0);
		return;
	}
	spin_lock(&v->vm->lock);
	while (n < num && n < sizeof buf && (c = console_input_getc(v->vm)) >= 0)
		buf[n++] = (char)c;
	/* Bytes read into a buffer that is not the guest's RAM are lost: its own doing. */
	err = n ? vmcfg_aspace_write(&v->vm->vm->aspace, base_lo, buf, n) : 0;
	spin_unlock(&v->vm->lock);
	if (err)
		ret(v, SBI_ERR_INVALID_PARAM, 0);
	else
		ret(v, SBI_SUCCESS, (long)n);
}

/* DBCN write: num bytes at the guest physical address base (not a virtual one: SBI 12.1). */
static void dbcn_write(struct vcpu *v, uint64_t num, uint64_t base_lo, uint64_t base_hi)
{
	char buf[DBCN_MAX];
	size_t n = num < sizeof buf ? (size_t)num : sizeof buf;
	int err;

	if (base_hi) {
		ret(v, SBI_ERR_INVALID_PARAM, 0);
		return;
	}
	spin_lock(&v->vm->lock);
	err = vmcfg_aspace_read(&v->vm->vm->aspace, base_lo, buf, n);
	spin_unlock(&v->vm->lock);
	if (err) {
		ret(v, SBI_ERR_INVALID_PARAM, 0);
		return;
	}
	hv_vm_console_put(v->vm, buf, n);
	ret(v, SBI_SUCCESS, (long)n); /* fewer than asked: the guest writes the rest again */
}

static void dbcn(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
	char c;

	switch (fid) {
	case 0:
		dbcn_write(v, a[0], a[1], a[2]);
		break;
	case 1:
		dbcn_read(v, a[0], a[1], a[2]);
		break;
	case 2:
		c = (char)a[0];
		hv_vm_console_put(v->vm, &c, 1);
		ret(v, SBI_SUCCESS, 0);
		break;
	default:
		ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		break;
	}
}

/*
 * The legacy extensions (SBI chapter 5): a0 is the return value and a1 is
 * left alone; putchar, getchar, timer, IPIs, fences, shutdown.
 */
static void legacy(struct vcpu *v, uint64_t ext, const uint64_t *a)
{
	char c;
	uint64_t mask = 0, mask_base = (uint64_t)-1;

	switch (ext) {
	case SBI_EXT_LEGACY_SET_TIMER:
		set_timer(v, a[0]);
		v->regs.x[10] = 0;
		break;
	case SBI_EXT_LEGACY_PUTCHAR:
		c = (char)a[0];
		hv_vm_console_put(v->vm, &c, 1);
		v->regs.x[10] = 0;
		break;
	case SBI_EXT_LEGACY_GETCHAR:
		v->regs.x[10] = (uint64_t)(long)console_input_getc(v->vm);
		break;
	case SBI_EXT_LEGACY_CLEAR_IPI:
		v->hvip &= ~HVIP_VSSIP;
		v->regs.x[10] = 0;
		break;
	case SBI_EXT_LEGACY_SEND_IPI:
	case SBI_EXT_LEGACY_REMOTE_FENCE_I:
	case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA:
	case SBI_EXT_LEGACY_REMOTE_SFENCE_VMA_ASID:
		/*
		 * a0 is a guest virtual address of the mask (0: every hart). It
		 * is read only with the guest's paging off; with paging on, or
		 * unreadable, every hart of the VM is the target (for an IPI: a
		 * spurious one for the harts it did not name).
		 */
		if (a[0] && !(csrn_read(CSR_VSATP) >> 60)) {
			spin_lock(&v->vm->lock);
			if (!vmcfg_aspace_read(&v->vm->vm->aspace, a[0], &mask, sizeof mask))
				mask_base = 0;
			spin_unlock(&v->vm->lock);
		}
		for_harts(v, mask, mask_base, ext == SBI_EXT_LEGACY_SEND_IPI ? HVIP_VSSIP : 0);
		v->regs.x[10] = 0;
		break;
	case SBI_EXT_LEGACY_SHUTDOWN:
		hv_vm_power_off(v->vm, "SBI legacy shutdown");
		break;
	default:
		break;
	}
}

/* The reference's hypercalls: a6 is the code (IVC: 3-6), a0-a3 the arguments, a0 the result. */
static void hypercall(struct vcpu *v, uint64_t fid, const uint64_t *a)
{
	uint64_t x[5] = { fid, a[0], a[1], a[2], a[3] };

	if (!hv_ivc_call(v, x, &v->regs.x[10]))
		ret(v, SBI_ERR_NOT_SUPPORTED, 0);
}

void vsbi_call(struct vcpu *v)
{
	uint64_t ext = v->regs.x[17], fid = v->regs.x[16], a[6];

	memcpy(a, &v->regs.x[10], sizeof a);
	/* Past the ecall first: a call that resets or restarts the vCPU sets its own sepc. */
	v->regs.sepc += 4;
	if (ext <= SBI_EXT_LEGACY_SHUTDOWN) {
		legacy(v, ext, a);
		return;
	}
	switch (ext) {
	case SBI_EXT_BASE:
		base(v, fid, a);
		break;
	case SBI_EXT_TIME:
		if (fid == 0) {
			set_timer(v, a[0]);
			ret(v, SBI_SUCCESS, 0);
		} else {
			ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		}
		break;
	case SBI_EXT_IPI:
		ret(v, fid == 0 ? for_harts(v, a[0], a[1], HVIP_VSSIP) : SBI_ERR_NOT_SUPPORTED, 0);
		break;
	case SBI_EXT_RFENCE:
		/* Every fence is done whole: a VS-stage flush of each target (and fence.i's too). */
		ret(v, fid <= 6 ? for_harts(v, a[0], a[1], 0) : SBI_ERR_NOT_SUPPORTED, 0);
		if (fid == 0)
			__asm__ volatile("fence.i" : : : "memory");
		break;
	case SBI_EXT_HSM:
		hsm(v, fid, a);
		break;
	case SBI_EXT_SRST:
		srst(v, fid, a);
		break;
	case SBI_EXT_DBCN:
		dbcn(v, fid, a);
		break;
	case SBI_EXT_HVC:
		hypercall(v, fid, a);
		break;
	default:
		ret(v, SBI_ERR_NOT_SUPPORTED, 0);
		break;
	}
}

/* SPDX-License-Identifier: MIT */
/*
 * The EL1 physical timer, emulated (Arm ARM D11.2 "The AArch64 view of the
 * Generic Timer": CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0).
 *
 * CNTHCTL_EL2.EL1PCEN = 0 (cpu.c) traps every guest access to the three
 * registers, so the vCPU's timer state lives only in struct ptimer and
 * changes only here: its interrupt output (ENABLE, !IMASK and the count
 * at or past CVAL) can fall only on a trapped write, and rises only with
 * time. So the output is a level on the vCPU's virtual PPI 30 in its vGIC
 * (vgic_ppi_line), recomputed on every write, on every load onto a CPU and
 * when the rise comes: for that the hardware EL1 physical timer, which no
 * guest can reach, is armed with the running vCPU's deadline while its
 * output is low and disarmed while it is high or the vCPU is switched out
 * (vcpu_put). Its PPI 30 taken at EL2 (gic.c, HCR_EL2.IMO) only makes this
 * file look again. A vCPU switched out keeps its deadline: loaded again
 * after it passed, its PPI is raised at once.
 *
 * Offsets: guests read the physical count untrapped (CNTHCTL_EL2.EL1PCTEN)
 * and their virtual count with CNTVOFF_EL2 = 0, so the guest's physical
 * count is the hardware's and CVAL is compared with CNTPCT_EL0 as is.
 *
 * Without a vGIC (no InterruptController device) there is no PPI to raise:
 * the registers still work and a guest can poll CNTP_CTL_EL0.ISTATUS.
 */
#include "arch/aarch64/ptimer.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vcpu.h"
#include "arch/aarch64/vgic.h"

/* CNTP_CTL_EL0: ENABLE [0], IMASK [1], ISTATUS [2] (read-only). */
#define CTL_ENABLE 1ull
#define CTL_IMASK 2ull
#define CTL_ISTATUS 4ull

/* ESR_EL2.ISS of a trapped MSR/MRS: Op0 [21:20] Op2 [19:17] Op1 [16:14] CRn [13:10] Rt [9:5] CRm [4:1] read [0]. */
#define PT_ISS_MASK 0x3ffc1eu
#define PT_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define PT_ISS_TVAL PT_ISS(3u, 3u, 14u, 2u, 0u) /* CNTP_TVAL_EL0 = S3_3_C14_C2_0 */
#define PT_ISS_CTL PT_ISS(3u, 3u, 14u, 2u, 1u)  /* CNTP_CTL_EL0 = S3_3_C14_C2_1 */
#define PT_ISS_CVAL PT_ISS(3u, 3u, 14u, 2u, 2u) /* CNTP_CVAL_EL0 = S3_3_C14_C2_2 */

/* The guest's physical count: the hardware's (offset 0, see the top). */
static uint64_t guest_count(void)
{
	isb(); /* not read ahead of the trapped access */
	return sysreg_read(cntpct_el0);
}

/* ISTATUS: enabled and the count at or past CVAL (Arm ARM D11.2.4). */
static bool condition_met(const struct ptimer *t, uint64_t now)
{
	return (t->ctl & CTL_ENABLE) && now >= t->cval;
}

/*
 * Recomputes v's interrupt output for its vGIC and arms the hardware timer
 * for the rise still to come, if any. v is the context of this CPU.
 */
static void update(struct vcpu *v)
{
	const struct ptimer *t = &v->ptimer;
	bool armed = (t->ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE;
	bool out = armed && condition_met(t, guest_count());

	vgic_ppi_line(v, PTIMER_INTID, out);
	if (armed && !out) {
		sysreg_write(cntp_cval_el0, t->cval);
		sysreg_write(cntp_ctl_el0, CTL_ENABLE);
	} else {
		sysreg_write(cntp_ctl_el0, 0);
	}
	isb();
}

bool ptimer_trap(struct vcpu *v, uint64_t iss)
{
	struct ptimer *t = &v->ptimer;
	uint32_t reg = (uint32_t)(iss & PT_ISS_MASK);
	unsigned rt = (unsigned)(iss >> 5 & 31);
	bool read = iss & 1;
	uint64_t val = read || rt == 31 ? 0 : v->regs.x[rt]; /* register 31 is XZR here */
	uint64_t now;

	if (reg != PT_ISS_TVAL && reg != PT_ISS_CTL && reg != PT_ISS_CVAL)
		return false;
	now = guest_count();
	if (read) {
		if (reg == PT_ISS_CTL)
			val = t->ctl | (condition_met(t, now) ? CTL_ISTATUS : 0);
		else if (reg == PT_ISS_CVAL)
			val = t->cval;
		else /* TimerValue: CVAL - count, 32 bits; [63:32] RES0 */
			val = (uint32_t)(t->cval - now);
		if (rt != 31)
			v->regs.x[rt] = val;
	} else {
		if (reg == PT_ISS_CTL)
			t->ctl = val & (CTL_ENABLE | CTL_IMASK);
		else if (reg == PT_ISS_CVAL)
			t->cval = val;
		else /* CVAL = count + TimerValue, sign-extended from 32 bits */
			t->cval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)val;
		update(v);
	}
	vcpu_skip_instruction(v);
	return true;
}

void ptimer_load(struct vcpu *v)
{
	update(v);
}

void ptimer_put(struct vcpu *v)
{
	(void)v; /* its state is all in v->ptimer already */
	sysreg_write(cntp_ctl_el0, 0);
	isb();
}

void ptimer_fired(struct vcpu *v)
{
	update(v);
}

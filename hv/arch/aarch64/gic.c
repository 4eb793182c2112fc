/* SPDX-License-Identifier: MIT */
/*
 * GICv3 at EL2 for the interrupts the hypervisor itself takes (Arm IHI 0069, GICv3/v4
 * Architecture Specification; register offsets and fields from its
 * chapter 12). QEMU virt runs the GIC with one Security state (GICD_CTLR.DS
 * = 1, no EL3), so Group 1 interrupts are IRQs and the hypervisor owns
 * the whole distributor.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/gic.h"
#include "arch/aarch64/vgic.h"
#include "core/console_input.h"
#include "core/panic.h"
#include "platform/qemu-virt/platform.h"

/* GICD_CTLR with DS = 1: EnableGrp1 [1], ARE [4] (affinity routing), RWP [31]. */
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)
/* Distributor registers of the SPIs passed through (a bit, a byte or 8 bytes per INTID). */
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

/* Redistributor: RD_base frame, then the SGI_base frame 64 KiB above it. */
#define GICR_STRIDE 0x20000
#define GICR_TYPER 0x0008 /* Affinity_Value [63:32] = Aff3.Aff2.Aff1.Aff0; Last [4] */
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER 0x0014 /* ProcessorSleep [1], ChildrenAsleep [2] */
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define INTID_SPURIOUS 1023

/*
 * What the hypervisor takes, all Group 1 and routed to EL2 while a guest
 * runs (HCR_EL2.IMO): its slice timer, the vCPU's virtual timer and the
 * virtual CPU interface's maintenance interrupt (vgic.c), and the kick
 * SGI another CPU sends to make this one re-enter its guest.
 */
static const uint32_t el2_intids[] = { GIC_INTID_KICK, GIC_INTID_MAINTENANCE, GIC_INTID_CNTHP,
				       GIC_INTID_VTIMER, GIC_INTID_PTIMER };

/* ICC_SGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24], Aff2 [39:32], Aff3 [55:48]. */
#define SGI1R(intid, mpidr)                                                                  \
	((1ull << ((mpidr) & 0xf)) | ((mpidr) >> 8 & 0xff) << 16 | (uint64_t)(intid) << 24 | \
	 ((mpidr) >> 16 & 0xff) << 32 | ((mpidr) >> 32 & 0xff) << 48)

/* ICC_SRE_EL2: SRE [0] system-register interface; Enable [3] lets EL1 use it too. */
#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_ENABLE (1u << 3)

/* ICC_CTLR_EL1.EOImode [1]: EOIR only drops the priority, ICC_DIR_EL1 deactivates. */
#define ICC_CTLR_EOIMODE (1u << 1)

/* CNTHP_CTL_EL2: ENABLE [0]; IMASK [1] = 0 lets the timer assert its interrupt. */
#define CNTHP_CTL_ENABLE 1u

/* One time slice: 2 ms of the system counter. */
#define SLICE_PER_SECOND 500

/* Each CPU's redistributor (RD_base), found by gic_cpu_init, by cpu index. */
static uint64_t redistributor[HV_MAX_CPUS];

static volatile uint32_t *reg32(uint64_t addr)
{
	return (volatile uint32_t *)(uintptr_t)addr;
}

void gic_dist_init(void)
{
	*reg32(PLAT_GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1;
	/* RWP: the write has taken effect once the distributor clears it. */
	while (*reg32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* This CPU's redistributor: the one whose GICR_TYPER names its affinity. */
static uint64_t find_redistributor(uint64_t mpidr)
{
	uint64_t aff = (mpidr & 0xffffff) | (mpidr >> 32 & 0xff) << 24;

	for (uint64_t rd = PLAT_GICR_BASE; rd < PLAT_GICR_BASE + PLAT_GICR_SIZE; rd += GICR_STRIDE) {
		uint64_t typer = *(volatile uint64_t *)(uintptr_t)(rd + GICR_TYPER);

		if (typer >> 32 == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

void gic_cpu_init(uint64_t mpidr)
{
	uint64_t rd = find_redistributor(mpidr);

	if (!rd)
		hv_panic("GIC: no redistributor for MPIDR %#llx", (unsigned long long)mpidr);
	redistributor[this_cpu()->index] = rd;
	/* Wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep to clear. */
	*reg32(rd + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	for (unsigned i = 0; i < sizeof el2_intids / sizeof el2_intids[0]; i++) {
		uint32_t bit = 1u << el2_intids[i];

		*reg32(rd + GICR_IGROUPR0) |= bit; /* Group 1: an IRQ */
		((volatile uint8_t *)(uintptr_t)(rd + GICR_IPRIORITYR))[el2_intids[i]] = 0x80;
		*reg32(rd + GICR_ISENABLER0) = bit;
	}

	sysreg_write(icc_sre_el2, sysreg_read(icc_sre_el2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	sysreg_write(icc_pmr_el1, 0xff);  /* every priority passes the mask */
	/*
	 * EOImode 1: EOIR drops the running priority, deactivation is separate
	 * (ICC_DIR_EL1). That lets the virtual timer's PPI stay active after
	 * EL2 has handled it, until the guest deactivates its virtual copy
	 * through a HW = 1 list register (vgic.c).
	 */
	sysreg_write(icc_ctlr_el1, ICC_CTLR_EOIMODE);
	sysreg_write(icc_igrpen1_el1, 1); /* Group 1 on at this CPU interface */
	isb();
}

void gic_slice_start(void)
{
	sysreg_write(cnthp_tval_el2, sysreg_read(cntfrq_el0) / SLICE_PER_SECOND);
	sysreg_write(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

void gic_slice_stop(void)
{
	sysreg_write(cnthp_ctl_el2, 0);
	isb();
}

void gic_wait(void)
{
	/*
	 * At most a millisecond: a guest may rely on WFI returning (the
	 * architecture lets it complete spuriously), e.g. in a polling loop.
	 * Disarmed before the guest runs, the slice timer's level falls and
	 * its PPI is no longer pending.
	 */
	sysreg_write(cnthp_tval_el2, sysreg_read(cntfrq_el0) / 1000);
	sysreg_write(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	__asm__ volatile("isb\n\tdsb sy\n\twfi" : : : "memory");
	gic_slice_stop();
}

uint32_t gic_take_irq(void)
{
	uint32_t intid = (uint32_t)(sysreg_read(icc_iar1_el1) & 0xffffff);

	if (intid == INTID_SPURIOUS)
		return intid;
	if (intid != GIC_INTID_KICK && intid != GIC_INTID_MAINTENANCE && intid != GIC_INTID_CNTHP &&
	    intid != GIC_INTID_VTIMER && intid != GIC_INTID_PTIMER && !gic_is_spi(intid))
		hv_panic("GIC: interrupt %u, which the hypervisor never enabled", intid);
	/* Disarm before deactivation: the timer's level output would re-pend the PPI at once. */
	if (intid == GIC_INTID_CNTHP)
		gic_slice_stop();
	if (intid == GIC_INTID_PTIMER) /* ptimer.c re-arms it from the vCPU's state */
		sysreg_write(cntp_ctl_el0, 0);
	sysreg_write(icc_eoir1_el1, intid); /* priority drop only (EOImode 1) */
	/* A passed-through SPI stays active until its guest deactivates it (vgic.c). */
	if (intid != GIC_INTID_VTIMER && !gic_is_spi(intid))
		sysreg_write(icc_dir_el1, intid);
	isb();
	return intid;
}

uint32_t gic_handle_irq(void)
{
	uint32_t intid = gic_take_irq();

	if (intid == GIC_INTID_VTIMER)
		gic_deactivate(intid);
	else if (gic_is_spi(intid))
		gic_spi_fired(intid);
	return intid;
}

void gic_spi_fired(uint32_t intid)
{
	if (intid == PLAT_UART_INTID && console_input_active()) {
		console_input_received(); /* drains the UART: its level output falls */
		gic_deactivate(intid);
		return;
	}
	vgic_spi_fired(intid);
}

void gic_deactivate(uint32_t intid)
{
	sysreg_write(icc_dir_el1, intid);
	isb();
}

/*
 * The active state of a PPI of this CPU is read and written at its
 * redistributor: GICR_ISACTIVER0 reads it and sets it, GICR_ICACTIVER0
 * clears it (IHI 0069 chapter 12, the SGI_base registers GICR_ISACTIVER0
 * and GICR_ICACTIVER0). The CPU interface cannot: ICC_AP1R<n>_EL1 records
 * active priorities, not INTIDs, nothing there makes an interrupt active,
 * and ICC_DIR_EL1 only deactivates.
 */
bool gic_ppi_active(uint32_t intid)
{
	return *reg32(redistributor[this_cpu()->index] + GICR_ISACTIVER0) >> intid & 1;
}

void gic_ppi_set_active(uint32_t intid, bool active)
{
	uint64_t rd = redistributor[this_cpu()->index];

	*reg32(rd + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0)) = 1u << intid;
	/* Complete before what follows (a guest entry, a timer re-enabled) may depend on it. */
	__asm__ volatile("dsb sy" : : : "memory");
}

/*
 * WFI, not a spin on YIELD: an idle CPU must not compete for the machine
 * (under QEMU's multi-threaded TCG a spinning CPU keeps a host thread busy,
 * and every broadcast TLB invalidation a guest issues on another CPU waits
 * for it to reach a safe point; a CPU halted in WFI does not hold that up).
 * WFI completes on a pending interrupt even while PSTATE.I masks it (Arm ARM
 * D1.6.2 "Wait for Interrupt"), so EL2 keeps DAIF masked throughout.
 */
void gic_idle(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	(void)gic_handle_irq();
}

void gic_kick(uint64_t mpidr)
{
	/* The SGI write must follow the stores that made the interrupt pending (vgic.c). */
	__asm__ volatile("dsb ish" : : : "memory");
	sysreg_write(icc_sgi1r_el1, SGI1R(GIC_INTID_KICK, mpidr));
	isb();
}

void gic_spi_route(uint32_t intid, uint64_t mpidr)
{
	uint32_t bit = 1u << (intid % 32);

	*reg32(PLAT_GICD_BASE + GICD_ICENABLER + intid / 32 * 4) = bit;
	*reg32(PLAT_GICD_BASE + GICD_IGROUPR + intid / 32 * 4) |= bit;
	((volatile uint8_t *)(uintptr_t)(PLAT_GICD_BASE + GICD_IPRIORITYR))[intid] = 0x80;
	/* Aff3 [39:32], Aff2.Aff1.Aff0 [23:0]; Interrupt_Routing_Mode [31] = 0: that PE only. */
	*(volatile uint64_t *)(uintptr_t)(PLAT_GICD_BASE + GICD_IROUTER + 8ull * intid) =
		mpidr & 0xff00ffffffull;
	*reg32(PLAT_GICD_BASE + GICD_ISENABLER + intid / 32 * 4) = bit;
	__asm__ volatile("dsb sy" : : : "memory");
}

void gic_spi_release(uint32_t intid)
{
	uint32_t bit = 1u << (intid % 32);

	*reg32(PLAT_GICD_BASE + GICD_ICENABLER + intid / 32 * 4) = bit;
	while (*reg32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
	*reg32(PLAT_GICD_BASE + GICD_ICPENDR + intid / 32 * 4) = bit;
	gic_spi_deactivate(intid);
}

void gic_spi_deactivate(uint32_t intid)
{
	*reg32(PLAT_GICD_BASE + GICD_ICACTIVER + intid / 32 * 4) = 1u << (intid % 32);
	__asm__ volatile("dsb sy" : : : "memory");
}

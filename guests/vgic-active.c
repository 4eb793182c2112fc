/* SPDX-License-Identifier: MIT */
/*
 * Active interrupts beyond the list registers (tests/qemu/run "vgic-active").
 *
 * A guest may set the active state of its SGIs through GICR_ISACTIVER0
 * without having taken them. QEMU's virtual CPU interface has 4 list
 * registers; with 5 SGIs active (or 4 active and one pending) every
 * register held an active interrupt while the "no pending" maintenance
 * interrupt was armed for the one left out: it fired at every entry and
 * the vCPU never ran another instruction. Here the guest must keep running,
 * read its active state back, and still take a pending SGI past the active
 * ones; then it clears them and takes 5 pending SGIs through 4 registers
 * (the queue). Last, 5 SGIs taken nested, each at a higher priority than
 * the one before, and EOIed in reverse: the most recent, left out of the 4
 * registers, was EOIed with no register to find (ICH_HCR_EL2.EOIcount) and
 * stayed active for good; the hypervisor completes that EOI now. IRQs stay
 * masked at PSTATE: interrupts are taken by reading ICC_IAR1_EL1, as in
 * vgic-pend.c.
 */
#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICR_BASE 0x080a0000ul
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
/* SGI_base frame of vCPU 0's redistributor. */
#define GICR_SGI (GICR_BASE + 0x10000)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR0 0x0400
#define INTID_SPURIOUS 1023

static int failures;

static uint32_t take(void)
{
	uint64_t intid;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory");
	if (intid != INTID_SPURIOUS)
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(intid) : "memory");
	return (uint32_t)intid;
}

/* ICC_SGI1R_EL1: SGI intid to this vCPU (its Aff1-3, TargetList bit Aff0). */
static void sgi_self(uint32_t intid)
{
	uint64_t mpidr = guest_mpidr();
	uint64_t v = 1ull << (mpidr & 0xf) | (uint64_t)intid << 24 | (mpidr >> 8 & 0xff) << 16 |
		     (mpidr >> 16 & 0xff) << 32 | (mpidr >> 32 & 0xff) << 48 |
		     (mpidr & 0xff) / 16 << 44;

	__asm__ volatile("msr S3_0_C12_C11_5, %0\n\tisb" : : "r"(v) : "memory");
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
	put_str("vgic-active: ");
	put_str(what);
	put_str(": ");
	put_hex(got);
	if (got != want) {
		put_str(" FAILED, want ");
		put_hex(want);
		failures++;
	}
	put_str("\n");
}

/* active SGIs set by ISACTIVER0, then SGI 5 sent and taken past them. */
static void active_then_take(uint32_t active, const char *what)
{
	put_str("vgic-active: ");
	put_str(what);
	put_str("\n");
	mmio_write32(GICR_SGI + GICR_ISACTIVER0, active);
	expect("  ISACTIVER0", mmio_read32(GICR_SGI + GICR_ISACTIVER0), active);
	sgi_self(5);
	expect("  taken", take(), 5);
	expect("  then taken", take(), INTID_SPURIOUS);
	mmio_write32(GICR_SGI + GICR_ICACTIVER0, active);
	expect("  ISACTIVER0 after ICACTIVER0", mmio_read32(GICR_SGI + GICR_ISACTIVER0), 0);
}

/*
 * SGIs 0-4 taken nested: SGI i at priority 0xa0 - 0x10 i preempts the ones
 * taken before it; then EOIed from the last (EOImode 0: priority drop and
 * deactivation). 5 active interrupts do not fit QEMU's 4 list registers.
 */
static void nested_then_eoi(void)
{
	uint64_t intid;

	put_str("vgic-active: 5 SGIs taken nested (more than list registers), EOIs in reverse\n");
	mmio_write32(GICR_SGI + GICR_IPRIORITYR0, 0x708090a0u);
	mmio_write32(GICR_SGI + GICR_IPRIORITYR0 + 4, 0xa0a0a060u);
	for (uint32_t i = 0; i < 5; i++) {
		sgi_self(i);
		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory");
		if (intid != i)
			expect("  acknowledged", intid, i);
	}
	expect("  ISACTIVER0", mmio_read32(GICR_SGI + GICR_ISACTIVER0), 0x1f);
	for (uint32_t i = 5; i-- > 0;)
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"((uint64_t)i) : "memory");
	expect("  ISACTIVER0 after the EOIs", mmio_read32(GICR_SGI + GICR_ISACTIVER0), 0);
	expect("  then taken", take(), INTID_SPURIOUS);
	for (uint32_t i = 0; i < 8; i += 4)
		mmio_write32(GICR_SGI + GICR_IPRIORITYR0 + i, 0xa0a0a0a0u);
}

int main(void)
{
	uint32_t seen = 0;

	__asm__ volatile("msr daifset, #2" : : : "memory");
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	__asm__ volatile("msr S3_0_C12_C12_5, %0\n\t" /* ICC_SRE_EL1.SRE */
			 "msr S3_0_C4_C6_0, %1\n\t"   /* ICC_PMR_EL1: every priority */
			 "msr S3_0_C12_C12_7, %0\n\t" /* ICC_IGRPEN1_EL1 */
			 "isb"
			 :
			 : "r"(1ull), "r"(0xffull)
			 : "memory");
	mmio_write32(GICR_SGI + GICR_IGROUPR0, 0xffff);
	for (uint32_t i = 0; i < 8; i += 4)
		mmio_write32(GICR_SGI + GICR_IPRIORITYR0 + i, 0xa0a0a0a0u);
	mmio_write32(GICR_SGI + GICR_ISENABLER0, 0x3f);

	active_then_take(0xf, "4 SGIs active (as many as list registers), SGI 5 sent");
	active_then_take(0x1f, "5 SGIs active (more than list registers), SGI 5 sent");

	put_str("vgic-active: SGIs 0-5 sent, 6 pending through 4 list registers\n");
	for (uint32_t i = 0; i < 6; i++)
		sgi_self(i);
	for (uint32_t i = 0; i < 6; i++) {
		uint32_t intid = take();

		if (intid < 6)
			seen |= 1u << intid;
	}
	expect("  taken (bit per SGI)", seen, 0x3f);
	expect("  then taken", take(), INTID_SPURIOUS);
	nested_then_eoi();

	put_str(failures ? "vgic-active: FAILED\n" : "vgic-active: ok\n");
	guest_power_off();
	return 0;
}

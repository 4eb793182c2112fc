/* SPDX-License-Identifier: MIT */
/*
 * Software pending state of the emulated GICv3 (tests/qemu/run "vgic-pend").
 *
 * A level-sensitive interrupt is pending while its line is high or while
 * its pending latch is set — by GICD_ISPENDR, cleared by GICD_ICPENDR or
 * by acknowledging it (IHI 0069 4.1.2). SPI 40 has no line here, so only
 * the latch can make it pending. Between setting it and acknowledging it
 * the guest exits to the hypervisor several times (each GIC register
 * access does), and each exit reads the list registers back: the pending
 * state must survive that, for a level interrupt as for an edge one (SPI
 * 41). IRQs stay masked at PSTATE and interrupts are taken by reading
 * ICC_IAR1_EL1, which acknowledges what the virtual CPU interface holds
 * whatever PSTATE.I says, so no vector table is needed.
 */
#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICR_BASE 0x080a0000ul
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)

#define SPI_LEVEL 40
#define SPI_EDGE 41
#define INTID_SPURIOUS 1023

static int failures;

/* Bit intid of the 1-bit-per-INTID register at offset reg. */
static uintptr_t bit_reg(uint32_t reg, uint32_t intid)
{
	return GICD_BASE + reg + intid / 32 * 4;
}

static void set_bit(uint32_t reg, uint32_t intid)
{
	mmio_write32(bit_reg(reg, intid), 1u << intid % 32);
}

static int read_bit(uint32_t reg, uint32_t intid)
{
	return mmio_read32(bit_reg(reg, intid)) >> intid % 32 & 1;
}

/* One SPI: Group 1, priority 0xa0, routed to this vCPU, edge or level, enabled. */
static void spi_setup(uint32_t intid, int edge)
{
	uintptr_t cfg = GICD_BASE + GICD_ICFGR + intid / 16 * 4;
	uint32_t shift = intid % 16 * 2 + 1;

	mmio_write32(bit_reg(GICD_IGROUPR, intid), mmio_read32(bit_reg(GICD_IGROUPR, intid)) |
							  1u << intid % 32);
	mmio_write32(GICD_BASE + GICD_IPRIORITYR + intid / 4 * 4, 0xa0u << intid % 4 * 8);
	mmio_write32(cfg, (mmio_read32(cfg) & ~(1u << shift)) | (uint32_t)edge << shift);
	mmio_write32(GICD_BASE + GICD_IROUTER + intid * 8, 0); /* affinity 0.0.0.0: vCPU 0 */
	set_bit(GICD_ISENABLER, intid);
}

/* Acknowledges (ICC_IAR1_EL1) and completes (ICC_EOIR1_EL1) what is pending: its INTID, or 1023. */
static uint32_t take(void)
{
	uint64_t intid;

	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory");
	if (intid != INTID_SPURIOUS)
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(intid) : "memory");
	return (uint32_t)intid;
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
	put_str("vgic-pend: ");
	put_str(what);
	put_str(": ");
	put_dec((int64_t)got);
	if (got != want) {
		put_str(" FAILED, want ");
		put_dec((int64_t)want);
		failures++;
	}
	put_str("\n");
}

/* ISPENDR, two more exits (reads of ISPENDR), then acknowledge. */
static void pend_and_take(uint32_t intid, const char *kind)
{
	put_str("vgic-pend: ");
	put_str(kind);
	put_str("\n");
	set_bit(GICD_ISPENDR, intid);
	read_bit(GICD_ISPENDR, intid);
	expect("  pending after two exits", (uint64_t)read_bit(GICD_ISPENDR, intid), 1);
	expect("  acknowledged INTID", take(), intid);
	expect("  pending after the acknowledge", (uint64_t)read_bit(GICD_ISPENDR, intid), 0);
	expect("  then acknowledged INTID", take(), INTID_SPURIOUS);
}

int main(void)
{
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
	spi_setup(SPI_LEVEL, 0);
	spi_setup(SPI_EDGE, 1);

	pend_and_take(SPI_LEVEL, "level SPI 40 made pending by ISPENDR");
	pend_and_take(SPI_EDGE, "edge SPI 41 made pending by ISPENDR");

	put_str("vgic-pend: level SPI 40 made pending, then cleared by ICPENDR\n");
	set_bit(GICD_ISPENDR, SPI_LEVEL);
	read_bit(GICD_ISPENDR, SPI_LEVEL);
	set_bit(GICD_ICPENDR, SPI_LEVEL);
	expect("  pending after ICPENDR", (uint64_t)read_bit(GICD_ISPENDR, SPI_LEVEL), 0);
	expect("  acknowledged INTID", take(), INTID_SPURIOUS);

	put_str(failures ? "vgic-pend: FAILED\n" : "vgic-pend: ok\n");
	guest_power_off();
	return 0;
}

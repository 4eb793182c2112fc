/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal guest of AxVisor's arceos-aarch64-qemu-smp1.toml
 * (examples/axvisor, linked at its kernel_load_addr 0x8020_0000 by
 * guests.mk) and of the two-VM system there: it drives the PL011 it is
 * given, passed through, with RX interrupts, and lists the virtio-mmio
 * transports its guest DT names (x0; all 32 of QEMU virt without one).
 *
 * The PL011 is QEMU virt's, SPI 1 (INTID 33, its DT `interrupts`); the
 * GICv3 is at QEMU virt's addresses, where the hypervisor shows the guest
 * its vGIC. RX interrupts are enabled with the FIFOs off, so every byte
 * raises one; IRQs stay masked at PSTATE and each interrupt is taken by
 * reading ICC_IAR1_EL1 after WFI wakes (as vgic-pend does: no vector
 * table). The test types WANT bytes once "uart-irq: ready" is printed.
 * Any other INTID that arrives is counted as foreign: in the two-VM system
 * another VM's interrupt must never reach this one. The run ends after WANT
 * bytes, or after 20 s without them (FAILED), with PSCI SYSTEM_OFF.
 */
#include <stddef.h>

#include "guest.h"

#define GICD_BASE 0x08000000ul
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICR_BASE 0x080a0000ul
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define INTID_SPURIOUS 1023

#define UART_INTID 33 /* QEMU virt's PL011: SPI 1 */
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IMSC 0x038
#define UART_MIS 0x040
#define UART_ICR 0x044
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6)
#define UART_LCR_WLEN8 (3u << 5)
#define UART_CR_EN 0x301 /* UARTEN, TXE, RXE */

#define VIRTIO_BASE 0x0a000000ul /* QEMU virt: 32 transports of 0x200 bytes */
#define VIRTIO_SLOTS 32
#define VIRTIO_MAGIC 0x74726976u /* "virt" */

#define WANT 8


/*
 * Device registers by single ldr/str without writeback, whatever the
 * compiler would make of a loop: the hypervisor emulates only what the
 * syndrome describes (ISV = 1), and stops a VM for anything else.
 */
static inline uint32_t reg_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void reg_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline void reg_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static void gic_setup(void)
{
	uint64_t mpidr = guest_mpidr();
	uint64_t aff = (mpidr & 0xff00ffffffull);

	/* This CPU's redistributor awake (a no-op on the vGIC, needed on a bare GIC). */
	reg_write32(GICR_BASE + GICR_WAKER, reg_read32(GICR_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (reg_read32(GICR_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	/*
	 * Every SPI the distributor has, not just the PL011's: an interrupt of
	 * another VM that reached this one would then be taken, as foreign.
	 */
	uint32_t lines = 32 * ((reg_read32(GICD_BASE + GICD_TYPER) & 0x1f) + 1);

	reg_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	for (uint32_t i = 32; i < lines; i += 32)
		reg_write32(GICD_BASE + GICD_IGROUPR + i / 8, 0xffffffffu);
	for (uint32_t i = 32; i < lines; i += 4)
		reg_write32(GICD_BASE + GICD_IPRIORITYR + i, 0xa0a0a0a0u);
	for (uint32_t i = 32; i < lines; i++)
		reg_write64(GICD_BASE + GICD_IROUTER + i * 8, aff);
	for (uint32_t i = 32; i < lines; i += 32)
		reg_write32(GICD_BASE + GICD_ISENABLER + i / 8, 0xffffffffu);
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));  /* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0\n\tisb" : : "r"(1ull)); /* ICC_IGRPEN1_EL1 */
}

static uint32_t be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The virtio-mmio windows the guest DT at dtb names (nodes virtio_mmio@ADDR,
 * the address from the unit name) into out; how many. A VM reads only what
 * is passed through to it: any other window is unmapped, and touching it
 * would stop the VM.
 */
static int dt_virtio(const volatile uint8_t *dtb, uintptr_t *out, int max)
{
	const volatile uint8_t *p = dtb + be32(dtb + 8); /* the structure block */
	int n = 0;

	for (;;) {
		uint32_t tag = be32(p);

		p += 4;
		if (tag == 1) { /* FDT_BEGIN_NODE: the name, NUL-terminated, padded to 4 */
			static const char prefix[] = "virtio_mmio@";
			size_t k = 0, len = 0;
			uintptr_t addr = 0;

			while (k < sizeof prefix - 1 && p[k] == (uint8_t)prefix[k])
				k++;
			for (size_t i = k; k == sizeof prefix - 1 && p[i]; i++) {
				char c = (char)p[i];
				addr = addr << 4 | (uintptr_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
			}
			if (k == sizeof prefix - 1 && n < max)
				out[n++] = addr;
			while (p[len])
				len++;
			p += (len + 4) & ~(size_t)3;
		} else if (tag == 3) { /* FDT_PROP: len, nameoff, value padded to 4 */
			p += 8 + ((be32(p) + 3) & ~3u);
		} else if (tag != 2 && tag != 4) { /* FDT_END, or anything unexpected */
			return n;
		}
	}
}

/*
 * The virtio-mmio transports this VM can read: the ones its guest DT names
 * (x0 at entry), every one of QEMU virt's 32 when it has no DT (bare QEMU).
 */
static void list_virtio(uint64_t dtb)
{
	uintptr_t windows[VIRTIO_SLOTS];
	int found = 0, count = VIRTIO_SLOTS;

	if (dtb && be32((const volatile uint8_t *)dtb) == 0xd00dfeedu)
		count = dt_virtio((const volatile uint8_t *)dtb, windows, VIRTIO_SLOTS);
	else
		for (int i = 0; i < VIRTIO_SLOTS; i++)
			windows[i] = VIRTIO_BASE + (uintptr_t)i * 0x200;
	for (int i = 0; i < count; i++) {
		uintptr_t base = windows[i];
		uint32_t id;

		if (reg_read32(base) != VIRTIO_MAGIC)
			continue;
		id = reg_read32(base + 8);
		if (!id)
			continue; /* a transport with nothing plugged in */
		put_str("uart-irq: virtio-mmio@");
		put_hex(base);
		put_str(": version ");
		put_dec(reg_read32(base + 4));
		put_str(", device ");
		put_dec(id);
		put_str("\n");
		found++;
	}
	put_str("uart-irq: ");
	put_dec(found);
	put_str(" virtio device(s)\n");
}

int main(void)
{
	/* x0 as _start left it (common/start.S does not touch it before main): the DTB or 0. */
	register uint64_t x0 __asm__("x0");
	__asm__ volatile("" : "=r"(x0));
	uint64_t dtb = x0;
	char got[WANT + 1];
	uint32_t n = 0, irqs = 0, foreign = 0;
	uint64_t deadline;

	put_str("uart-irq: at ");
	put_hex((uint64_t)(uintptr_t)&main);
	put_str(", DTB ");
	put_hex(dtb);
	put_str("\n");
	list_virtio(dtb);
	gic_setup();
	reg_write32(UART_BASE + UART_CR, 0);
	reg_write32(UART_BASE + UART_LCR_H, UART_LCR_WLEN8); /* FIFOs off: an interrupt per byte */
	reg_write32(UART_BASE + UART_CR, UART_CR_EN);
	while (!(reg_read32(UART_BASE + UART_FR) & UART_FR_RXFE))
		(void)reg_read32(UART_BASE + UART_DR); /* what was typed too early */
	reg_write32(UART_BASE + UART_ICR, 0x7ff);
	reg_write32(UART_BASE + UART_IMSC, UART_INT_RX | UART_INT_RT);
	put_str("uart-irq: ready\n");

	deadline = counter() + 20 * counter_freq();
	while (n < WANT && counter() < deadline) {
		uint64_t intid;

		cpu_yield();
		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory"); /* ICC_IAR1_EL1 */
		if (intid == INTID_SPURIOUS)
			continue;
		if (intid == UART_INTID) {
			irqs++;
			while (!(reg_read32(UART_BASE + UART_FR) & UART_FR_RXFE) && n < WANT)
				got[n++] = (char)(reg_read32(UART_BASE + UART_DR) & 0xff);
			reg_write32(UART_BASE + UART_ICR, UART_INT_RX | UART_INT_RT);
		} else {
			foreign++;
			put_str("uart-irq: foreign INTID ");
			put_dec((int64_t)intid);
			put_str("\n");
		}
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(intid) : "memory"); /* EOIR1 */
	}
	reg_write32(UART_BASE + UART_IMSC, 0);
	got[n] = '\0';
	for (uint32_t i = 0; i < n; i++)
		if (got[i] < 0x20 || got[i] > 0x7e)
			got[i] = '?';
	put_str("uart-irq: read \"");
	put_str(got);
	put_str("\" in ");
	put_dec(irqs);
	put_str(" RX interrupt(s), ");
	put_dec(foreign);
	put_str(" foreign\n");
	put_str(n == WANT && irqs > 0 && !foreign ? "uart-irq: ok\n" : "uart-irq: FAILED\n");
	return 0;
}

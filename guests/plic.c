/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 hypervisor's virtual PLIC, polled (the test runtime takes no
 * interrupts): source 10 is the emulated 16550's line (its VM file gives
 * the console irq_id 10). With the line low nothing is pending; enabling
 * the transmitter-empty interrupt (IER.THRI) raises it: source 10 pending,
 * a claim by the S-mode context of hart 0 (context 1) returns 10 and takes
 * it out of pending; with THRI off again and the claim completed, nothing
 * is pending and a claim returns 0. A source not above the context's
 * threshold is not claimable. Prints "plic: ok" when every check passed.
 * (sip.SEIP is not checked: QEMU 7.2 shows a VS-mode guest none of the
 * hvip bits in sip, though it delivers them as interrupts.) Only riscv64
 * has a PLIC: elsewhere the guest says so.
 */
#include "guest.h"

#if defined(__riscv)
#define PLIC 0x0c000000ul
#define PLIC_PENDING (PLIC + 0x1000)
#define PLIC_ENABLE_CTX1 (PLIC + 0x2000 + 0x80)
#define PLIC_THRESHOLD_CTX1 (PLIC + 0x200000 + 0x1000)
#define PLIC_CLAIM_CTX1 (PLIC_THRESHOLD_CTX1 + 4)
#define UART_IER (GUEST_CONSOLE_BASE + 1)
#define UART_IER_THRI 0x02u
#define SOURCE 10u

static int failures;

static void check(const char *what, uint64_t got, uint64_t want)
{
	put_str("plic: ");
	put_str(what);
	put_str(" = ");
	put_hex(got);
	if (got != want) {
		put_str(" (want ");
		put_hex(want);
		put_str(")");
		failures++;
	}
	put_str("\n");
}

static void ier(uint8_t v)
{
	*(volatile uint8_t *)UART_IER = v;
}

int main(void)
{
	mmio_write32(PLIC + 4 * SOURCE, 1);
	mmio_write32(PLIC_ENABLE_CTX1, 1u << SOURCE);
	mmio_write32(PLIC_THRESHOLD_CTX1, 0);
	check("pending, line low", mmio_read32(PLIC_PENDING), 0);
	check("claim, line low", mmio_read32(PLIC_CLAIM_CTX1), 0);
	ier(UART_IER_THRI);
	check("pending, THRI on", mmio_read32(PLIC_PENDING), 1u << SOURCE);
	mmio_write32(PLIC_THRESHOLD_CTX1, 1);
	check("claim, priority 1 at threshold 1", mmio_read32(PLIC_CLAIM_CTX1), 0);
	mmio_write32(PLIC_THRESHOLD_CTX1, 0);
	check("claim", mmio_read32(PLIC_CLAIM_CTX1), SOURCE);
	check("pending, claimed", mmio_read32(PLIC_PENDING), 0);
	ier(0);
	mmio_write32(PLIC_CLAIM_CTX1, SOURCE);
	check("pending, completed with THRI off", mmio_read32(PLIC_PENDING), 0);
	check("claim, completed", mmio_read32(PLIC_CLAIM_CTX1), 0);
	put_str(failures ? "plic: FAILED\n" : "plic: ok\n");
	return 0;
}
#else
int main(void)
{
	put_str("plic: riscv64 only\n");
	return 0;
}
#endif

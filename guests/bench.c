/* SPDX-License-Identifier: MIT */
/*
 * bench/hv's guest: times, in ticks of the system counter (CNTVCT_EL0; on
 * riscv64 the time CSR), a trapped MMIO read (a Dummy device's register),
 * a read of the console's status (aarch64: the PL011's FR, served by its
 * read shadow page: no exit; riscv64: the 16550's LSR, an exit), a null
 * hypercall (an unknown PSCI function or SBI extension: trap, dispatch,
 * return), a plain RAM read for scale,
 * publishing a 1 MiB IVC channel (256 pages mapped into live stage-2
 * tables), copying 1 MiB into it, and copying 1 MiB within its own RAM
 * (each copy timed on its second run: the first pays QEMU's first-write
 * costs per page). Prints one "bench: key=value ..." line for bench/hv/run.py.
 */
#include "guest.h"

#define OPS 2000
#define MIB (1u << 20)
#define KEY 1
#define DUMMY_BASE 0x0a000000ul /* bench.toml of examples/qemu and examples/qemu-riscv64 */

#if defined(__riscv)
/* The 16550's LSR (a byte; no read shadow: an exit); an SBI extension that does not exist. */
static uint32_t console_status(void)
{
	return *(volatile uint8_t *)(GUEST_CONSOLE_BASE + 5);
}

static void null_call(void)
{
	sbi_call(0x0a000000, 0, 0, 0, 0);
}
#else
/* The PL011's FR (its read shadow: no exit); a PSCI function that does not exist. */
static uint32_t console_status(void)
{
	return mmio_read32(UART_BASE + UART_FR);
}

static void null_call(void)
{
	hvc_call(0x8400001fu);
}
#endif

static uint64_t base, size;
static uint64_t src[MIB / 8], dst[MIB / 8];

/* Ticks of the second of two 1 MiB copies. */
static uint64_t copy(volatile uint64_t *to, const volatile uint64_t *from)
{
	uint64_t t0 = 0;

	for (int run = 0; run < 2; run++) {
		t0 = counter();
		for (uint32_t i = 0; i < MIB / 8; i++)
			to[i] = from[i];
	}
	return counter() - t0;
}

static void field(const char *key, uint64_t value)
{
	put_str(" ");
	put_str(key);
	put_str("=");
	put_dec((int64_t)value);
}

int main(void)
{
	uint64_t t0, mmio, fr, hvc, ram, publish, ivc_copy, memcpy_ticks;
	volatile uint32_t sink = 0;

	t0 = counter();
	for (int i = 0; i < OPS; i++)
		sink += mmio_read32(DUMMY_BASE);
	mmio = counter() - t0;

	t0 = counter();
	for (int i = 0; i < OPS; i++)
		sink += console_status();
	fr = counter() - t0;

	t0 = counter();
	for (int i = 0; i < OPS; i++)
		null_call();
	hvc = counter() - t0;

	t0 = counter();
	for (int i = 0; i < OPS; i++)
		sink += ((volatile uint32_t *)src)[i];
	ram = counter() - t0;

	for (uint32_t i = 0; i < MIB / 8; i++)
		src[i] = i * 0x9e3779b97f4a7c15ull;
	size = MIB;
	t0 = counter();
	if (ivc_call(IVC_PUBLISH, KEY, (uintptr_t)&base, (uintptr_t)&size, 0)) {
		put_str("bench: IVC publish FAILED\n");
		return 0;
	}
	publish = counter() - t0;
	ivc_copy = copy((volatile uint64_t *)(uintptr_t)base, src);
	memcpy_ticks = copy(dst, src);

	put_str("bench:");
	field("freq", counter_freq());
	field("ops", OPS);
	field("mmio", mmio);
	field("fr", fr);
	field("hvc", hvc);
	field("ram", ram);
	field("ivc_publish", publish);
	field("ivc_copy", ivc_copy);
	field("memcpy", memcpy_ticks);
	put_str("\n");
	(void)sink;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * An atomic read-modify-write (LSE LDADD) on a device (tests/qemu/run
 * "rogue-atomic", QEMU -cpu max): the data abort carries no instruction
 * syndrome (ISV = 0) and a device cannot do an atomic, so the hypervisor
 * must stop the VM with the reason, not emulate a plain load or store, hang
 * or fault itself. Without LSE (ID_AA64ISAR0_EL1.Atomic) it says so.
 */
#include "guest.h"

#define CONSOLE 0x09000000ul

__attribute__((target("arch=armv8.1-a"))) static uint32_t ldadd(uintptr_t addr, uint32_t v)
{
	uint32_t old;

	__asm__ volatile("ldadd %w1, %w0, [%2]" : "=r"(old) : "r"(v), "r"(addr) : "memory");
	return old;
}

int main(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((isar0 >> 20) & 0xf) < 2) {
		put_str("rogue-atomic: no LSE atomics on this CPU\n");
		return 0;
	}
	put_str("rogue-atomic: LDADD on the console's data register\n");
	(void)ldadd(CONSOLE, 0x41);
	put_str("rogue-atomic: still running\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * IVC hypercalls racing first touches of RAM (tests/qemu/run "ivc-race").
 *
 * An IVC hypercall checks the guest's result pointers and faults their
 * pages in (lib/ivc/hypercall.c); a vCPU's first access to a RAM page
 * faults it in too (hv touch_ram). Both change the VM's stage-2 tables
 * and zero the page, and lib/mm allows one caller at a time per address
 * space. Here vCPU 0 issues a subscribe whose pointers lie in a page never
 * touched while vCPU 1, on the other CPU, stores a mark in that same page
 * at the same moment. Serialised, one of them zeroes the page and the
 * other finds it present; racing, the hypercall's zeroing could land after
 * the store and wipe the mark. Every mark must survive.
 */
#include "guest.h"

#define SECOND_CPU 0x1 /* its second vCPU's MPIDR / hart id */
#define PAGES 1024
#define FIRST_PAGE (GUEST_RAM_BASE + 0x1000000ul) /* 16 MiB into RAM: above the image, never touched before */
#define PAGE 4096ul
#define MARK 0x5a5a0000u
#define NO_SUCH_VM 99 /* the subscribe fails after the pointer check */

static uint8_t stack1[4096] __attribute__((aligned(16)));
static volatile uint32_t go;   /* page vCPU 1 is to store into, +1 */
static volatile uint32_t done; /* pages vCPU 1 has stored into */

void secondary_entry(void);
void secondary_main(void);
SECONDARY_ENTRY(secondary_entry, secondary_main);

void secondary_main(void)
{
	for (uint32_t i = 0; i < PAGES; i++) {
		while (go != i + 1)
			;
		mmio_write32(FIRST_PAGE + i * PAGE + 64, MARK | i);
		done = i + 1;
	}
	guest_cpu_stop();
	for (;;)
		cpu_yield();
}

int main(void)
{
	uint64_t start;
	uint32_t lost = 0, other = 0, i;
	int64_t on = guest_cpu_start(SECOND_CPU, secondary_entry, (uintptr_t)(stack1 + sizeof stack1));

	for (i = 0; i < PAGES && on == 0; i++) {
		uintptr_t p = FIRST_PAGE + i * PAGE;
		int64_t r;

		go = i + 1;
		r = ivc_call(IVC_SUBSCRIBE, NO_SUCH_VM, 1, p, p + 8);
		if (r == 0)
			other++;
		start = counter();
		while (done != i + 1 && counter() - start < 2 * counter_freq())
			;
		if (done != i + 1)
			break; /* vCPU 1 is stuck: reported below */
	}
	for (uint32_t k = 0; k < i; k++)
		lost += mmio_read32(FIRST_PAGE + k * PAGE + 64) != (MARK | k);
	put_str("ivc-race: " CPU_START_CALL " ");
	put_dec(on);
	put_str(", ");
	put_dec(i);
	put_str(" pages raced, ");
	put_dec(done);
	put_str(" stored, marks lost: ");
	put_dec(lost);
	put_str("\n");
	put_str(on == 0 && i == PAGES && done == PAGES && !lost && !other ? "ivc-race: ok\n"
									: "ivc-race: FAILED\n");
	return 0;
}

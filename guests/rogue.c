/* SPDX-License-Identifier: MIT */
/*
 * A guest that misbehaves. First the architecture's own attempts
 * (rogue_arch: on aarch64 it turns on breakpoints and watchpoints at EL1
 * (MDSCR_EL1) and sets a breakpoint address: the debug registers are the
 * physical CPU's, shared with every vCPU that runs there, so the writes
 * must not reach them (they read back as zero)). It prints terminal
 * escape sequences, which reach the console defused. Then the IVC
 * hypercalls with bad pointers —
 * outside its RAM, misaligned, into a device window, wrapping past 2^64 —
 * each refused with an error, which it prints. Then it publishes a channel,
 * writes to it, unpublishes it and reads it again: the mapping is gone
 * from its stage-2 tables and TLBs, so the hypervisor stops it.
 */
#include "guest.h"

#define KEY 9
#define OUTSIDE_RAM GUEST_OUTSIDE_RAM
#define CONSOLE_WINDOW GUEST_CONSOLE_BASE

static uint64_t base, size;

static void expect(const char *what, int64_t got, int64_t want)
{
	put_str("rogue: ");
	put_str(what);
	put_str(got == want ? ": refused (" : ": UNEXPECTED (");
	put_dec(got);
	put_str(")\n");
}

#if defined(__aarch64__)
/* MDSCR_EL1.MDE [15] and KDE [13]: breakpoints, watchpoints and their exceptions at EL1. */
#define MDSCR_MDE_KDE 0xa000ul

static void rogue_arch(void)
{
	uint64_t mdscr = MDSCR_MDE_KDE, bvr = (uintptr_t)&main;

	__asm__ volatile("msr mdscr_el1, %0\n\tmsr dbgbvr0_el1, %1\n\tisb\n\t"
			 "mrs %0, mdscr_el1\n\tmrs %1, dbgbvr0_el1"
			 : "+r"(mdscr), "+r"(bvr));
	put_str("rogue: debug registers after writing MDE|KDE and a breakpoint: MDSCR_EL1 ");
	put_hex(mdscr);
	put_str(", DBGBVR0_EL1 ");
	put_hex(bvr);
	put_str("\n");
	/* Whatever reached the hardware, leave it off. */
	__asm__ volatile("msr mdscr_el1, xzr\n\tmsr dbgbvr0_el1, xzr\n\tisb");
}
#else
/* riscv64: the debug triggers (tselect, tdata*) are M-mode's; nothing of the kind to try from S-mode. */
static void rogue_arch(void)
{
}
#endif

int main(void)
{
	uintptr_t b = (uintptr_t)&base, s = (uintptr_t)&size;
	volatile uint32_t *channel;
	int64_t r;

	rogue_arch();
	/* ESC [ 2 K erases the terminal's line, ESC [ 1 A goes up one: the hypervisor passes neither. */
	put_str("rogue: \033[2K\033[1Aterminal control in its output\n");
	size = 0x1000;
	expect("publish, size pointer outside RAM",
	       ivc_call(IVC_PUBLISH, KEY, b, OUTSIDE_RAM, 0), IVC_EFAULT);
	expect("publish, misaligned base pointer", ivc_call(IVC_PUBLISH, KEY, b + 1, s, 0),
	       IVC_EALIGN);
	expect("publish, base pointer in its console window",
	       ivc_call(IVC_PUBLISH, KEY, CONSOLE_WINDOW, s, 0), IVC_EFAULT);
	expect("subscribe, size pointer wrapping past 2^64",
	       ivc_call(IVC_SUBSCRIBE, 1, KEY, b, (uint64_t)-8), IVC_EFAULT);
	expect("unsubscribe from a channel it does not hold", ivc_call(IVC_UNSUBSCRIBE, 1, KEY, 0, 0),
	       IVC_ENOENT);

	r = ivc_call(IVC_PUBLISH, KEY, b, s, 0);
	if (r) {
		put_str("rogue: publish FAILED\n");
		return 0;
	}
	channel = (volatile uint32_t *)(uintptr_t)base;
	channel[16] = 0x5a5a5a5a; /* after the header: the translation is in its TLB now */
	r = ivc_call(IVC_UNPUBLISH, KEY, 0, 0, 0);
	put_str("rogue: published, wrote and unpublished channel 9 (");
	put_dec(r);
	put_str("); reading it again at ");
	put_hex(base);
	put_str("\n");
	put_hex(channel[16]);
	put_str("\nrogue: still running\n");
	return 0;
}

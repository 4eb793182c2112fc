/* SPDX-License-Identifier: MIT */
/*
 * Exceptions taken from EL2 itself. The hypervisor enables no interrupts at
 * EL2 and guests cannot raise exceptions there, so every one of them is a
 * hypervisor bug: print the registers and panic.
 */
#include "arch/aarch64/cpu.h"
#include "arch/aarch64/vcpu.h"
#include "core/console.h"
#include "core/panic.h"

_Static_assert(sizeof(struct el2_frame) == 272, "EL2_FRAME_SIZE in vectors.S");

/* HLT #0xF000, the semihosting call: UNDEFINED when QEMU runs without -semihosting. */
#define INSN_HLT_SEMIHOSTING 0xd45e0000u

static const char *const kind_names[] = {
	[GUEST_EXIT_SYNC] = "synchronous",
	[GUEST_EXIT_IRQ] = "IRQ",
	[GUEST_EXIT_FIQ] = "FIQ",
	[GUEST_EXIT_SERROR] = "SError",
};

/* The panic path may not take the console lock: this CPU may hold it. */
static void dump_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dump_line(const char *fmt, ...)
{
	char line[128];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = vmcfg_vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	console_write_unlocked(line, n);
}

void el2_exception(const struct el2_frame *f, uint64_t kind)
{
	uint64_t esr = sysreg_read(esr_el2);

	if (hv_panicking())
		hv_halt(); /* a fault on the way out: nothing more can be reported */
	if (kind == GUEST_EXIT_SYNC && ESR_EC(esr) == EC_UNKNOWN &&
	    *(const uint32_t *)(uintptr_t)f->elr == INSN_HLT_SEMIHOSTING) {
		dump_line("[hv] semihosting is off (run QEMU with -semihosting): exit status lost");
		hv_halt();
	}
	for (int i = 0; i < 30; i += 2)
		dump_line("[hv]   x%-2d %016llx  x%-2d %016llx", i, (unsigned long long)f->x[i],
			  i + 1, (unsigned long long)f->x[i + 1]);
	dump_line("[hv]   x30 %016llx  sp  %016llx", (unsigned long long)f->x[30],
		  (unsigned long long)f->sp);
	hv_panic("%s exception at EL2: ESR_EL2 %#llx (EC %#llx), ELR_EL2 %#llx, FAR_EL2 %#llx, "
		 "SPSR_EL2 %#llx",
		 kind < 4 ? kind_names[kind] : "unknown", (unsigned long long)esr,
		 (unsigned long long)ESR_EC(esr), (unsigned long long)f->elr,
		 (unsigned long long)sysreg_read(far_el2), (unsigned long long)f->spsr);
}

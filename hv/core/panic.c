/* SPDX-License-Identifier: MIT */
/* The panic path: report once, then end the machine with a failing status. */
#include "core/arch.h"
#include "core/console.h"
#include "core/panic.h"

static uint32_t panic_started;

int hv_panicking(void)
{
	return __atomic_load_n(&panic_started, __ATOMIC_ACQUIRE) != 0;
}

void hv_panic(const char *fmt, ...)
{
	char line[256];
	size_t n;
	va_list ap;

	/* Only the first CPU to panic reports; a panic inside the panic path halts. */
	if (__atomic_exchange_n(&panic_started, 1u, __ATOMIC_ACQ_REL))
		hv_halt();
	n = vmcfg_snprintf(line, sizeof line, "[hv] PANIC on cpu%u: ", this_cpu()->index);
	va_start(ap, fmt);
	if (n < sizeof line)
		n += vmcfg_vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* Unlocked: the panic may have struck while this CPU held the console lock. */
	console_write_unlocked(line, n);
	hv_exit(HV_EXIT_PANIC);
}

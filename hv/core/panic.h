/* SPDX-License-Identifier: MIT */
/*
 * How the hypervisor ends. The exit status is what QEMU returns (through
 * semihosting SYS_EXIT when run with -semihosting):
 *   0  the system came up as configured — every selected VM was created —
 *      and the hypervisor stayed healthy until every VM had ended, either
 *      powered off by its guest or stopped by the hypervisor with a report
 *      (what a guest does is its outcome, judged from the per-VM summary
 *      lines, not a failure of the hypervisor);
 *   2  the system did not come up as configured: a VM could not be created
 *      (errors in its file, an image not built in, creation failed), the
 *      system file has errors or is unknown, or vms= names an unknown VM;
 *   3  the hypervisor panicked (a bug in the hypervisor, never a guest's doing).
 */
#ifndef HV_CORE_PANIC_H
#define HV_CORE_PANIC_H

enum hv_exit_status {
	HV_EXIT_OK = 0,
	HV_EXIT_VM_FAILED = 2,
	HV_EXIT_PANIC = 3,
};

/* Prints "[hv] PANIC on cpuN: <message>" and exits with HV_EXIT_PANIC. */
__attribute__((noreturn, format(printf, 1, 2))) void hv_panic(const char *fmt, ...);

/* True once a panic has started (a second fault on the panic path goes straight out). */
int hv_panicking(void);

/*
 * Ends the machine with status (arch/<arch>/power.c): 0 through PSCI
 * SYSTEM_OFF, anything else through semihosting; stops the CPU if both fail.
 */
__attribute__((noreturn)) void hv_exit(int status);

/* Powers off without reporting anything (the last resort of a nested fault). */
__attribute__((noreturn)) void hv_halt(void);

#endif

/*
 * How the hypervisor ends. The exit status is what QEMU returns (through
 * semihosting SYS_EXIT when run with -semihosting):
 *   0  every VM ended on its own (power-off through PSCI);
 *   2  the hypervisor is fine, but at least one VM was stopped by it (a fault,
 *      an unhandled trap) or could not be created;
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

/* SPDX-License-Identifier: MIT */
/*
 * Booting the system: the VMs of one built-in system file, parsed, checked
 * and converted by the library exactly as `vmcfg check --system` does, then
 * created and run.
 */
#ifndef HV_CORE_VM_BOOT_H
#define HV_CORE_VM_BOOT_H

#include "core/dtb.h"
#include "vmcfg/base.h"

/* The system booted when the boot arguments name none (system=). */
#ifndef HV_DEFAULT_SYSTEM /* hv.mk names riscv64's */
#define HV_DEFAULT_SYSTEM "examples/demo/system.toml"
#endif

/*
 * Boots the built-in system file at path (path_len bytes): loads it and
 * each VM file it lists, runs every check of the CLI's `check --system`
 * over them, prints each finding as "file:line:col: error[E0xxx]: message",
 * and creates every selected VM whose file holds no error (the others are
 * reported and left out). Then runs the VMs side by side on every online
 * CPU (core/sched.h) until all have ended, prints a summary line per VM
 * ("summary: vm 'NAME': powered off|stopped: REASON") and returns the exit
 * status (core/panic.h): HV_EXIT_OK when every selected VM was created and
 * ran to its end; HV_EXIT_VM_FAILED when a VM was not started (errors in
 * its file, not built in, not creatable), the system file has errors or is
 * missing, or the selection names an unknown VM.
 *
 * select/select_len: the value of "vms=" in the boot arguments, a
 * comma-separated list of VM names (base.name); NULL selects every VM.
 * The other CPUs, started before (cpu_start_secondaries), are waited for
 * once the files are checked (cpu_wait_secondaries) and logged as "N of
 * M CPUs online" (M: the CPUs the device tree lists). The system file's
 * [platform] is compared with the machine the device tree describes
 * (W0409): the checks rest on the former.
 */
int vm_boot(const char *path, size_t path_len, const char *select, size_t select_len,
	    const struct dtb_info *machine);

#endif

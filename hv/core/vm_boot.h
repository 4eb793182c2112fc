/*
 * Booting the system: which VMs, from which descriptions. This is the seam
 * where parsed TOML takes over: today each source carries a hard-coded
 * vm_config (builtin_vms.c); with the library, a source carries the TOML
 * text of one VM file, and vm_boot parses, checks and converts it (the
 * same rules as the CLI) before creating the VM. Callers do not change.
 */
#ifndef HV_CORE_VM_BOOT_H
#define HV_CORE_VM_BOOT_H

#include "vmcfg/config.h"

struct hv_vm_source {
	const char *origin;             /* where the description came from, for reports */
	const struct vm_config *config; /* the description */
	bool by_default;                /* booted when the boot arguments name no VMs */
};

/*
 * Creates the selected VMs, runs them one after another on this CPU, and
 * returns the exit status (core/panic.h): HV_EXIT_OK when every VM powered
 * itself off, HV_EXIT_VM_FAILED when one could not be created, was stopped,
 * or the selection names an unknown VM.
 *
 * select/select_len: the value of "vms=" in the boot arguments, a
 * comma-separated list of VM names; select NULL means the sources marked
 * by_default.
 */
int vm_boot(const struct hv_vm_source *src, size_t count, const char *select, size_t select_len);

/* The hard-coded VM descriptions (builtin_vms.c), until the TOML files are embedded. */
extern const struct hv_vm_source hv_builtin_vms[];
extern const size_t hv_builtin_vm_count;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The VM lifecycle: Loading → Loaded → Running ⇄ Suspended → Stopping →
 * Stopped, and back to Loaded by a reset (reset.c). One table says which moves are legal; everything else is
 * refused, so a confused caller cannot, say, resume a stopped VM.
 */
#include "internal.h"

static const char *const state_names[] = {
	[VMCFG_VM_LOADING] = "loading",   [VMCFG_VM_LOADED] = "loaded",	    [VMCFG_VM_RUNNING] = "running",
	[VMCFG_VM_SUSPENDED] = "suspended", [VMCFG_VM_STOPPING] = "stopping", [VMCFG_VM_STOPPED] = "stopped",
};

const char *vmcfg_vm_state_name(enum vmcfg_vm_state s)
{
	if ((unsigned)s >= sizeof state_names / sizeof state_names[0])
		return NULL;
	return state_names[s];
}

/* Bit `to` of allowed[from] is set when from → to is legal. */
#define TO(s) (1u << (s))
static const unsigned allowed[] = {
	[VMCFG_VM_LOADING] = TO(VMCFG_VM_LOADED),
	[VMCFG_VM_LOADED] = TO(VMCFG_VM_RUNNING),
	[VMCFG_VM_RUNNING] = TO(VMCFG_VM_SUSPENDED) | TO(VMCFG_VM_LOADED) | TO(VMCFG_VM_STOPPING),
	[VMCFG_VM_SUSPENDED] = TO(VMCFG_VM_RUNNING) | TO(VMCFG_VM_LOADED) | TO(VMCFG_VM_STOPPING),
	[VMCFG_VM_STOPPING] = TO(VMCFG_VM_STOPPED),
	[VMCFG_VM_STOPPED] = 0,
};

int vmcfg_vm_set_state(struct vmcfg_vm *vm, enum vmcfg_vm_state to)
{
	if (!vm || (unsigned)vm->state >= sizeof allowed / sizeof allowed[0] ||
	    (unsigned)to >= sizeof allowed / sizeof allowed[0] || !(allowed[vm->state] & TO(to)))
		return VMCFG_ESTATE;
	vm->state = to;
	return 0;
}

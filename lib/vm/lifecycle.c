/*
 * The VM lifecycle: Loading → Loaded → Running ⇄ Suspended → Stopping →
 * Stopped, and back to Loaded by a reset (reset.c). One table says which moves are legal; everything else is
 * refused, so a confused caller cannot, say, resume a stopped VM.
 */
#include "internal.h"

static const char *const state_names[] = {
	[VM_LOADING] = "loading",   [VM_LOADED] = "loaded",	    [VM_RUNNING] = "running",
	[VM_SUSPENDED] = "suspended", [VM_STOPPING] = "stopping", [VM_STOPPED] = "stopped",
};

const char *vm_state_name(enum vm_state s)
{
	if ((unsigned)s >= sizeof state_names / sizeof state_names[0])
		return NULL;
	return state_names[s];
}

/* Bit `to` of allowed[from] is set when from → to is legal. */
#define TO(s) (1u << (s))
static const unsigned allowed[] = {
	[VM_LOADING] = TO(VM_LOADED),
	[VM_LOADED] = TO(VM_RUNNING),
	[VM_RUNNING] = TO(VM_SUSPENDED) | TO(VM_LOADED) | TO(VM_STOPPING),
	[VM_SUSPENDED] = TO(VM_RUNNING) | TO(VM_LOADED) | TO(VM_STOPPING),
	[VM_STOPPING] = TO(VM_STOPPED),
	[VM_STOPPED] = 0,
};

int vm_set_state(struct vm *vm, enum vm_state to)
{
	if (!vm || (unsigned)vm->state >= sizeof allowed / sizeof allowed[0] ||
	    (unsigned)to >= sizeof allowed / sizeof allowed[0] || !(allowed[vm->state] & TO(to)))
		return VMCFG_ESTATE;
	vm->state = to;
	return 0;
}

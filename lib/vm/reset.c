/* SPDX-License-Identifier: MIT */
/*
 * A VM's warm reset (vmcfg_vm_reset): devices back to power-on, images written
 * again, everything else kept — the embedder restarts the vCPUs.
 */
#include "internal.h"

int vmcfg_vm_reset(struct vmcfg_vm *vm, const struct vmcfg_vm_image_data *images, size_t count)
{
	if (!vm || (!images && count))
		return VMCFG_EINVAL;
	for (size_t i = 0; i < count; i++)
		if ((unsigned)images[i].kind >= 4 || !vm->images[images[i].kind].loaded)
			return VMCFG_EINVAL;
	/* Checked before any change, so a refused reset leaves the VM as it was. */
	int err = vmcfg_vm_set_state(vm, VMCFG_VM_LOADED);
	if (err)
		return err;
	vmcfg_vm_bus_reset(&vm->bus);
	for (size_t i = 0; i < count; i++) {
		const struct vmcfg_vm_image_data *img = &images[i];
		err = vmcfg_vm_load_image(vm, img->kind, vm->images[img->kind].gpa, img->data, img->len);
		if (err)
			return err;
	}
	return 0;
}

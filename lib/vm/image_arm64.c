/* SPDX-License-Identifier: MIT */
/* The arm64 Linux `Image` header (Documentation/arch/arm64/booting.rst). */
#include "vmcfg/vm.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int vmcfg_vm_arm64_image_parse(const void *data, size_t len, struct vmcfg_vm_arm64_image *out)
{
	static const uint8_t magic[4] = { 'A', 'R', 'M', 0x64 };
	const uint8_t *p = data;
	if (!data || len < VMCFG_VM_ARM64_IMAGE_HEADER_SIZE)
		return VMCFG_ENOENT;
	for (int i = 0; i < 4; i++)
		if (p[VMCFG_VM_ARM64_IMAGE_MAGIC_OFFSET + i] != magic[i])
			return VMCFG_ENOENT;
	out->text_offset = le64(p + 8);
	out->image_size = le64(p + 16);
	out->flags = le64(p + 24);
	/* Before Linux 3.17 the fields were 0 and the kernel assumed these. */
	if (out->image_size == 0) {
		out->text_offset = VMCFG_VM_ARM64_IMAGE_LEGACY_TEXT_OFFSET;
		out->image_size = len;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * Loading boot images (kernel, bios, dtb, ramdisk) through the address
 * space. Every check — inside RAM, the arm64 Image's placement and the
 * room its bss needs, no overlap with another image — runs before the
 * first byte is copied, so a bad image fails that VM and changes nothing.
 */
#include "internal.h"
#include "../base/libc.h"

#define ARM64_IMAGE_BE (1ull << 0)

const char *const vmcfg_vm_image_kind_names[4] = { "kernel", "bios", "dtb", "ramdisk" };

/* Reports through the build (vmcfg_vm_create) or, for a later vmcfg_vm_load_image, the log alone. */
static int image_fail(struct vmcfg_vm *vm, const struct vm_build *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int image_fail(struct vmcfg_vm *vm, const struct vm_build *b, int err, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (b)
		return vmcfg_vm_fail(b, err, "%s", msg);
	vmcfg_vm_log_error(vm, "%s", msg);
	return err;
}

/* Bytes an image occupies once running: an arm64 kernel's image_size covers its bss. */
static uint64_t footprint(const struct vmcfg_vm_loaded_image *img)
{
	if (img->arm64_header && img->arm64.image_size > img->len)
		return img->arm64.image_size;
	return img->len;
}

static int check_arm64_kernel(struct vmcfg_vm *vm, const struct vm_build *b, uint64_t gpa,
			      struct vmcfg_vm_loaded_image *img, const void *data, size_t len)
{
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF], z[VMCFG_FMT_BUF];
	if (vmcfg_vm_arm64_image_parse(data, len, &img->arm64))
		return 0; /* a raw binary: nothing more to check */
	img->arm64_header = true;
	if (img->arm64.flags & ARM64_IMAGE_BE)
		return image_fail(vm, b, VMCFG_EINVAL, "kernel is a big-endian arm64 Image");
	if (gpa < img->arm64.text_offset ||
	    (gpa - img->arm64.text_offset) % VMCFG_VM_ARM64_IMAGE_ALIGN)
		return image_fail(vm, b, VMCFG_EALIGN,
				  "kernel load address %s: an arm64 Image must sit text_offset %s "
				  "past a 2 MiB boundary",
				  vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, img->arm64.text_offset));
	uint64_t need = footprint(img);
	if (!vmcfg_vm_range_is_ram(vm, gpa, need))
		return image_fail(vm, b, VMCFG_ERANGE,
				  "kernel at %s needs %s bytes (its image_size) of RAM, which the "
				  "VM does not have from there (file %s bytes)",
				  vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, need), vmcfg_fmt_hex(z, len));
	return 0;
}

int vmcfg_vm_load_image_checked(struct vmcfg_vm *vm, const struct vm_build *b, enum vmcfg_image_kind kind,
			  uint64_t gpa, const void *data, size_t len)
{
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF];
	unsigned k = (unsigned)kind;
	if (k >= 4 || (!data && len))
		return image_fail(vm, b, VMCFG_EINVAL, "image of unknown kind %u or without data", k);
	const char *name = vmcfg_vm_image_kind_names[k];
	if (vm->state != VMCFG_VM_LOADING && vm->state != VMCFG_VM_LOADED)
		return image_fail(vm, b, VMCFG_ESTATE, "%s image: the VM is %s", name,
				  vmcfg_vm_state_name(vm->state));
	if (len == 0)
		return image_fail(vm, b, VMCFG_EINVAL, "%s image is empty", name);
	if (!vmcfg_vm_range_is_ram(vm, gpa, len))
		return image_fail(vm, b, VMCFG_ERANGE,
				  "%s image at %s (%s bytes) does not lie inside the VM's RAM",
				  name, vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, len));

	struct vmcfg_vm_loaded_image img = { true, gpa, len, false, { 0, 0, 0 } };
	if (kind == VMCFG_IMAGE_KERNEL && vm->arch == VMCFG_ARCH_AARCH64) {
		int err = check_arm64_kernel(vm, b, gpa, &img, data, len);
		if (err)
			return err;
	}
	for (unsigned o = 0; o < 4; o++) {
		const struct vmcfg_vm_loaded_image *other = &vm->images[o];
		if (o != k && other->loaded &&
		    vm_ranges_overlap(gpa, footprint(&img), other->gpa, footprint(other)))
			return image_fail(vm, b, VMCFG_EOVERLAP,
					  "%s image at %s overlaps the %s image at %s", name,
					  vmcfg_fmt_hex(x, gpa), vmcfg_vm_image_kind_names[o],
					  vmcfg_fmt_hex(y, other->gpa));
	}
	int err = vmcfg_aspace_write(&vm->aspace, gpa, data, len);
	if (err)
		return image_fail(vm, b, err, "%s image at %s: %s", name, vmcfg_fmt_hex(x, gpa),
				  err == VMCFG_EFAULT ? "RAM the host cannot show (not memory)"
						      : vmcfg_strerror(err));
	vm->images[k] = img;
	return 0;
}

int vmcfg_vm_load_image(struct vmcfg_vm *vm, enum vmcfg_image_kind kind, uint64_t gpa, const void *data,
		  size_t len)
{
	if (!vm)
		return VMCFG_EINVAL;
	return vmcfg_vm_load_image_checked(vm, NULL, kind, gpa, data, len);
}

/* SPDX-License-Identifier: MIT */
/* lib/vm internals: the build steps vmcfg_vm_create runs, one file each. */
#ifndef VMCFG_LIB_VM_INTERNAL_H
#define VMCFG_LIB_VM_INTERNAL_H

#include "vmcfg/vm.h"

/* What one vmcfg_vm_create call carries through its steps. */
struct vm_build {
	struct vmcfg_vm *vm;
	const struct vmcfg_vm_config *cfg;
	const struct vmcfg_vm_create_opts *opts;
	const struct vmcfg_system *sys;
};

/*
 * Reports why building failed (to the HAL log and to opts->error) and
 * returns err, so a step can `return vmcfg_vm_fail(b, err, ...)`.
 */
int vmcfg_vm_fail(const struct vm_build *b, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Logs a warning about vm (prefixed with its id and name) and counts it. */
void vmcfg_vm_warn(struct vmcfg_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs an error about vm (prefixed with its id and name). */
void vmcfg_vm_log_error(const struct vmcfg_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The build steps, in the order vmcfg_vm_create runs them; each returns 0 or an error it reported. */
int vmcfg_vm_setup_vcpus(struct vm_build *b);
int vmcfg_vm_setup_memory(struct vm_build *b);
int vmcfg_vm_setup_passthrough(struct vm_build *b);
int vmcfg_vm_setup_devices(struct vm_build *b);

/* "kernel", "bios", "dtb", "ramdisk": by enum vmcfg_image_kind (image.c). */
extern const char *const vmcfg_vm_image_kind_names[4];

/* Loads one image, reporting through fail (NULL: through vmcfg_vm_log_error only). */
int vmcfg_vm_load_image_checked(struct vmcfg_vm *vm, const struct vm_build *b, enum vmcfg_image_kind kind,
			  uint64_t gpa, const void *data, size_t len);

/* Zeroes every frame vm owns (vmcfg_vm_destroy scrubs before returning them). */
void vmcfg_vm_scrub_ram(struct vmcfg_vm *vm);

/*
 * Puts a device on vm's bus at info's space, base and length, reporting a
 * failure with the device's name and the reason (devices.c).
 */
int vmcfg_vm_register_device(struct vm_build *b, const struct vmcfg_vm_device_info *info,
		       const struct vmcfg_vm_device_ops *ops, void *dev);

/* Emulated consoles (console.c). */
struct vmcfg_vm_console;
int vmcfg_vm_console_create(struct vm_build *b, const struct vmcfg_vm_emu_device *dev,
		      struct vmcfg_vm_device_info *info);
/*
 * Maps the read shadow of the console just created for info (the newest),
 * when it is a PL011 on a page boundary spanning a page (opts.console_read_shadow).
 */
int vmcfg_vm_console_map_shadow(struct vm_build *b, struct vmcfg_vm_device_info *info);
/* Pushes bytes into a console's receive FIFO; returns how many fit. */
size_t vmcfg_vm_console_push(struct vmcfg_vm_console *c, const char *s, size_t len);
/* Frees the consoles' read-shadow frames (VM teardown, before the aspace goes). */
void vmcfg_vm_console_release(struct vmcfg_vm *vm);

/* Half-open range overlap test for [a, a + as) and [b, b + bs) (ends already checked). */
static inline bool vm_ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Guest device trees built at boot from the host DTB QEMU hands the
 * hypervisor, by lib/fdt — the code `vmcfg dtb` runs — linked with libfdt
 * built from Debian's source (hv/hv.mk). The blobs are built and reported
 * (size and CRC-32, which tests/qemu/run compares with `vmcfg dtb`'s) and
 * loaded at the dtb_load_addr of a VM without a dtb_path; a VM with a
 * dtb_path gets that DTB fixed up for it (vmcfg_fdt_guest_fixup).
 */
#ifndef HV_CORE_GUEST_DT_H
#define HV_CORE_GUEST_DT_H

#include <stdbool.h>
#include <stddef.h>

#include "vmcfg/check.h"
#include "vmcfg/config.h"

/*
 * Takes the host DTB (size bytes at blob, which must stay in place: the frame
 * allocator keeps it busy), once at boot. lib/fdt reads it as its platform
 * when a VM first needs it (hv_guest_dt_resolve, hv_guest_dt_build) and logs
 * "host DT: ..." then; when lib/fdt refuses it, says so, and those two then
 * do nothing.
 */
void hv_guest_dt_init(const void *blob, size_t size);

/*
 * Boot argument guest_dts=all: hv_guest_dt_build builds and reports the guest
 * DT of every VM, also of those that load none (no dtb_load_addr), so the boot
 * tests can compare each with `vmcfg dtb`'s. Off by default: a DT no VM loads
 * is work the boot does not need.
 */
extern bool hv_guest_dts_all;

/*
 * Resolves cfg's DT-path passthrough entries, excluded_devices included,
 * against the host DT as `vmcfg build --platform` does
 * (vmcfg_fdt_resolve_config): they become the host's windows and SPIs, so
 * vmcfg_vm_create maps what the CLI's build maps. When spec (cfg's file)
 * has DT paths it is first checked against the host DT as `vmcfg check
 * --platform` checks it; its errors are logged and refuse the VM. Nothing
 * without a host DT, nor for a cfg with neither DT paths nor excluded_devices
 * (the host DT is not read for it). Returns 0, VMCFG_EINVALID (errors against the host
 * DT) or VMCFG_ENOMEM.
 */
int hv_guest_dt_resolve(const struct vmcfg_vm_spec *spec, struct vmcfg_vm_config *cfg);

/*
 * Builds the guest DT of the VM of spec and cfg (its file at cfg_path) in
 * system sys as `vmcfg dtb FILE --system SYSTEM --platform HOST.dtb` does
 * (the VM's file checked against the host DT, its DT-path passthrough
 * entries expanded, then vmcfg_fdt_guest_build; with a dtb_path, that
 * built-in DTB fixed up by vmcfg_fdt_guest_fixup instead), the ramdisk's
 * size taken from its built-in file, and logs its size and CRC-32, or why
 * it could not be built. Returns the blob (*size bytes; release it with
 * free() from hv/libfdt-env/stdlib.h), NULL when it was not built. The VM
 * starts either way; it gets the blob when its file has a dtb_load_addr
 * (hv_vm_create): in place of its dtb_path file when it has one. Without a
 * dtb_load_addr nothing is built (and the host DT not read for it) unless
 * hv_guest_dts_all is set.
 */
void *hv_guest_dt_build(const struct vmcfg_vm_spec *spec, const struct vmcfg_vm_config *cfg,
			const char *cfg_path, const struct vmcfg_system *sys, size_t *size);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's path: console, device tree, frame allocator, the other
 * CPUs, then the VMs; the machine ends with their combined status.
 */
#include "core/arch.h"
#include "core/console.h"
#include "core/cpu_online.h"
#include "core/dtb.h"
#include "core/guest_dt.h"
#include "core/frames.h"
#include "core/libc.h"
#include "core/panic.h"
#include "core/vm.h"
#include "core/vm_boot.h"

/* hv.ld: the image, from its first byte to the end of its stacks. */
extern char __hv_start[], __hv_end[];

/* Kept for the whole run: the frame allocator refers to its RAM banks. */
static struct dtb_info dtb;

/* Called from boot.S on the boot CPU with what the loader left in x0 (aarch64) / a1 (riscv64). */
__attribute__((noreturn)) void hv_main(uint64_t boot_arg);

/* The value of key (e.g. "vms=") among the space-separated boot arguments, or NULL. */
static const char *bootarg(const char *args, const char *key, size_t *len)
{
	size_t key_len = strlen(key);

	for (const char *p = args; *p;) {
		size_t n = 0;

		while (p[n] && p[n] != ' ')
			n++;
		if (n >= key_len && memcmp(p, key, key_len) == 0) {
			*len = n - key_len;
			return p + key_len;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

void hv_main(uint64_t boot_arg)
{
	const void *blob;
	struct dtb_range busy[2];
	const char *system, *select, *seed, *dts;
	size_t system_len = 0, select_len = 0, seed_len = 0, dts_len = 0;
	int err;

	hv_arch_boot_cpu_init();
	blob = hv_arch_boot_dtb(boot_arg);
	err = dtb_read(blob, &dtb);
	if (err)
		hv_panic("no usable device tree at %p: %s", blob, vmcfg_strerror(err));

	busy[0] = (struct dtb_range){ (uintptr_t)__hv_start, (uintptr_t)(__hv_end - __hv_start) };
	busy[1] = (struct dtb_range){ (uintptr_t)blob, dtb.total_size };
	err = frames_init(&dtb, busy, 2);
	if (err)
		hv_panic("frame allocator: %s", vmcfg_strerror(err));
	hv_log("RAM: %u bank(s), %zu MiB free of %zu MiB", dtb.mem_count,
	       frames_free() >> (20 - VMCFG_PAGE_SHIFT), frames_total() >> (20 - VMCFG_PAGE_SHIFT));
	hv_guest_dt_init(blob, dtb.total_size);

	cpu_start_secondaries(dtb.cpu_mpidr, dtb.cpu_count); /* vm_boot waits for them */

	system = bootarg(dtb.bootargs, "system=", &system_len);
	if (!system) {
		system = HV_DEFAULT_SYSTEM;
		system_len = strlen(system);
	}
	select = bootarg(dtb.bootargs, "vms=", &select_len);
	seed = bootarg(dtb.bootargs, "seed=", &seed_len);
	for (size_t i = 0; seed && i < seed_len && seed[i] >= '0' && seed[i] <= '9'; i++)
		hv_guest_seed = hv_guest_seed * 10 + (uint64_t)(seed[i] - '0');
	dts = bootarg(dtb.bootargs, "guest_dts=", &dts_len);
	hv_guest_dts_all = dts && dts_len == 3 && memcmp(dts, "all", 3) == 0;
	hv_exit(vm_boot(system, system_len, select, select_len, &dtb));
}

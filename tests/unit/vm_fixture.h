/* SPDX-License-Identifier: MIT */
/*
 * Shared by the vm, bus and ivc unit tests: a simulated host (RAM buffer,
 * frame bitmap, HAL with a log that the tests read back), a counting
 * allocator, and VM configs written as TOML and run through the real
 * decode → convert pipeline.
 */
#ifndef VMCFG_TESTS_VM_FIXTURE_H
#define VMCFG_TESTS_VM_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/host.h"
#include "vmcfg/vm.h"

struct fixture {
	struct vmcfg_counting_alloc counts;
	struct vmcfg_allocator alloc;
	struct vmcfg_sim_mem sim;
	uint8_t *ram;
	uint64_t *bitmap;
	struct vmcfg_hal hal;
	char log[8192];
	size_t log_len;
	unsigned warnings, errors;
};

static void fx_log(void *ctx, enum vmcfg_log_level level, const char *msg)
{
	/* ctx is the sim; the fixture embeds it, so step back to the fixture. */
	struct fixture *f = (struct fixture *)((char *)ctx - offsetof(struct fixture, sim));
	if (level == VMCFG_LOG_WARN)
		f->warnings++;
	if (level == VMCFG_LOG_ERROR)
		f->errors++;
	int n = snprintf(f->log + f->log_len, sizeof f->log - f->log_len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof f->log - f->log_len)
		f->log_len += (size_t)n;
}

/* Simulated host RAM [base, base + size), optionally poisoned with 0xA5. */
static inline void fx_init(struct fixture *f, uint64_t base, size_t size, bool poison)
{
	memset(f, 0, sizeof *f);
	f->alloc = vmcfg_counting_allocator(&f->counts);
	f->ram = aligned_alloc(4096, size);
	size_t words = VMCFG_SIM_BITMAP_WORDS(size);
	f->bitmap = calloc(words, sizeof *f->bitmap);
	assert_non_null(f->ram);
	assert_non_null(f->bitmap);
	assert_int_equal(vmcfg_sim_mem_init(&f->sim, f->ram, size, base, f->bitmap, words, poison), 0);
	f->hal = vmcfg_sim_mem_hal(&f->sim);
	f->hal.log = fx_log;
}

static inline void fx_clear_log(struct fixture *f)
{
	f->log[0] = '\0';
	f->log_len = 0;
	f->warnings = f->errors = 0;
}

static inline void fx_free(struct fixture *f)
{
	assert_int_equal(f->sim.bad_frees, 0);
	free(f->ram);
	free(f->bitmap);
}

/* A converted config from TOML text (the file must be free of errors). */
static inline struct vmcfg_vm_config *fx_config(struct fixture *f, const char *toml)
{
	struct vmcfg_diags d;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_vm_config *cfg = NULL;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_vm_spec_load(toml, strlen(toml), "test.toml", &vmcfg_host_allocator, &d,
				      &spec),
			 0);
	for (size_t i = 0; i < d.count; i++)
		if (d.items[i].severity == VMCFG_SEV_ERROR)
			fprintf(stderr, "config: %s\n", d.items[i].message);
	assert_int_equal(d.errors, 0);
	assert_non_null(spec);
	assert_int_equal(vmcfg_vm_config_from_spec(spec, &f->alloc, &cfg), 0);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&d);
	return cfg;
}

/* Options for an aarch64 build with an error buffer. */
static inline struct vmcfg_vm_create_opts fx_opts(char *err, size_t n)
{
	struct vmcfg_vm_create_opts o;
	memset(&o, 0, sizeof o);
	o.arch = VMCFG_ARCH_AARCH64;
	o.error = err;
	o.error_size = n;
	return o;
}

/* A minimal VM file: [base] with id/name, one vCPU, the given kernel table body and devices. */
#define FX_VM(id, name, kernel, devices)                                                      \
	"[base]\nid = " #id "\nname = \"" name "\"\nvm_type = 1\ncpu_num = 1\n"                  \
	"[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k.bin\"\n"                           \
	"kernel_load_addr = 0x4008_0000\n" kernel "\n[devices]\n" devices "\n"

#endif

/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/host.h — the host side of the library (not in the freestanding
 * core): a libc-backed allocator and whole-file reading for tools and tests.
 */
#ifndef VMCFG_HOST_H
#define VMCFG_HOST_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

/* An allocator on malloc/realloc/free; ud is unused. */
extern const struct vmcfg_allocator vmcfg_host_allocator;

/*
 * A counting allocator for tests and benchmarks: tracks bytes in use and
 * the peak, and fails the allocation whose 1-based number equals fail_at
 * (0 = never), so every allocation point can be tested for clean unwinding.
 */
struct vmcfg_counting_alloc {
	size_t in_use, peak;
	uint64_t calls;   /* allocations attempted so far (frees not counted) */
	uint64_t fail_at; /* 0 = never fail */
};
struct vmcfg_allocator vmcfg_counting_allocator(struct vmcfg_counting_alloc *state);

/*
 * Reads a whole file ("-" = standard input) into a malloc'ed buffer that
 * holds *len bytes plus a NUL. Returns 0, VMCFG_EIO (errno tells why) or
 * VMCFG_ENOMEM. Free the buffer with free().
 */
int vmcfg_read_file(const char *path, char **data, size_t *len);

VMCFG_END_DECLS

#endif /* VMCFG_HOST_H */

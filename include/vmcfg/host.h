/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/host.h — the host side of the library (not in the freestanding
 * core): a libc-backed allocator and whole-file reading for tools and tests.
 */
#ifndef VMCFG_HOST_H
#define VMCFG_HOST_H

#include "vmcfg/base.h"
#include "vmcfg/diag.h"

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
 * The largest file vmcfg_read_file reads: every configuration file, system
 * file and device tree the tools take. Real ones are kilobytes; the limit
 * keeps /dev/zero or a runaway generator from exhausting memory.
 */
#define VMCFG_MAX_INPUT (64u << 20)
#define VMCFG_MAX_INPUT_TEXT "64 MiB"

/*
 * Reads a whole file ("-" = standard input) of at most max bytes into a
 * malloc'ed buffer that holds *len bytes plus a NUL. Regular files and
 * pipes/FIFOs are read (a FIFO without a writer reads as empty instead of
 * blocking); devices, directories and sockets are refused. Returns 0,
 * VMCFG_EIO (errno tells why), VMCFG_ELIMIT (more than max bytes),
 * VMCFG_EINVAL (not a regular file or pipe, or a NULL argument) or
 * VMCFG_ENOMEM. Free the buffer with free().
 */
int vmcfg_read_file_max(const char *path, size_t max, char **data, size_t *len);

/* vmcfg_read_file_max with max = VMCFG_MAX_INPUT. */
int vmcfg_read_file(const char *path, char **data, size_t *len);

/*
 * Why a vmcfg_read_file call failed, for a message: strerror(err) for
 * VMCFG_EIO (pass the errno saved right after the call), the limit for
 * VMCFG_ELIMIT (as VMCFG_MAX_INPUT), "not a regular file or a pipe" for
 * VMCFG_EINVAL, else vmcfg_strerror(rc). Never NULL.
 */
const char *vmcfg_read_strerror(int rc, int err);

/*
 * The documentation of a diagnostic code: its section of docs/diagnostics.md,
 * which the library carries (lib/host/diag_docs.c). Pointers are into that
 * text (not NUL-terminated at the lengths given).
 */
struct vmcfg_rule_doc {
	const char *heading; /* "E0101 missing required key" (heading_len bytes) */
	size_t heading_len;
	const char *title;   /* "missing required key": the heading after the code */
	size_t title_len;
	const char *body;    /* the Markdown below the heading, up to the next section */
	size_t body_len;
	char anchor[160];    /* the heading's GitHub anchor: "e0101-missing-required-key" */
};

/* Fills *doc for rule; false when rule is unknown or docs/diagnostics.md has no section for it. */
bool vmcfg_rule_doc(enum vmcfg_rule rule, struct vmcfg_rule_doc *doc);

VMCFG_END_DECLS

#endif /* VMCFG_HOST_H */

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
 * Reads a whole file ("-" = standard input) into a malloc'ed buffer that
 * holds *len bytes plus a NUL. Returns 0, VMCFG_EIO (errno tells why) or
 * VMCFG_ENOMEM. Free the buffer with free().
 */
int vmcfg_read_file(const char *path, char **data, size_t *len);

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

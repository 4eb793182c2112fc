/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/diag.h — diagnostics: what every validating stage (decode, convert,
 * check) reports about a user's files. A diagnostic has a severity, a
 * stable code from the catalogue below (documented in docs/diagnostics.md),
 * a message naming the concrete values, the span of the offending value,
 * optionally the span of the declaration it conflicts with, and a hint.
 *
 * Stages never stop at the first finding: they append to a vmcfg_diags
 * list and go on. Freestanding: memory comes from the caller's allocator.
 */
#ifndef VMCFG_DIAG_H
#define VMCFG_DIAG_H

#include "vmcfg/base.h"

VMCFG_BEGIN_DECLS

enum vmcfg_severity {
	VMCFG_SEV_NOTE = 0,    /* information, e.g. a rule skipped for lack of a platform */
	VMCFG_SEV_WARNING = 1, /* probably a mistake; the VM can still be built */
	VMCFG_SEV_ERROR = 2    /* the VM cannot be built as written */
};

/*
 * The rule catalogue. Each rule has a stable code ("E0101"), a default
 * severity and a title; see vmcfg_rule_info(). Codes: E00xx/W00xx input
 * and syntax; E01xx/W01xx schema; E02xx/W02xx one VM; E03xx/W03xx a whole
 * system; E04xx/W04xx against the host device tree. A code starts with E,
 * W or N (note) after the rule's default severity.
 * New rules are appended before VMCFG_RULE_COUNT; codes never change.
 */
enum vmcfg_rule {
	VMCFG_R_IO = 0,             /* E0001 a file cannot be read */
	VMCFG_R_TOML_SYNTAX,        /* E0002 not valid TOML */
	VMCFG_R_MISSING_KEY,        /* E0101 a required key or table is missing */
	VMCFG_R_WRONG_TYPE,         /* E0102 a value has the wrong type */
	VMCFG_R_OUT_OF_RANGE,       /* E0103 a number outside its range (negative, too big) */
	VMCFG_R_BAD_ENUM,           /* E0104 a value that is not one of the allowed names/numbers */
	VMCFG_R_ARITY,              /* E0105 a positional record with the wrong number of fields */
	VMCFG_R_UNKNOWN_KEY,        /* W0106 a key or table the format does not know */
	VMCFG_R_CPU_LIST_LENGTH,    /* E0201 phys_cpu_ids / phys_cpu_sets length != cpu_num */
	VMCFG_R_CPU_NUM_ZERO,       /* E0202 cpu_num is 0 */
	VMCFG_R_DEVICE_REGION,      /* W0203 a memory region flagged DEVICE is skipped */
	VMCFG_R_PATH_WITHOUT_ADDR,  /* E0204 an image path without a load address or vice versa */
	VMCFG_R_NOT_ALIGNED,        /* E0205 a region address or size is not page-aligned */
	VMCFG_R_SIZE_ZERO,          /* E0206 a memory region or window of size 0 */
	VMCFG_R_RANGE_WRAPS,        /* E0207 base + size passes 2^64 */
	VMCFG_R_BEYOND_IPA,         /* E0208 a guest range beyond the platform's IPA width */
	VMCFG_R_WRITE_WITHOUT_READ, /* W0209 a region writable but not readable */
	VMCFG_R_EXEC_DEVICE,        /* E0210 a region both DEVICE and EXECUTE */
	VMCFG_R_GUEST_OVERLAP,      /* E0211 two guest-physical ranges of a VM overlap */
	VMCFG_R_ENTRY_NOT_EXEC,     /* E0212 entry point not in executable RAM */
	VMCFG_R_IMAGE_OUTSIDE_RAM,  /* E0213 an image load address outside RAM */
	VMCFG_R_IMAGE_TOO_BIG,      /* E0214 an image does not fit before its region's end */
	VMCFG_R_IMAGES_OVERLAP,     /* E0215 two images overlap once loaded */
	VMCFG_R_CFG_ARITY,          /* E0216 emu cfg_list wrong (length, console model) for its type */
	VMCFG_R_EMU_GIC_PT_MODE,    /* E0217 emulated interrupt controller in passthrough mode */
	VMCFG_R_IRQ_UNDER_NO_IRQ,   /* W0218 an emulated device IRQ under interrupt_mode no_irq */
	VMCFG_R_SHARED_EMU_IRQ,     /* E0219 two emulated devices with one IRQ */
	VMCFG_R_CPU_MASK_EMPTY,     /* E0220 a phys_cpu_sets mask of 0 */
	VMCFG_R_CPU_MASK_PLATFORM,  /* E0221 a CPU mask names CPUs the platform lacks */
	VMCFG_R_DUP_PHYS_ID,        /* E0222 one physical CPU id for two vCPUs */
	VMCFG_R_VCPUS_SHARE_PCPU,   /* W0223 two vCPUs of a VM pinned to one physical CPU */
	VMCFG_R_PT_ROUNDING,        /* W0224 a passthrough window not page-aligned */
	VMCFG_R_PHYS_ID_PLATFORM,   /* E0225 a physical CPU id the platform does not have */
	VMCFG_R_HOST_SELF_OVERLAP,  /* E0226 two host ranges of one VM overlap */
	VMCFG_R_DUP_VM_ID,          /* E0301 two VMs with one id */
	VMCFG_R_DUP_VM_NAME,        /* E0302 two VMs with one name */
	VMCFG_R_HOST_OVERLAP,       /* E0303 host memory of two VMs overlaps */
	VMCFG_R_PT_SHARED,          /* E0304 a passthrough window given to two VMs */
	VMCFG_R_OVER_HV_MEMORY,     /* E0305 VM memory over the hypervisor's memory */
	VMCFG_R_OVER_RESERVED,      /* E0306 VM memory over a reserved frame (GIC, IOMMU) */
	VMCFG_R_OUTSIDE_HOST_RAM,   /* E0307 identity/reserved RAM outside host RAM */
	VMCFG_R_PCPU_TWO_VMS,       /* E0308 a physical CPU pinned by two VMs */
	VMCFG_R_SPI_TWO_VMS,        /* E0309 a host SPI routed to two VMs */
	VMCFG_R_IVC_UNKNOWN_VM,     /* E0310 an IVC channel names an unknown VM */
	VMCFG_R_IVC_WINDOW,         /* E0311 IVC channels do not fit a VM's IVC window */
	VMCFG_R_IVC_DUP_KEY,        /* E0312 two IVC channels with one key */
	VMCFG_R_PLATFORM_SKIPPED,   /* N0313 platform rules skipped: no platform given */
	VMCFG_R_FDT_INVALID,        /* E0401 the host device tree cannot be read */
	VMCFG_R_FDT_NO_NODE,        /* E0402 a passthrough path the host DT does not have */
	VMCFG_R_FDT_DISABLED,       /* W0403 a passthrough path names a disabled node */
	VMCFG_R_FDT_REG,            /* W0404 a node's reg cannot be read or translated */
	VMCFG_R_FDT_IRQ,            /* W0405 a node's interrupts cannot be decoded or routed */
	VMCFG_R_FDT_DANGLING,       /* W0406 a guest DT property dropped: its phandle target is not in the guest */
	VMCFG_R_FDT_NO_EXCLUDED,    /* W0407 an excluded path the host DT does not have */
	VMCFG_R_FDT_CPUS,           /* W0408 host CPUs beyond VMCFG_MAX_PCPUS ignored */
	VMCFG_R_IVC_CMDLINE,        /* W0314 ivc= of a kernel command line is no static channel's address */
	VMCFG_R_PT_PAGE_OFFSET,     /* E0227 passthrough GPA and HPA differ within a page */
	VMCFG_R_BEYOND_PA,          /* E0228 a host range beyond the physical address width */
	VMCFG_R_VGIC_LIMIT,         /* E0229 an emulated GIC the hypervisor cannot build */
	VMCFG_R_HOST_RAM_EXCEEDED,  /* E0315 the VMs need more RAM than the host has */
	VMCFG_R_HV_LIMIT,           /* E0316 more VMs or vCPUs than the hypervisor runs */
	VMCFG_R_IVC_QUOTA,          /* E0317 static IVC channels beyond the hypervisor's quotas */
	VMCFG_R_PHYS_ID_MPIDR,      /* E0230 an aarch64 physical CPU id outside the MPIDR affinity fields */
	VMCFG_R_BOOT_PROTOCOL,      /* E0231 boot_protocol, enable_bios and the firmware disagree */
	VMCFG_R_EMU_NOT_BUILT,      /* W0233 an emulated device type the reference hypervisor leaves inert */
	VMCFG_R_NO_ACCESS,          /* E0234 a RAM region that grants no access (no READ, WRITE or EXECUTE) */
	VMCFG_R_PT_PORTS,           /* E0235 passthrough_ports: empty, past port 0xffff, or not on x86_64 */
	VMCFG_R_WRITE_ONLY_REFUSED, /* E0236 writable, not readable, where the stage-2 format cannot say so */
	VMCFG_R_IVC_WINDOWS,        /* E0237 more than one IVC window (IVCChannel device) in a VM */
	VMCFG_R_MACHINE_SCHEMA,     /* E0238 AxVisor's [machine] schema, which vmcfg does not read */
	VMCFG_R_DEVICE_REF,         /* E0239 a devices.passthrough / disabled path AxVisor refuses */
	VMCFG_R_DEDICATED_CPUS,     /* E0240 dedicated_cpus without a non-zero CPU mask per vCPU */
	VMCFG_R_PLATFORM_MACHINE,   /* W0409 the system's platform disagrees with the machine's device tree */
	VMCFG_RULE_COUNT
};

struct vmcfg_rule_info {
	const char *code;  /* "E0101" */
	enum vmcfg_severity severity;
	const char *title; /* "missing required key" */
};

/* The catalogue entry of a rule; NULL for an unknown value. */
const struct vmcfg_rule_info *vmcfg_rule_info(enum vmcfg_rule rule);

/* A place in a named file. file may be NULL and span.line 0 for "nowhere". */
struct vmcfg_loc {
	const char *file;
	struct vmcfg_span span;
};

struct vmcfg_diag {
	enum vmcfg_rule rule;
	enum vmcfg_severity severity; /* the rule's, or raised by vmcfg_diags_promote */
	const char *code;             /* the rule's code */
	const char *message;          /* "region size 0x0 …" */
	struct vmcfg_loc primary;
	struct vmcfg_loc related;     /* related.span.line == 0: none */
	const char *related_message;  /* "first declared here"; NULL if no related */
	const char *hint;             /* NULL if none: "did you mean `kernel_load_addr`?" */
	/*
	 * A mechanical fix, when the hint is one: replace the text at
	 * fix_span (in primary.file) by fix (TOML, e.g. `"passthrough"`).
	 * fix NULL: none. For editors' code actions.
	 */
	const char *fix;
	struct vmcfg_span fix_span;
};

/*
 * A growing list of diagnostics. Strings (messages, hints and file names)
 * are copied into its arena, so the arguments need not outlive the call and
 * the list may outlive the specs it describes. Counts are kept per severity.
 */
struct vmcfg_diags {
	struct vmcfg_allocator alloc;
	struct vmcfg_arena arena;
	struct vmcfg_diag *items;
	size_t count, cap;
	size_t errors, warnings, notes;
	bool oom; /* an append failed for lack of memory (the list is incomplete) */
};

void vmcfg_diags_init(struct vmcfg_diags *d, const struct vmcfg_allocator *alloc);
void vmcfg_diags_free(struct vmcfg_diags *d);

/*
 * Appends a diagnostic of rule at primary, with the message formatted from
 * fmt (vmcfg_snprintf conversions). Returns 0 or VMCFG_ENOMEM (then d->oom
 * is set and the finding is lost). Returns a pointer to the new entry via
 * *out when out is not NULL, so callers can attach a related span / hint.
 */
int vmcfg_diag_add(struct vmcfg_diags *d, enum vmcfg_rule rule, struct vmcfg_loc primary,
		   struct vmcfg_diag **out, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Sets the related location and its message on diag (copied). 0 or VMCFG_ENOMEM. */
int vmcfg_diag_relate(struct vmcfg_diags *d, struct vmcfg_diag *diag, struct vmcfg_loc related,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sets the hint of diag (formatted, copied). 0 or VMCFG_ENOMEM. */
int vmcfg_diag_hint(struct vmcfg_diags *d, struct vmcfg_diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Sets the mechanical fix of diag: replace the text at span (in the
 * primary file) by text (copied). 0, VMCFG_EINVAL (NULL diag or text) or
 * VMCFG_ENOMEM.
 */
int vmcfg_diag_fix(struct vmcfg_diags *d, struct vmcfg_diag *diag, struct vmcfg_span span,
		   const char *text);

/* Raises every warning to an error (for --strict / -W error); counts follow. */
void vmcfg_diags_promote(struct vmcfg_diags *d);

/*
 * Drops every diagnostic after the first count (and adjusts the counts), so
 * a stage that fails for lack of memory can take back its partial findings.
 * A count at or above d->count changes nothing.
 */
void vmcfg_diags_truncate(struct vmcfg_diags *d, size_t count);

/*
 * Sorts diagnostics by file name, line, column (stable for equal places),
 * for reports in reading order. O(n log n) with a temporary buffer from the
 * list's allocator; when that allocation fails, an in-place insertion sort.
 */
void vmcfg_diags_sort(struct vmcfg_diags *d);

/*
 * Rendering diagnostics as text, the way `vmcfg check` prints them, for any
 * embedder (a hypervisor's boot log, another tool):
 *
 *   FILE:LINE:COL: error[E0211]: message
 *   LINE | the source line
 *        |     ^^^^^ (carets under the span)
 *   FILE:LINE:COL: note: related message      (when the finding has one)
 *     = help: hint                            (when it has one)
 *   ...
 *   N errors, N warnings
 *
 * Bounded whatever the input: a source line longer than max_line is shown
 * as a window of about max_line bytes around the span with "…" at the cut
 * ends; a message, related message or hint longer than max_message bytes is
 * cut with "…"; after max_per_file findings of one file (counted over
 * consecutive findings, so sort first: vmcfg_diags_sort) the rest of that
 * file's findings are summed up in one "note: N more findings in FILE not
 * shown" line; after max_total findings shown in all, the report stops with
 * one "note: N more findings not shown" line (N counts every finding left,
 * including those over a file's cap). Output goes through write in chunks of up to a few KiB (it
 * buffers internally), never a byte at a time. Freestanding: no allocation.
 */

/* The text of a file the diagnostics point into, for excerpts. */
struct vmcfg_diag_source {
	const char *file; /* matched against vmcfg_loc.file */
	const char *text;
	size_t len;
};

struct vmcfg_render_opts {
	bool color;          /* ANSI colour escapes (bold, red errors, yellow warnings…) */
	size_t max_line;     /* bytes of a source line shown; 0: VMCFG_RENDER_MAX_LINE */
	size_t max_message;  /* bytes of a message or hint shown; 0: VMCFG_RENDER_MAX_MESSAGE */
	size_t max_per_file; /* findings shown per file; 0: no limit */
	size_t max_total;    /* findings shown in all; 0: no limit */
};

#define VMCFG_RENDER_MAX_LINE 240
#define VMCFG_RENDER_MAX_MESSAGE 1024

/*
 * Receives successive pieces of the report. Returns 0 to go on; any other
 * value stops the rendering, which then returns that value.
 */
typedef int (*vmcfg_render_write_fn)(void *ctx, const char *buf, size_t len);

/*
 * Writes every diagnostic of d (in list order), the "out of memory" note
 * when d->oom, and the closing "N errors, N warnings" line through write.
 * sources (source_count entries; may be NULL when 0) give the excerpts: a
 * finding whose file is not among them, or whose span lies outside its
 * text, is printed without one. opts may be NULL (no colour, defaults).
 * Returns 0, VMCFG_EINVAL when d or write is NULL, or the first non-zero
 * value write returned.
 */
int vmcfg_diag_render(const struct vmcfg_diags *d, const struct vmcfg_diag_source *sources,
		      size_t source_count, const struct vmcfg_render_opts *opts,
		      vmcfg_render_write_fn write, void *ctx);

/*
 * The closest candidate to word among names[0..n) by edit distance, or NULL
 * when none is close enough to be a plausible typo (distance ≤ 1/3 of the
 * length, at least 1). For "did you mean" hints.
 */
const char *vmcfg_nearest_name(const char *word, size_t len, const char *const *names, size_t n);

/* --- levels and inline suppressions (lib/base/diag_levels.c) --- */

/* What the user asked for a code (-A, -W, -D CODE); DEFAULT: its catalogue severity. */
enum vmcfg_level { VMCFG_LEVEL_DEFAULT = 0, VMCFG_LEVEL_ALLOW, VMCFG_LEVEL_WARN, VMCFG_LEVEL_DENY };

/* A level per rule; zero-initialised means every rule at its default. */
struct vmcfg_rule_levels {
	uint8_t of[VMCFG_RULE_COUNT];
};

/* The rule whose code is code[0..len) ("W0223", any case) into *out (may be NULL). */
bool vmcfg_rule_by_code(const char *code, size_t len, enum vmcfg_rule *out);

/*
 * Sets rule's level in lv. Returns 0, or VMCFG_EINVAL when rule is unknown
 * or is an error asked to be allowed or lowered to a warning (an error
 * means the VM cannot be built as written; only warnings and notes can be).
 */
int vmcfg_rule_levels_set(struct vmcfg_rule_levels *lv, enum vmcfg_rule rule, enum vmcfg_level level);

/*
 * Applies lv to d: DENY makes a finding an error, WARN makes a note a
 * warning, ALLOW drops a warning or note. Counts follow.
 */
void vmcfg_diags_apply_levels(struct vmcfg_diags *d, const struct vmcfg_rule_levels *lv);

/*
 * Drops the warnings and notes located in file whose source line (in
 * text, len bytes: the file's text) carries a comment `# vmcfg: allow(CODE)`
 * naming their code — at the end of that line, or as a line of its own just
 * above it; several codes are separated by commas: `allow(W0223, W0209)`.
 * Errors are never dropped. Returns how many were dropped.
 */
size_t vmcfg_diags_apply_inline(struct vmcfg_diags *d, const char *file, const char *text, size_t len);

VMCFG_END_DECLS

#endif /* VMCFG_DIAG_H */

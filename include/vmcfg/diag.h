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

enum vmcfg_severity {
	VMCFG_SEV_NOTE = 0,    /* information, e.g. a rule skipped for lack of a platform */
	VMCFG_SEV_WARNING = 1, /* probably a mistake; the VM can still be built */
	VMCFG_SEV_ERROR = 2    /* the VM cannot be built as written */
};

/*
 * The rule catalogue. Each rule has a stable code ("E0101"), a default
 * severity and a title; see vmcfg_rule_info(). Codes: E00xx/W00xx input
 * and syntax; E01xx/W01xx schema; E02xx/W02xx one VM; E03xx/W03xx a whole
 * system; E04xx/W04xx against the host device tree.
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
	VMCFG_R_DUPLICATE_FIELD,    /* E0107 a named record field given twice / mixed forms */
	VMCFG_R_CPU_LIST_LENGTH,    /* E0201 phys_cpu_ids / phys_cpu_sets length != cpu_num */
	VMCFG_R_CPU_NUM_ZERO,       /* E0202 cpu_num is 0 */
	VMCFG_R_DEVICE_REGION,      /* W0203 a memory region flagged DEVICE is skipped */
	VMCFG_R_PATH_WITHOUT_ADDR,  /* E0204 an image path without a load address or vice versa */
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

/* Raises every warning to an error (for --strict / -W error); counts follow. */
void vmcfg_diags_promote(struct vmcfg_diags *d);

/*
 * Sorts diagnostics by file name, line, column (stable for equal places),
 * for reports in reading order.
 */
void vmcfg_diags_sort(struct vmcfg_diags *d);

/*
 * The closest candidate to word among names[0..n) by edit distance, or NULL
 * when none is close enough to be a plausible typo (distance ≤ 1/3 of the
 * length, at least 1). For "did you mean" hints.
 */
const char *vmcfg_nearest_name(const char *word, size_t len, const char *const *names, size_t n);

#endif /* VMCFG_DIAG_H */

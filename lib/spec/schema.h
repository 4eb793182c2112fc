/* SPDX-License-Identifier: MIT */
/*
 * The AxVisor VM file format as data (lib/spec internal). One description
 * drives the decoder (types, ranges, required keys, positional order), both
 * emitters (key names and order, number style) and the unknown-key hints, so
 * the list of keys exists once: schema.c. (The cross-field rules in rules.c
 * name the few keys they relate.)
 *
 * A spec_field says what a key holds and where its value lives in the
 * enclosing C struct; a spec_type says how a value is read and written.
 */
#ifndef VMCFG_LIB_SPEC_SCHEMA_H
#define VMCFG_LIB_SPEC_SCHEMA_H

#include "vmcfg/spec.h"

struct decoder;
struct path;
struct spec_type;

enum spec_kind {
	SPEC_U64,      /* struct vmcfg_spec_u64 */
	SPEC_STR,      /* struct vmcfg_spec_str */
	SPEC_BOOL,     /* struct vmcfg_spec_bool */
	SPEC_IRQ_MODE, /* enum vmcfg_irq_mode, a string with aliases */
	SPEC_LIST,     /* a TOML array of elements of one type */
	SPEC_RECORD,   /* a positional array or a table with named fields */
	SPEC_TABLE     /* a table with named fields */
};

/* A named value of an enumeration or a flag bit, for documentation and editors. */
struct spec_value {
	uint64_t value;
	const char *name;    /* "MapAlloc" */
	const char *meaning; /* NULL or a few words */
};

/* How the emitters write an integer. */
enum spec_radix {
	SPEC_DEC, /* ids, counts, enumerations, interrupt numbers */
	SPEC_HEX  /* addresses, sizes, flags, masks: 0x8000_0000 */
};

/* Offset meaning "this struct has no such member". */
#define SPEC_NONE SIZE_MAX

struct spec_field {
	const char *name; /* the key; NULL for the element of a list */
	const char *doc;  /* what the key means, one sentence (hover text, schema description) */
	const struct spec_type *type;
	bool required;
	bool form_optional; /* required, but not in the guest_type form (vmcfg_vm_spec.guest_form) */
	/*
	 * List elements: the element's bool "implied" (added by the decoder for
	 * the guest_type form, never written back) is at implied_at, when
	 * has_implied.
	 */
	bool has_implied;
	size_t implied_at;
	/*
	 * Where the value lives, from the start of the enclosing struct:
	 * SPEC_U64/STR: the struct vmcfg_spec_u64/spec_str; SPEC_IRQ_MODE: the enum;
	 * SPEC_LIST: the items pointer; SPEC_RECORD/TABLE: the struct whose
	 * members the record's own fields are relative to.
	 */
	size_t at;
	size_t count_at; /* SPEC_LIST: the size_t count */
	size_t set_at;   /* SPEC_LIST: the bool "written", or SPEC_NONE */
	size_t span_at;  /* LIST/RECORD/TABLE/IRQ_MODE: the value's span, or SPEC_NONE */
};

/*
 * Validates a well-typed integer beyond its range (enumerations, flag
 * bits); reports and returns false to leave the value unset.
 */
typedef bool (*spec_u64_check_fn)(struct decoder *d, const struct vmcfg_spec_u64 *v,
				  const struct path *p);

/*
 * Checks that span several fields of one record or table, after its fields
 * are decoded. v is the TOML value the record was read from.
 */
typedef void (*spec_finish_fn)(struct decoder *d, const struct spec_type *t, void *rec,
			       const struct vmcfg_toml_value *v, const struct path *p);

struct spec_type {
	enum spec_kind kind;
	const char *what; /* records: "memory region", for messages */
	union {
		struct {
			uint64_t max;
			enum spec_radix radix;
			spec_u64_check_fn check; /* NULL: any value up to max */
			/*
			 * For descriptions only (the decoder's rules are check):
			 * the least valid value, and the named values — the only
			 * valid ones, or with bits the valid flag bits.
			 */
			uint64_t min;
			const struct spec_value *values;
			size_t value_count;
			bool bits;
		} u64;
		struct {
			const char *const *choices; /* NULL: any string */
			size_t choice_count;
			const char *valid; /* the choices for hints: "`fs`, `memory`" */
		} str;
		struct {
			const struct spec_field *elem; /* at/span_at from the element's start */
			size_t elem_size;
		} list;
		/* SPEC_RECORD and SPEC_TABLE */
		struct {
			const struct spec_field *fields; /* records: in positional order */
			size_t count;
			spec_finish_fn finish; /* NULL: none */
			/* Descriptions: the table may be a string instead, meaning this; NULL: no. */
			const char *or_string;
			bool named; /* written back as { key = … } rather than positionally */
		} rec;
	};
};

/* The whole file: a table of the tables [base], [kernel], [devices]. */
extern const struct spec_type vmcfg_spec_file_type;

/*
 * The system file (docs/system-file.md) described the same way, for the
 * schema and editors. lib/check decodes it by hand; its key lists and
 * ranges must agree with this table (tests/schema checks both accept the
 * same files). Offsets are unused (0).
 */
extern const struct spec_type vmcfg_spec_system_file_type;

/* The checks schema.c refers to (rules.c). */
bool vmcfg_spec_check_vm_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p);
bool vmcfg_spec_check_mem_flags(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p);
bool vmcfg_spec_check_map_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p);
bool vmcfg_spec_check_emu_type(struct decoder *d, const struct vmcfg_spec_u64 *v, const struct path *p);
void vmcfg_spec_finish_base(struct decoder *d, const struct spec_type *t, void *rec,
		      const struct vmcfg_toml_value *v, const struct path *p);
/* The keys (table, key) whose presence puts a file in the guest_type form. */
struct spec_form_marker {
	const char *table, *key;
};
extern const struct spec_form_marker vmcfg_spec_guest_form_markers[];
extern const size_t vmcfg_spec_guest_form_marker_count;

void vmcfg_spec_finish_file(struct decoder *d, const struct spec_type *t, void *rec,
			    const struct vmcfg_toml_value *v, const struct path *p);
void vmcfg_spec_finish_kernel(struct decoder *d, const struct spec_type *t, void *rec,
			const struct vmcfg_toml_value *v, const struct path *p);
void vmcfg_spec_finish_region(struct decoder *d, const struct spec_type *t, void *rec,
			const struct vmcfg_toml_value *v, const struct path *p);
void vmcfg_spec_finish_pt_device(struct decoder *d, const struct spec_type *t, void *rec,
			   const struct vmcfg_toml_value *v, const struct path *p);

/* Number of leading fields of a record that a positional array must have. */
size_t vmcfg_spec_record_min_fields(const struct spec_type *t);

/*
 * Whether field f of the struct at base holds something to write: scalars
 * and lists when set; an interrupt mode, record, table, or a list that is
 * an element of another list (no set flag) always.
 */
bool vmcfg_spec_field_present(const struct spec_field *f, const void *base);

/* The items of list field f of the struct at base, and their count. */
const char *vmcfg_spec_list_items(const struct spec_field *f, const void *base, size_t *count);

#endif /* VMCFG_LIB_SPEC_SCHEMA_H */

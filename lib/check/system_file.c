/* SPDX-License-Identifier: MIT */
/*
 * The system file (docs/system-file.md): the host platform, the VM files
 * that run together and the static IVC channels, decoded from a parsed
 * TOML document with the same kinds of findings the VM decoder reports
 * (unknown keys with a hint, wrong types, ranges, arity, missing keys).
 *
 * The format is small, so it is decoded by hand rather than by a schema:
 * a few helpers read a scalar, a record (positional array or table with
 * named fields) and a list of records.
 */
#include "internal.h"
#include "../base/libc.h"

struct sys_decoder {
	const struct vmcfg_toml_doc *doc;
	struct vmcfg_system *sys;
	struct vmcfg_diags *d;
	int err; /* VMCFG_ENOMEM once memory ran out */
};

/* Key paths in messages: "platform.ram[1][0]". */
#define PATH_BUF 96

__attribute__((format(printf, 4, 5))) static struct vmcfg_diag *
report(struct sys_decoder *sd, enum vmcfg_rule rule, struct vmcfg_span at, const char *fmt, ...)
{
	char msg[384];
	struct vmcfg_diag *g = NULL;
	va_list ap;
	va_start(ap, fmt);
	vmcfg_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (vmcfg_diag_add(sd->d, rule, check_loc(sd->sys->file, at), &g, "%s", msg))
		sd->err = VMCFG_ENOMEM;
	return g;
}

static void hint(struct sys_decoder *sd, struct vmcfg_diag *g, const char *text)
{
	if (g && vmcfg_diag_hint(sd->d, g, "%s", text))
		sd->err = VMCFG_ENOMEM;
}

static struct vmcfg_span span_of(const struct sys_decoder *sd, const struct vmcfg_toml_value *v)
{
	return vmcfg_toml_value_span(sd->doc, v);
}

static void *arena_array(struct sys_decoder *sd, size_t n, size_t size)
{
	size_t bytes;
	void *p = NULL;
	if (!__builtin_mul_overflow(n ? n : 1, size, &bytes))
		p = vmcfg_arena_zalloc(&sd->sys->arena, bytes, 16);
	if (!p)
		sd->err = VMCFG_ENOMEM;
	return p;
}

static void wrong_type(struct sys_decoder *sd, const struct vmcfg_toml_value *v, const char *path,
		       const char *expected)
{
	report(sd, VMCFG_R_WRONG_TYPE, span_of(sd, v), "`%s` must be %s, not %s", path, expected,
	       vmcfg_toml_type_name(vmcfg_toml_type(v)));
}

/* An integer in [min, max] into *out (unset when wrong, reported). */
static bool read_u64(struct sys_decoder *sd, const struct vmcfg_toml_value *v, const char *path,
		     uint64_t min, uint64_t max, struct vmcfg_spec_u64 *out)
{
	uint64_t x;
	if (vmcfg_toml_type(v) != VMCFG_TOML_INTEGER) {
		wrong_type(sd, v, path, "an integer");
		return false;
	}
	if (vmcfg_toml_get_u64(v, &x) || x < min || x > max) {
		char lo[VMCFG_FMT_BUF], hi[VMCFG_FMT_BUF];
		vmcfg_snprintf(lo, sizeof lo, "%llu", (unsigned long long)min);
		vmcfg_snprintf(hi, sizeof hi, "%llu", (unsigned long long)max);
		report(sd, VMCFG_R_OUT_OF_RANGE, span_of(sd, v), "`%s` must be in %s..%s", path, lo,
		       max == UINT64_MAX ? "2^64-1" : hi);
		return false;
	}
	out->v = x;
	out->set = true;
	out->span = span_of(sd, v);
	return true;
}

/* A string without NUL, copied into the system's arena. */
static bool read_str(struct sys_decoder *sd, const struct vmcfg_toml_value *v, const char *path,
		     struct vmcfg_spec_str *out)
{
	const char *s;
	size_t len;
	if (vmcfg_toml_type(v) != VMCFG_TOML_STRING) {
		wrong_type(sd, v, path, "a string");
		return false;
	}
	vmcfg_toml_get_string(v, &s, &len);
	if (strlen(s) != len) {
		report(sd, VMCFG_R_OUT_OF_RANGE, span_of(sd, v), "`%s` contains a NUL character", path);
		return false;
	}
	out->s = vmcfg_arena_strndup(&sd->sys->arena, s, len);
	if (!out->s) {
		sd->err = VMCFG_ENOMEM;
		return false;
	}
	out->len = len;
	out->set = true;
	out->span = span_of(sd, v);
	return true;
}

/* One of choices; *index is its position. */
static bool read_choice(struct sys_decoder *sd, const struct vmcfg_toml_value *v, const char *path,
			const char *const *choices, size_t n, size_t *index)
{
	struct vmcfg_spec_str s = { 0 };
	if (!read_str(sd, v, path, &s))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strlen(choices[i]) == s.len && !memcmp(choices[i], s.s, s.len)) {
			*index = i;
			return true;
		}
	}
	struct vmcfg_diag *g = report(sd, VMCFG_R_BAD_ENUM, s.span, "`%s`: unknown value \"%s\"",
				      path, s.s);
	const char *near = vmcfg_nearest_name(s.s, s.len, choices, n);
	char text[128];
	if (near)
		vmcfg_snprintf(text, sizeof text, "did you mean `%s`?", near);
	else
		vmcfg_snprintf(text, sizeof text, "use one of `%s`%s%s%s", choices[0],
			       n > 1 ? ", `" : "", n > 1 ? choices[1] : "", n > 1 ? "`…" : "");
	hint(sd, g, text);
	return false;
}

/* Reports every key of table that is not in known[0..n), with the nearest as hint. */
static void check_keys(struct sys_decoder *sd, const struct vmcfg_toml_value *table, const char *path,
		       const char *const *known, size_t n)
{
	struct vmcfg_toml_key k;
	for (size_t i = 0; vmcfg_toml_table_at(sd->doc, table, i, &k); i++) {
		bool ok = false;
		for (size_t j = 0; j < n && !ok; j++)
			ok = strlen(known[j]) == k.len && !memcmp(known[j], k.name, k.len);
		if (ok)
			continue;
		struct vmcfg_diag *g = report(sd, VMCFG_R_UNKNOWN_KEY, k.span, "unknown key `%s%s%s`",
					      path, *path ? "." : "", k.name);
		const char *near = vmcfg_nearest_name(k.name, k.len, known, n);
		char text[256];
		size_t len = vmcfg_snprintf(text, sizeof text, near ? "did you mean `%s`?" : "known keys:",
					    near);
		for (size_t j = 0; !near && j < n && len < sizeof text; j++)
			len += vmcfg_snprintf(text + len, sizeof text - len, "%s `%s`", j ? "," : "",
					      known[j]);
		hint(sd, g, text);
	}
}

/* The value of key in table; a missing required key is reported at the table. */
static const struct vmcfg_toml_value *get(struct sys_decoder *sd, const struct vmcfg_toml_value *table,
				    const char *path, const char *key, bool required)
{
	const struct vmcfg_toml_value *v = vmcfg_toml_table_get(table, key, strlen(key));
	if (!v && required)
		report(sd, VMCFG_R_MISSING_KEY, span_of(sd, table), "missing required key `%s%s%s`",
		       path, *path ? "." : "", key);
	return v;
}

enum field_type { FIELD_U64, FIELD_STR, FIELD_CHOICE };

/* A field of a record: where its value goes, and its range or choices. */
struct field {
	const char *name;
	enum field_type type;
	uint64_t min, max;            /* FIELD_U64 */
	const char *const *choices;   /* FIELD_CHOICE: max is their count */
	void *out; /* struct vmcfg_spec_u64 *, struct vmcfg_spec_str *, or size_t * (the choice) */
};

static bool read_field(struct sys_decoder *sd, const struct field *f, const struct vmcfg_toml_value *v,
		       const char *path)
{
	switch (f->type) {
	case FIELD_U64:
		return read_u64(sd, v, path, f->min, f->max, f->out);
	case FIELD_STR:
		return read_str(sd, v, path, f->out);
	case FIELD_CHOICE:
		return read_choice(sd, v, path, f->choices, (size_t)f->max, f->out);
	}
	return false;
}

/*
 * A record in either form: a positional array with exactly n values in
 * field order, or a table with every field named. True when all are set.
 */
static bool read_record(struct sys_decoder *sd, const struct vmcfg_toml_value *v, const char *path,
			const char *signature, const struct field *f, size_t n)
{
	char fpath[PATH_BUF];
	bool ok = true;
	if (vmcfg_toml_type(v) == VMCFG_TOML_ARRAY) {
		if (vmcfg_toml_count(v) != n) {
			struct vmcfg_diag *g = report(sd, VMCFG_R_ARITY, span_of(sd, v),
						      "`%s` has %zu values, not %zu", path,
						      vmcfg_toml_count(v), n);
			hint(sd, g, signature);
			return false;
		}
		for (size_t i = 0; i < n; i++) {
			vmcfg_snprintf(fpath, sizeof fpath, "%s[%zu]", path, i);
			ok &= read_field(sd, &f[i], vmcfg_toml_array_at(v, i), fpath);
		}
		return ok;
	}
	if (vmcfg_toml_type(v) != VMCFG_TOML_TABLE) {
		wrong_type(sd, v, path, "an array or a table");
		return false;
	}
	const char *names[4];
	for (size_t i = 0; i < n; i++) {
		names[i] = f[i].name;
		const struct vmcfg_toml_value *fv = get(sd, v, path, f[i].name, true);
		vmcfg_snprintf(fpath, sizeof fpath, "%s.%s", path, f[i].name);
		ok &= fv && read_field(sd, &f[i], fv, fpath);
	}
	check_keys(sd, v, path, names, n);
	return ok;
}

/* The array at key (absent: count 0, not an error); NULL and reported when not an array. */
static const struct vmcfg_toml_value *get_array(struct sys_decoder *sd, const struct vmcfg_toml_value *table,
					  const char *path, const char *key, bool required)
{
	const struct vmcfg_toml_value *v = get(sd, table, path, key, required);
	if (v && vmcfg_toml_type(v) != VMCFG_TOML_ARRAY) {
		char kpath[PATH_BUF];
		vmcfg_snprintf(kpath, sizeof kpath, "%s%s%s", path, *path ? "." : "", key);
		wrong_type(sd, v, kpath, "an array");
		return NULL;
	}
	return v;
}

/* --- [platform] --- */

/* A list of [base, size] (or [name, base, size] when named) host ranges. */
static void read_host_ranges(struct sys_decoder *sd, const struct vmcfg_toml_value *table,
			     const char *key, bool named, bool required,
			     const struct vmcfg_host_range **out, size_t *count)
{
	char path[PATH_BUF];
	vmcfg_snprintf(path, sizeof path, "platform.%s", key);
	const struct vmcfg_toml_value *arr = get_array(sd, table, "platform", key, required);
	size_t n = arr ? vmcfg_toml_count(arr) : 0;
	struct vmcfg_host_range *ranges = arena_array(sd, n, sizeof *ranges);
	if (!ranges)
		return;
	*out = ranges;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_toml_value *v = vmcfg_toml_array_at(arr, i);
		struct vmcfg_spec_str name = { 0 };
		struct vmcfg_spec_u64 base = { 0 }, size = { 0 };
		struct field f[] = {
			{ "name", FIELD_STR, 0, 0, NULL, &name },
			{ "base", FIELD_U64, 0, UINT64_MAX, NULL, &base },
			{ "size", FIELD_U64, 1, UINT64_MAX, NULL, &size },
		};
		char epath[PATH_BUF];
		vmcfg_snprintf(epath, sizeof epath, "%s[%zu]", path, i);
		const struct field *fields = named ? f : f + 1;
		size_t nf = named ? 3 : 2;
		if (!read_record(sd, v, epath, named ? "a frame is [name, base, size]" : "a range is [base, size]",
				 fields, nf))
			continue;
		uint64_t last;
		if (!vmcfg_add_u64(base.v, size.v - 1, &last)) {
			report(sd, VMCFG_R_RANGE_WRAPS, size.span, "`%s` wraps past 2^64", epath);
			continue;
		}
		struct vmcfg_host_range *r = &ranges[(*count)++];
		r->name = name.s;
		r->base = base.v;
		r->size = size.v;
		r->span = span_of(sd, v);
	}
}

static const char *const arch_names[] = { "aarch64", "riscv64", "x86_64" };

const char *vmcfg_arch_name(enum vmcfg_arch arch)
{
	return arch >= VMCFG_ARCH_AARCH64 && arch <= VMCFG_ARCH_X86_64 ? arch_names[arch - 1] : NULL;
}

const char *vmcfg_arch_host_irq_name(enum vmcfg_arch arch)
{
	return arch == VMCFG_ARCH_RISCV64 ? "PLIC source" : "SPI";
}

bool vmcfg_arch_by_name(const char *name, enum vmcfg_arch *out)
{
	for (size_t i = 0; name && i < sizeof arch_names / sizeof arch_names[0]; i++)
		if (strlen(name) == strlen(arch_names[i]) &&
		    !memcmp(name, arch_names[i], strlen(name))) {
			*out = (enum vmcfg_arch)(i + 1);
			return true;
		}
	return false;
}

static void read_cpus(struct sys_decoder *sd, const struct vmcfg_toml_value *table)
{
	struct vmcfg_platform *p = &sd->sys->platform;
	struct vmcfg_spec_u64 num = { 0 };
	const struct vmcfg_toml_value *v = get(sd, table, "platform", "cpu_num", true);
	if (v && read_u64(sd, v, "platform.cpu_num", 1, VMCFG_MAX_PCPUS, &num)) {
		p->cpu_num = (uint32_t)num.v;
		p->cpu_num_span = num.span;
	}
	const struct vmcfg_toml_value *ids = get_array(sd, table, "platform", "phys_cpu_ids", false);
	if (!ids)
		return;
	size_t n = vmcfg_toml_count(ids);
	if (p->cpu_num && n != p->cpu_num) {
		struct vmcfg_diag *g = report(sd, VMCFG_R_CPU_LIST_LENGTH, span_of(sd, ids),
					      "`platform.phys_cpu_ids` has %zu entries but cpu_num is %u",
					      n, p->cpu_num);
		hint(sd, g, "give one physical id per CPU");
		return;
	}
	uint64_t *out = arena_array(sd, n, sizeof *out);
	bool ok = out != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		char path[PATH_BUF];
		struct vmcfg_spec_u64 id = { 0 };
		vmcfg_snprintf(path, sizeof path, "platform.phys_cpu_ids[%zu]", i);
		ok = read_u64(sd, vmcfg_toml_array_at(ids, i), path, 0, UINT64_MAX, &id);
		if (ok)
			out[i] = id.v;
	}
	if (ok && n)
		p->phys_cpu_ids = out;
}

static void read_platform(struct sys_decoder *sd, const struct vmcfg_toml_value *table)
{
	static const char *const keys[] = { "arch", "cpu_num", "phys_cpu_ids", "ipa_bits",
					    "ram", "hypervisor_memory", "reserved" };
	struct vmcfg_platform *p = &sd->sys->platform;
	if (vmcfg_toml_type(table) == VMCFG_TOML_STRING) {
		/* platform = "host.dts": the host device tree, read by the host tools. */
		read_str(sd, table, "platform", &sd->sys->platform_dt);
		return;
	}
	if (vmcfg_toml_type(table) != VMCFG_TOML_TABLE) {
		wrong_type(sd, table, "platform", "a table, or a string naming the host device tree");
		return;
	}
	sd->sys->has_platform = true;
	p->file = sd->sys->file;
	check_keys(sd, table, "platform", keys, sizeof keys / sizeof keys[0]);
	const struct vmcfg_toml_value *v = get(sd, table, "platform", "arch", true);
	size_t arch;
	if (v && read_choice(sd, v, "platform.arch", arch_names, 3, &arch))
		p->arch = (enum vmcfg_arch)(arch + 1);
	read_cpus(sd, table);
	struct vmcfg_spec_u64 bits = { 0 };
	v = get(sd, table, "platform", "ipa_bits", false);
	if (v && read_u64(sd, v, "platform.ipa_bits", 12, 64, &bits)) {
		p->ipa_bits = (uint32_t)bits.v;
		p->ipa_bits_span = bits.span;
	}
	read_host_ranges(sd, table, "ram", false, true, &p->ram, &p->ram_count);
	read_host_ranges(sd, table, "hypervisor_memory", false, false, &p->hv_memory,
			 &p->hv_memory_count);
	read_host_ranges(sd, table, "reserved", true, false, &p->reserved, &p->reserved_count);
}

/* --- vms and [[ivc]] --- */

static void read_vms(struct sys_decoder *sd, const struct vmcfg_toml_value *root)
{
	const struct vmcfg_toml_value *arr = get_array(sd, root, "", "vms", true);
	size_t n = arr ? vmcfg_toml_count(arr) : 0;
	struct vmcfg_system *sys = sd->sys;
	sys->vms = arena_array(sd, n, sizeof *sys->vms);
	if (!sys->vms)
		return;
	sys->vm_count = n;
	for (size_t i = 0; i < n; i++) {
		char path[PATH_BUF];
		vmcfg_snprintf(path, sizeof path, "vms[%zu]", i);
		read_str(sd, vmcfg_toml_array_at(arr, i), path, &sys->vms[i]);
	}
}

static void read_subscribers(struct sys_decoder *sd, const struct vmcfg_toml_value *table,
			     const char *path, struct vmcfg_ivc_channel *ch)
{
	static const char *const access_names[] = { "ro", "rw" };
	char spath[PATH_BUF], fpath[PATH_BUF];
	vmcfg_snprintf(spath, sizeof spath, "%s.subscribers", path);
	const struct vmcfg_toml_value *arr = get_array(sd, table, path, "subscribers", false);
	size_t n = arr ? vmcfg_toml_count(arr) : 0;
	ch->subscribers = arena_array(sd, n, sizeof *ch->subscribers);
	if (!ch->subscribers)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_toml_value *v = vmcfg_toml_array_at(arr, i);
		struct vmcfg_spec_str vm = { 0 };
		size_t mode = 0;
		struct field f[] = { { "vm", FIELD_STR, 0, 0, NULL, &vm },
				     { "access", FIELD_CHOICE, 0, 2, access_names, &mode } };
		vmcfg_snprintf(fpath, sizeof fpath, "%s[%zu]", spath, i);
		if (!read_record(sd, v, fpath, "a subscriber is { vm = \"name\", access = \"ro\" | \"rw\" }",
				 f, 2))
			continue;
		struct vmcfg_ivc_subscriber *s = &ch->subscribers[ch->subscriber_count++];
		s->vm = vm;
		s->writable = mode == 1;
		s->span = span_of(sd, v);
	}
}

static void read_ivc(struct sys_decoder *sd, const struct vmcfg_toml_value *root)
{
	static const char *const keys[] = { "key", "publisher", "size", "subscribers", "static" };
	const struct vmcfg_toml_value *arr = get_array(sd, root, "", "ivc", false);
	size_t n = arr ? vmcfg_toml_count(arr) : 0;
	struct vmcfg_system *sys = sd->sys;
	sys->ivc = arena_array(sd, n, sizeof *sys->ivc);
	if (!sys->ivc)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct vmcfg_toml_value *t = vmcfg_toml_array_at(arr, i);
		char path[PATH_BUF], fpath[PATH_BUF];
		vmcfg_snprintf(path, sizeof path, "ivc[%zu]", i);
		if (vmcfg_toml_type(t) != VMCFG_TOML_TABLE) {
			wrong_type(sd, t, path, "a table");
			continue;
		}
		struct vmcfg_ivc_channel *ch = &sys->ivc[sys->ivc_count++];
		ch->span = span_of(sd, t);
		check_keys(sd, t, path, keys, sizeof keys / sizeof keys[0]);
		const struct vmcfg_toml_value *v = get(sd, t, path, "key", true);
		vmcfg_snprintf(fpath, sizeof fpath, "%s.key", path);
		if (v)
			read_u64(sd, v, fpath, 0, UINT64_MAX, &ch->key);
		v = get(sd, t, path, "publisher", true);
		vmcfg_snprintf(fpath, sizeof fpath, "%s.publisher", path);
		if (v)
			read_str(sd, v, fpath, &ch->publisher);
		v = get(sd, t, path, "size", true);
		vmcfg_snprintf(fpath, sizeof fpath, "%s.size", path);
		if (v)
			read_u64(sd, v, fpath, 1, UINT64_MAX, &ch->size);
		read_subscribers(sd, t, path, ch);
		v = get(sd, t, path, "static", false);
		vmcfg_snprintf(fpath, sizeof fpath, "%s.static", path);
		if (v && (vmcfg_toml_type(v) != VMCFG_TOML_BOOL || vmcfg_toml_get_bool(v, &ch->is_static)))
			wrong_type(sd, v, fpath, "a boolean");
	}
}

/* ivc_policy: "declared" (the default) or "open", asked for explicitly. */
static void read_ivc_policy(struct sys_decoder *sd, const struct vmcfg_toml_value *root)
{
	static const char *const policies[] = { "declared", "open" };
	const struct vmcfg_toml_value *v = get(sd, root, "", "ivc_policy", false);
	size_t policy = 0;
	if (v && read_choice(sd, v, "ivc_policy", policies, 2, &policy)) {
		sd->sys->ivc_open = policy == 1;
		sd->sys->ivc_policy_span = span_of(sd, v);
	}
}

int vmcfg_system_decode(const struct vmcfg_toml_doc *doc, const char *file,
			const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
			struct vmcfg_system **out)
{
	static const char *const keys[] = { "vms", "platform", "ivc", "ivc_policy" };
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	if (!doc || !alloc || !alloc->fn || !diags)
		return VMCFG_EINVAL;
	struct vmcfg_system *sys = alloc->fn(alloc->ud, NULL, 0, sizeof *sys);
	if (!sys)
		return VMCFG_ENOMEM;
	memset(sys, 0, sizeof *sys);
	vmcfg_arena_init(&sys->arena, alloc, 0);
	struct sys_decoder sd = { doc, sys, diags, 0 };
	sys->file = file ? vmcfg_arena_strndup(&sys->arena, file, strlen(file)) : NULL;
	if (file && !sys->file)
		sd.err = VMCFG_ENOMEM;

	const struct vmcfg_toml_value *root = vmcfg_toml_root(doc);
	check_keys(&sd, root, "", keys, sizeof keys / sizeof keys[0]);
	read_vms(&sd, root);
	const struct vmcfg_toml_value *platform = vmcfg_toml_table_get(root, "platform", 8);
	if (platform)
		read_platform(&sd, platform);
	read_ivc(&sd, root);
	read_ivc_policy(&sd, root);
	if (sd.err) {
		vmcfg_system_free(sys);
		return sd.err;
	}
	*out = sys;
	return 0;
}

int vmcfg_system_load(const char *text, size_t len, const char *file,
		      const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		      struct vmcfg_system **out)
{
	if (!out)
		return VMCFG_EINVAL;
	*out = NULL;
	struct vmcfg_toml_doc *doc = NULL;
	int rc = vmcfg_vm_spec_parse_toml(text, len, file, alloc, diags, &doc);
	if (rc || !doc)
		return rc;
	rc = vmcfg_system_decode(doc, file, alloc, diags, out);
	vmcfg_toml_free(doc);
	return rc;
}

void vmcfg_system_free(struct vmcfg_system *sys)
{
	if (!sys)
		return;
	struct vmcfg_allocator alloc = sys->arena.alloc;
	vmcfg_arena_release(&sys->arena);
	alloc.fn(alloc.ud, sys, sizeof *sys, 0);
}

/* path as the host opens it: relative paths start at the system file's folder. */
static size_t system_relative_path(const struct vmcfg_system *sys, const char *path, char *buf,
				   size_t size)
{
	size_t dir = 0;
	/* Relative paths start from the system file's folder (up to its last '/'). */
	for (size_t k = 0; path[0] != '/' && sys->file && sys->file[k]; k++)
		if (sys->file[k] == '/')
			dir = k + 1;
	return vmcfg_snprintf(buf, size, "%.*s%s", (int)dir, sys->file ? sys->file : "", path);
}

size_t vmcfg_system_vm_path(const struct vmcfg_system *sys, size_t i, char *buf, size_t size)
{
	if (!sys || i >= sys->vm_count || !sys->vms[i].set)
		return 0;
	return system_relative_path(sys, sys->vms[i].s, buf, size);
}

size_t vmcfg_system_platform_dt_path(const struct vmcfg_system *sys, char *buf, size_t size)
{
	if (!sys || !sys->platform_dt.set)
		return 0;
	return system_relative_path(sys, sys->platform_dt.s, buf, size);
}

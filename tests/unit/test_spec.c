/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/spec: decoding every AxVisor config, both record forms,
 * aliases, arity, unknown keys, types and ranges with their exact key paths
 * and line:col, the cross-field rules of the format, clean unwinding at
 * every allocation point, and the TOML / JSON emitters (round trip).
 *
 * The AxVisor configs are read from <repo>/tests/data/axvisor-configs: the
 * data folder is found from this file's path (run from the repository
 * root, as `make test` does), or given as argv[1].
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/host.h"
#include "vmcfg/spec.h"

static char shared_dir[1024];

/* --- helpers --- */

struct text_buf {
	char *data;
	size_t len, cap;
};

static void buf_write(void *ud, const char *s, size_t len)
{
	struct text_buf *b = ud;
	if (b->len + len + 1 > b->cap) {
		size_t cap = (b->len + len + 1) * 2;
		char *p = realloc(b->data, cap);
		assert_non_null(p);
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* The emitted text (malloc'ed, NUL-terminated). */
static char *emit(const struct vmcfg_vm_spec *spec, bool json)
{
	struct text_buf b = { 0 };
	struct vmcfg_writer w = { buf_write, &b };
	buf_write(&b, "", 0);
	if (json)
		vmcfg_vm_spec_emit_json(spec, &w);
	else
		vmcfg_vm_spec_emit_toml(spec, &w);
	return b.data;
}

struct result {
	struct vmcfg_diags diags;
	struct vmcfg_vm_spec *spec;
};

static void print_diags(const struct vmcfg_diags *d)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct vmcfg_diag *g = &d->items[i];
		fprintf(stderr, "  %s:%u:%u: %s: %s", g->primary.file ? g->primary.file : "-",
			g->primary.span.line, g->primary.span.col, g->code, g->message);
		if (g->hint)
			fprintf(stderr, " [hint: %s]", g->hint);
		if (g->related_message)
			fprintf(stderr, " [related %u:%u: %s]", g->related.span.line,
				g->related.span.col, g->related_message);
		fprintf(stderr, "\n");
	}
}

static void load_file(struct result *r, const char *text, size_t len, const char *file)
{
	vmcfg_diags_init(&r->diags, &vmcfg_host_allocator);
	r->spec = NULL;
	assert_int_equal(vmcfg_vm_spec_load(text, len, file, &vmcfg_host_allocator, &r->diags, &r->spec),
			 0);
}

static void load(struct result *r, const char *text)
{
	load_file(r, text, strlen(text), "test.toml");
}

static void release(struct result *r)
{
	vmcfg_vm_spec_free(r->spec);
	vmcfg_diags_free(&r->diags);
}

static void expect_clean(const struct result *r)
{
	if (r->diags.count) {
		print_diags(&r->diags);
		fail_msg("expected no findings, got %zu", r->diags.count);
	}
	assert_non_null(r->spec);
}

/* The finding of rule at line:col; fails the test when there is none. */
static const struct vmcfg_diag *expect(const struct result *r, enum vmcfg_rule rule, uint32_t line,
				       uint32_t col)
{
	for (size_t i = 0; i < r->diags.count; i++) {
		const struct vmcfg_diag *g = &r->diags.items[i];
		if (g->rule == rule && g->primary.span.line == line && g->primary.span.col == col)
			return g;
	}
	print_diags(&r->diags);
	fail_msg("no %s at %u:%u", vmcfg_rule_info(rule)->code, line, col);
	return NULL;
}

/* The only finding; fails unless there is exactly one, of rule. */
static const struct vmcfg_diag *expect_only(const struct result *r, enum vmcfg_rule rule)
{
	if (r->diags.count != 1 || r->diags.items[0].rule != rule) {
		print_diags(&r->diags);
		fail_msg("expected exactly one %s, got %zu findings", vmcfg_rule_info(rule)->code,
			 r->diags.count);
	}
	return &r->diags.items[0];
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "(null)", needle);
}

/* Loads text that must produce exactly one finding of rule, with message and hint parts. */
static void expect_one(const char *text, enum vmcfg_rule rule, uint32_t line, uint32_t col,
		       const char *message_part, const char *hint_part)
{
	struct result r;
	load(&r, text);
	const struct vmcfg_diag *g = expect_only(&r, rule);
	if (g->primary.span.line != line || g->primary.span.col != col) {
		print_diags(&r.diags);
		fail_msg("expected the finding at %u:%u", line, col);
	}
	if (message_part)
		assert_contains(g->message, message_part);
	if (hint_part)
		assert_contains(g->hint, hint_part);
	release(&r);
}

/* --- field-by-field comparison of two specs (spans aside) --- */

static void assert_u64_equal(const struct vmcfg_spec_u64 *a, const struct vmcfg_spec_u64 *b)
{
	assert_int_equal(a->set, b->set);
	if (a->set)
		assert_int_equal(a->v, b->v);
}

static void assert_str_equal(const struct vmcfg_spec_str *a, const struct vmcfg_spec_str *b)
{
	assert_int_equal(a->set, b->set);
	if (a->set) {
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->s, b->s, a->len + 1);
	}
}

static void assert_list_equal(const struct vmcfg_spec_u64_list *a, const struct vmcfg_spec_u64_list *b)
{
	assert_int_equal(a->set, b->set);
	assert_int_equal(a->count, b->count);
	for (size_t i = 0; i < a->count; i++)
		assert_u64_equal(&a->items[i], &b->items[i]);
}

static void assert_image_equal(const struct vmcfg_spec_image *a, const struct vmcfg_spec_image *b)
{
	assert_str_equal(&a->path, &b->path);
	assert_u64_equal(&a->load_addr, &b->load_addr);
}

static void assert_spec_equal(const struct vmcfg_vm_spec *a, const struct vmcfg_vm_spec *b)
{
	assert_u64_equal(&a->base.id, &b->base.id);
	assert_str_equal(&a->base.name, &b->base.name);
	assert_u64_equal(&a->base.vm_type, &b->base.vm_type);
	assert_u64_equal(&a->base.cpu_num, &b->base.cpu_num);
	assert_list_equal(&a->base.phys_cpu_ids, &b->base.phys_cpu_ids);
	assert_list_equal(&a->base.phys_cpu_sets, &b->base.phys_cpu_sets);

	assert_u64_equal(&a->kernel.entry_point, &b->kernel.entry_point);
	assert_image_equal(&a->kernel.kernel, &b->kernel.kernel);
	assert_image_equal(&a->kernel.bios, &b->kernel.bios);
	assert_image_equal(&a->kernel.dtb, &b->kernel.dtb);
	assert_image_equal(&a->kernel.ramdisk, &b->kernel.ramdisk);
	assert_str_equal(&a->kernel.image_location, &b->kernel.image_location);
	assert_str_equal(&a->kernel.cmdline, &b->kernel.cmdline);
	assert_str_equal(&a->kernel.disk_path, &b->kernel.disk_path);
	assert_int_equal(a->kernel.regions_set, b->kernel.regions_set);
	assert_int_equal(a->kernel.region_count, b->kernel.region_count);
	for (size_t i = 0; i < a->kernel.region_count; i++) {
		const struct vmcfg_spec_region *x = &a->kernel.regions[i], *y = &b->kernel.regions[i];
		assert_u64_equal(&x->gpa, &y->gpa);
		assert_u64_equal(&x->size, &y->size);
		assert_u64_equal(&x->flags, &y->flags);
		assert_u64_equal(&x->map_type, &y->map_type);
	}

	assert_int_equal(a->devices.emu_set, b->devices.emu_set);
	assert_int_equal(a->devices.emu_count, b->devices.emu_count);
	for (size_t i = 0; i < a->devices.emu_count; i++) {
		const struct vmcfg_spec_emu_device *x = &a->devices.emu[i], *y = &b->devices.emu[i];
		assert_str_equal(&x->name, &y->name);
		assert_u64_equal(&x->base_gpa, &y->base_gpa);
		assert_u64_equal(&x->length, &y->length);
		assert_u64_equal(&x->irq_id, &y->irq_id);
		assert_u64_equal(&x->emu_type, &y->emu_type);
		assert_list_equal(&x->cfg_list, &y->cfg_list);
	}
	assert_int_equal(a->devices.pt_set, b->devices.pt_set);
	assert_int_equal(a->devices.pt_count, b->devices.pt_count);
	for (size_t i = 0; i < a->devices.pt_count; i++) {
		const struct vmcfg_spec_pt_device *x = &a->devices.pt[i], *y = &b->devices.pt[i];
		assert_str_equal(&x->name, &y->name);
		assert_u64_equal(&x->base_gpa, &y->base_gpa);
		assert_u64_equal(&x->base_hpa, &y->base_hpa);
		assert_u64_equal(&x->length, &y->length);
		assert_u64_equal(&x->irq_id, &y->irq_id);
		assert_int_equal(x->is_dt_path, y->is_dt_path);
	}
	assert_int_equal(a->devices.irq_mode, b->devices.irq_mode);
	assert_int_equal(a->devices.excluded_count, b->devices.excluded_count);
	for (size_t i = 0; i < a->devices.excluded_count; i++) {
		const struct vmcfg_spec_excluded *x = &a->devices.excluded[i],
					   *y = &b->devices.excluded[i];
		assert_int_equal(x->count, y->count);
		for (size_t j = 0; j < x->count; j++)
			assert_str_equal(&x->paths[j], &y->paths[j]);
	}
	assert_int_equal(a->devices.pt_address_count, b->devices.pt_address_count);
	for (size_t i = 0; i < a->devices.pt_address_count; i++) {
		assert_u64_equal(&a->devices.pt_addresses[i].gpa, &b->devices.pt_addresses[i].gpa);
		assert_u64_equal(&a->devices.pt_addresses[i].length,
				 &b->devices.pt_addresses[i].length);
	}
}

/* --- the AxVisor corpus --- */

struct corpus {
	char names[32][1400];
	size_t count;
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void list_axvisor_configs(struct corpus *c)
{
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/axvisor-configs", shared_dir);
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s (pass the tests/data folder as argv[1])", dir);
	c->count = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n > 5 && !strcmp(e->d_name + n - 5, ".toml") && c->count < 32)
			snprintf(c->names[c->count++], sizeof c->names[0], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(c->names, c->count, sizeof c->names[0], compare_names);
	assert_true(c->count >= 9);
}

static char *read_text(const char *path, size_t *len)
{
	char *data;
	if (vmcfg_read_file(path, &data, len))
		fail_msg("cannot read %s", path);
	return data;
}

/*
 * Every AxVisor config decodes with no finding at all: no errors and no
 * warnings. (Four of them give dtb_load_addr without dtb_path: AxVisor then
 * generates the guest DTB at that address, so that is not a finding.)
 */
static void test_axvisor_configs_decode_clean(void **state)
{
	struct corpus c;
	(void)state;
	list_axvisor_configs(&c);
	for (size_t i = 0; i < c.count; i++) {
		size_t len;
		char *text = read_text(c.names[i], &len);
		struct result r;
		load_file(&r, text, len, c.names[i]);
		if (r.diags.count)
			fprintf(stderr, "%s:\n", c.names[i]);
		expect_clean(&r);
		assert_true(r.spec->kernel.regions_set && r.spec->kernel.region_count > 0);
		release(&r);
		free(text);
	}
}

/* decode → emit TOML → decode gives an equal spec and equal JSON; emitting is idempotent. */
static void assert_round_trip(const struct vmcfg_vm_spec *spec)
{
	char *toml = emit(spec, false), *json = emit(spec, true);
	struct result again;
	load(&again, toml);
	if (again.diags.count)
		fprintf(stderr, "re-reading:\n%s\n", toml);
	expect_clean(&again);
	assert_spec_equal(spec, again.spec);
	char *toml2 = emit(again.spec, false), *json2 = emit(again.spec, true);
	assert_string_equal(json, json2);
	assert_string_equal(toml, toml2);
	release(&again);
	free(toml);
	free(toml2);
	free(json);
	free(json2);
}

static void test_axvisor_configs_round_trip(void **state)
{
	struct corpus c;
	(void)state;
	list_axvisor_configs(&c);
	for (size_t i = 0; i < c.count; i++) {
		size_t len;
		char *text = read_text(c.names[i], &len);
		struct result r;
		load_file(&r, text, len, c.names[i]);
		assert_round_trip(r.spec);
		release(&r);
		free(text);
	}
}

static void test_axvisor_values(void **state)
{
	char path[1200];
	size_t len;
	struct result r;
	(void)state;

	snprintf(path, sizeof path, "%s/axvisor-configs/linux-aarch64-rk3588-smp8.toml",
		 shared_dir);
	char *text = read_text(path, &len);
	load_file(&r, text, len, path);
	expect_clean(&r);
	const struct vmcfg_vm_spec *s = r.spec;
	assert_string_equal(s->file, path);
	assert_int_equal(s->base.cpu_num.v, 8);
	assert_int_equal(s->base.phys_cpu_sets.count, 8);
	assert_int_equal(s->base.phys_cpu_sets.items[7].v, 128);
	assert_int_equal(s->base.phys_cpu_ids.items[7].v, 0x700);
	assert_int_equal(s->kernel.region_count, 2);
	assert_int_equal(s->kernel.regions[0].size.v, 0xd5500000);
	assert_int_equal(s->kernel.regions[1].flags.v, 0xf);
	assert_int_equal(s->kernel.regions[1].map_type.v, VMCFG_MAP_RESERVED);
	assert_string_equal(s->kernel.dtb.path.s, "/path/to/dtb");
	assert_int_equal(s->devices.pt_count, 6);
	assert_string_equal(s->devices.pt[3].name.s, "uart8250 UART");
	assert_int_equal(s->devices.pt[3].irq_id.v, 0x17);
	assert_false(s->devices.pt[3].is_dt_path);
	assert_int_equal(s->devices.irq_mode, VMCFG_IRQ_PASSTHROUGH);
	assert_true(s->devices.emu_set);
	assert_int_equal(s->devices.emu_count, 0);
	/* Spans point at the values as written. */
	assert_int_equal(s->base.cpu_num.span.line, 11);
	assert_int_equal(s->base.cpu_num.span.col, 11);
	assert_int_equal(s->kernel.regions[1].span.line, 53);
	assert_int_equal(s->kernel.regions[1].span.col, 5);
	release(&r);
	free(text);

	snprintf(path, sizeof path, "%s/axvisor-configs/arceos-aarch64-qemu-smp1.toml", shared_dir);
	text = read_text(path, &len);
	load_file(&r, text, len, path);
	expect_clean(&r);
	s = r.spec;
	assert_int_equal(s->devices.pt_count, 1); /* ["/",] */
	assert_string_equal(s->devices.pt[0].name.s, "/");
	assert_true(s->devices.pt[0].is_dt_path);
	assert_false(s->devices.pt[0].base_gpa.set);
	assert_int_equal(s->devices.excluded_count, 1);
	assert_string_equal(s->devices.excluded[0].paths[0].s, "/pcie@10000000");
	assert_true(s->devices.pt_addresses_set);
	assert_int_equal(s->devices.pt_address_count, 0);
	assert_false(s->kernel.dtb.path.set);
	assert_int_equal(s->kernel.dtb.load_addr.v, 0x80000000);
	assert_string_equal(s->kernel.image_location.s, "memory");
	release(&r);
	free(text);
}

/* --- the two record forms --- */

#define BASE_OK "[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 1\n"
#define KERNEL_KEYS \
	"entry_point = 0x8008_0000\nkernel_path = \"Image\"\nkernel_load_addr = 0x8008_0000\n"
#define KERNEL_OK "[kernel]\n" KERNEL_KEYS "memory_regions = [[0x8000_0000, 0x1000_0000, 0x7, 0]]\n"
#define DEVICES_OK "[devices]\nemu_devices = []\npassthrough_devices = []\n"

static const char positional_form[] =
	BASE_OK
	"[kernel]\n" KERNEL_KEYS
	"memory_regions = [[0x8000_0000, 0x1000_0000, 0x7, 1], [0x9000_0000, 0x1000, 0x3, 0]]\n"
	"[devices]\n"
	"emu_devices = [[\"console\", 0x900_0000, 0x1000, 33, 0x2, []],\n"
	"  [\"gicr\", 0x80a_0000, 0x2_0000, 0, 0x20, [1, 0x2_0000, 0]]]\n"
	"passthrough_devices = [[\"/\"], [\"uart\", 0x900_0000, 0x900_0000, 0x1000, 1]]\n"
	"passthrough_addresses = [[0x2804_1000, 0x1000]]\n"
	"excluded_devices = [[\"/pcie@10000000\", \"/gpu\"], []]\n"
	"interrupt_mode = \"emu\"\n";

static const char inline_table_form[] =
	BASE_OK
	"[kernel]\n" KERNEL_KEYS
	"memory_regions = [{ gpa = 0x8000_0000, size = 0x1000_0000, flags = 0x7, map_type = 1 },\n"
	"  { map_type = 0, flags = 0x3, size = 0x1000, gpa = 0x9000_0000 }]\n"
	"[devices]\n"
	"emu_devices = [{ name = \"console\", base_gpa = 0x900_0000, length = 0x1000, irq_id = 33,"
	" emu_type = 0x2, cfg_list = [] },\n"
	"  { name = \"gicr\", base_gpa = 0x80a_0000, length = 0x2_0000, irq_id = 0,"
	" emu_type = 0x20, cfg_list = [1, 0x2_0000, 0] }]\n"
	"passthrough_devices = [{ name = \"/\" }, { name = \"uart\", base_gpa = 0x900_0000,"
	" base_hpa = 0x900_0000, length = 0x1000, irq_id = 1 }]\n"
	"passthrough_addresses = [{ base_gpa = 0x2804_1000, length = 0x1000 }]\n"
	"excluded_devices = [[\"/pcie@10000000\", \"/gpu\"], []]\n"
	"interrupt_mode = \"emu\"\n";

static const char array_of_tables_form[] =
	BASE_OK
	"[kernel]\n" KERNEL_KEYS
	"[[kernel.memory_regions]]\ngpa = 0x8000_0000\nsize = 0x1000_0000\nflags = 0x7\nmap_type = 1\n"
	"[[kernel.memory_regions]]\ngpa = 0x9000_0000\nsize = 0x1000\nflags = 0x3\nmap_type = 0\n"
	"[devices]\n"
	"excluded_devices = [[\"/pcie@10000000\", \"/gpu\"], []]\n"
	"interrupt_mode = \"emu\"\n"
	"[[devices.emu_devices]]\nname = \"console\"\nbase_gpa = 0x900_0000\nlength = 0x1000\n"
	"irq_id = 33\nemu_type = 0x2\ncfg_list = []\n"
	"[[devices.emu_devices]]\nname = \"gicr\"\nbase_gpa = 0x80a_0000\nlength = 0x2_0000\n"
	"irq_id = 0\nemu_type = 0x20\ncfg_list = [1, 0x2_0000, 0]\n"
	"[[devices.passthrough_devices]]\nname = \"/\"\n"
	"[[devices.passthrough_devices]]\nname = \"uart\"\nbase_gpa = 0x900_0000\n"
	"base_hpa = 0x900_0000\nlength = 0x1000\nirq_id = 1\n"
	"[[devices.passthrough_addresses]]\nbase_gpa = 0x2804_1000\nlength = 0x1000\n";

/* Each list mixes the forms element by element. */
static const char mixed_form[] =
	BASE_OK
	"[kernel]\n" KERNEL_KEYS
	"memory_regions = [[0x8000_0000, 0x1000_0000, 0x7, 1],\n"
	"  { gpa = 0x9000_0000, size = 0x1000, flags = 0x3, map_type = 0 }]\n"
	"[devices]\n"
	"emu_devices = [[\"console\", 0x900_0000, 0x1000, 33, 0x2, []],\n"
	"  { name = \"gicr\", base_gpa = 0x80a_0000, length = 0x2_0000, irq_id = 0,"
	" emu_type = 0x20, cfg_list = [1, 0x2_0000, 0] }]\n"
	"passthrough_devices = [{ name = \"/\" }, [\"uart\", 0x900_0000, 0x900_0000, 0x1000, 1]]\n"
	"passthrough_addresses = [{ base_gpa = 0x2804_1000, length = 0x1000 }]\n"
	"excluded_devices = [[\"/pcie@10000000\", \"/gpu\"], []]\n"
	"interrupt_mode = \"emulated\"\n";

static void test_record_forms(void **state)
{
	const char *forms[] = { inline_table_form, array_of_tables_form, mixed_form };
	struct result ref;
	(void)state;

	load(&ref, positional_form);
	expect_clean(&ref);
	const struct vmcfg_vm_spec *s = ref.spec;
	assert_int_equal(s->kernel.region_count, 2);
	assert_int_equal(s->kernel.regions[1].gpa.v, 0x90000000);
	assert_int_equal(s->devices.emu[1].cfg_list.count, 3);
	assert_int_equal(s->devices.emu[1].cfg_list.items[1].v, 0x20000);
	assert_true(s->devices.pt[0].is_dt_path);
	assert_false(s->devices.pt[1].is_dt_path);
	assert_int_equal(s->devices.pt[1].irq_id.v, 1);
	assert_int_equal(s->devices.pt_addresses[0].gpa.v, 0x28041000);
	assert_int_equal(s->devices.excluded_count, 2);
	assert_int_equal(s->devices.excluded[0].count, 2);
	assert_string_equal(s->devices.excluded[0].paths[1].s, "/gpu");
	assert_int_equal(s->devices.excluded[1].count, 0);
	assert_int_equal(s->devices.irq_mode, VMCFG_IRQ_EMU);
	char *ref_json = emit(s, true);

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct result r;
		load(&r, forms[i]);
		expect_clean(&r);
		assert_spec_equal(ref.spec, r.spec);
		char *json = emit(r.spec, true);
		assert_string_equal(ref_json, json);
		free(json);
		release(&r);
	}
	assert_round_trip(ref.spec);
	free(ref_json);
	release(&ref);
}

/* An [[array of tables]] item's span is its header: missing fields are reported there. */
static void test_named_form_problems(void **state)
{
	(void)state;
	expect_one(BASE_OK DEVICES_OK
		   "[kernel]\n" KERNEL_KEYS
		   "[[kernel.memory_regions]]\ngpa = 0x8000_0000\nsize = 0x1000\nflags = 0x7\n",
		   VMCFG_R_MISSING_KEY, 13, 1, "`kernel.memory_regions[0].map_type`", NULL);
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [{ gpa = 0, size = 0x1000, flags = 0x7, "
				      "map_type = 0, flag = 1 }]\n",
		   VMCFG_R_UNKNOWN_KEY, 13, 72, "`kernel.memory_regions[0].flag`",
		   "did you mean `flags`?");
	/* A misspelt name: unknown (too far for "did you mean"), and the name missing. */
	struct result r;
	load(&r, BASE_OK KERNEL_OK "[devices]\nemu_devices = []\n"
				   "passthrough_devices = [{ nmae = \"/\" }]\n");
	assert_int_equal(r.diags.count, 2);
	const struct vmcfg_diag *g = expect(&r, VMCFG_R_UNKNOWN_KEY, 13, 26);
	assert_string_equal(g->message, "unknown key `devices.passthrough_devices[0].nmae`");
	assert_string_equal(g->hint,
			    "known keys: `name`, `base_gpa`, `base_hpa`, `length`, `irq_id`");
	g = expect(&r, VMCFG_R_MISSING_KEY, 13, 24);
	assert_string_equal(g->message,
			    "missing required key `devices.passthrough_devices[0].name`");
	release(&r);
	/* A bare value where a record belongs. */
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS "memory_regions = [0x8000_0000]\n",
		   VMCFG_R_WRONG_TYPE, 13, 19, "must be an array or a table, not an integer", NULL);
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS "[kernel.memory_regions]\ngpa = 0\n",
		   VMCFG_R_WRONG_TYPE, 13, 1, "`kernel.memory_regions` must be an array", NULL);
}

/* --- positional arity --- */

static void test_arity(void **state)
{
	(void)state;
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [[0x8000_0000, 0x1000, 0x7]]\n",
		   VMCFG_R_ARITY, 13, 19, "`kernel.memory_regions[0]` has 3 fields, expected 4",
		   "memory region = [gpa, size, flags, map_type]");
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [[0x8000_0000, 0x1000, 0x7, 0], "
				      "[0x9000_0000, 0x1000, 0x7, 0, 0]]\n",
		   VMCFG_R_ARITY, 13, 50, "`kernel.memory_regions[1]` has 5 fields, expected 4",
		   NULL);
	expect_one(BASE_OK KERNEL_OK "[devices]\npassthrough_devices = []\n"
				     "emu_devices = [[\"c\", 0x900_0000, 0x1000, 0, 0x2]]\n",
		   VMCFG_R_ARITY, 13, 16, "has 5 fields, expected 6",
		   "emulated device = [name, base_gpa, length, irq_id, emu_type, cfg_list]");
	expect_one(BASE_OK KERNEL_OK "[devices]\npassthrough_devices = []\n"
				     "emu_devices = [[\"c\", 0x900_0000, 0x1000, 0, 0x2, [], 9]]\n",
		   VMCFG_R_ARITY, 13, 16, "has 7 fields, expected 6", NULL);
	/* Passthrough devices: 1 to 5 fields, the trailing four optional. */
	expect_one(BASE_OK KERNEL_OK "[devices]\nemu_devices = []\n"
				     "passthrough_devices = [[\"a\", 1, 2, 3, 4, 5]]\n",
		   VMCFG_R_ARITY, 13, 24, "has 6 fields, expected at most 5",
		   "passthrough device = [name, base_gpa?, base_hpa?, length?, irq_id?]");
	expect_one(BASE_OK KERNEL_OK "[devices]\nemu_devices = []\npassthrough_devices = [[]]\n",
		   VMCFG_R_ARITY, 13, 24, "has 0 fields, expected at least 1", NULL);
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "passthrough_addresses = [[0x1000]]\n",
		   VMCFG_R_ARITY, 14, 26,
		   "`devices.passthrough_addresses[0]` has 1 field, expected 2",
		   "passthrough address = [base_gpa, length]");
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "passthrough_addresses = [[0x1000, 0x1000, 0]]\n",
		   VMCFG_R_ARITY, 14, 26, "has 3 fields, expected 2", NULL);

	struct result r;
	load(&r, BASE_OK KERNEL_OK
	     "[devices]\nemu_devices = []\n"
	     "passthrough_devices = [[\"/\"], [\"/\",], [\"/uart\", 0x900_0000],\n"
	     "  [\"x\", 1, 2], [\"y\", 1, 2, 3], [\"z\", 1, 2, 3, 4]]\n");
	expect_clean(&r);
	const struct vmcfg_spec_pt_device *pt = r.spec->devices.pt;
	assert_int_equal(r.spec->devices.pt_count, 6);
	assert_true(pt[0].is_dt_path && pt[1].is_dt_path);
	assert_false(pt[2].is_dt_path);
	assert_int_equal(pt[2].base_gpa.v, 0x9000000);
	assert_false(pt[2].base_hpa.set || pt[2].length.set || pt[2].irq_id.set);
	assert_true(pt[4].length.set);
	assert_false(pt[4].irq_id.set);
	assert_int_equal(pt[5].irq_id.v, 4);
	assert_round_trip(r.spec);
	release(&r);
}

/* --- enumerations and aliases --- */

/*
 * axvmconfig's guest_type form: what it leaves out is filled in as
 * axvmconfig and AxVisor's loader do, its device selection becomes
 * passthrough and excluded entries, and fmt writes back only what the
 * file says.
 */
static void test_guest_form(void **state)
{
	static const char text[] = "[base]\n"
				   "id = 3\n"
				   "name = \"g\"\n"
				   "cpu_num = 1\n"
				   "guest_type = \"passthrough\"\n"
				   "\n"
				   "[kernel]\n"
				   "kernel_path = \"k.bin\"\n"
				   "memory_regions = [\n"
				   "  [0x9000_0000, 0x800_0000, 0x7, 1],\n"
				   "]\n"
				   "\n"
				   "[devices]\n"
				   "passthrough = [\n"
				   "  { path = \"/soc/serial@10000000\" },\n"
				   "]\n"
				   "disabled = [\n"
				   "  { path = \"/soc/pci@30000000\" },\n"
				   "]\n";
	struct result r;
	(void)state;
	load(&r, text);
	expect_clean(&r);
	const struct vmcfg_vm_spec *s = r.spec;
	assert_true(s->guest_form);
	assert_true(s->base.vm_type.set);
	assert_int_equal(s->base.vm_type.v, VMCFG_VM_RTOS);
	/* The first region is identity-mapped: the image addresses are its base. */
	assert_int_equal(s->kernel.entry_point.v, 0x90000000);
	assert_int_equal(s->kernel.kernel.load_addr.v, 0x90000000);
	assert_int_equal(s->devices.irq_mode, VMCFG_IRQ_PASSTHROUGH);
	assert_true(s->devices.emu_set && s->devices.pt_set);
	assert_int_equal(s->devices.emu_count, 0);
	assert_int_equal(s->devices.pt_count, 2);
	assert_string_equal(s->devices.pt[0].name.s, "/soc/serial@10000000");
	assert_string_equal(s->devices.pt[1].name.s, "/");
	assert_true(s->devices.pt[0].is_dt_path && s->devices.pt[0].implied && s->devices.pt[1].implied);
	assert_int_equal(s->devices.excluded_count, 1);
	assert_string_equal(s->devices.excluded[0].paths[0].s, "/soc/pci@30000000");
	char *out = emit(s, false);
	assert_string_equal(out, text);
	free(out);
	release(&r);

	/* The 0.8 form still needs what it always needed. */
	load(&r, "[base]\nid = 3\nname = \"g\"\ncpu_num = 1\n[kernel]\nkernel_path = \"k\"\n");
	expect(&r, VMCFG_R_MISSING_KEY, 1, 1);
	release(&r);
}

static void test_interrupt_mode(void **state)
{
	static const struct {
		const char *spelling;
		enum vmcfg_irq_mode mode;
	} spellings[] = {
		{ "no_irq", VMCFG_IRQ_NONE },	 { "no", VMCFG_IRQ_NONE },
		{ "none", VMCFG_IRQ_NONE },	 { "emu", VMCFG_IRQ_EMU },
		{ "emulated", VMCFG_IRQ_EMU },	 { "passthrough", VMCFG_IRQ_PASSTHROUGH },
		{ "pt", VMCFG_IRQ_PASSTHROUGH }, { "noirq", VMCFG_IRQ_NONE },
	};
	char text[1024];
	(void)state;
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		struct result r;
		snprintf(text, sizeof text,
			 BASE_OK KERNEL_OK DEVICES_OK "interrupt_mode = \"%s\"\n",
			 spellings[i].spelling);
		load(&r, text);
		expect_clean(&r);
		assert_int_equal(r.spec->devices.irq_mode, spellings[i].mode);
		assert_int_equal(r.spec->devices.irq_mode_span.line, 14);
		assert_int_equal(r.spec->devices.irq_mode_span.col, 18);
		release(&r);
	}
	/* Not written: the default, and no span. */
	struct result r;
	load(&r, BASE_OK KERNEL_OK DEVICES_OK);
	expect_clean(&r);
	assert_int_equal(r.spec->devices.irq_mode, VMCFG_IRQ_NONE);
	assert_int_equal(r.spec->devices.irq_mode_span.line, 0);
	release(&r);

	expect_one(BASE_OK KERNEL_OK DEVICES_OK "interrupt_mode = \"Passthrough\"\n",
		   VMCFG_R_BAD_ENUM, 14, 18,
		   "`devices.interrupt_mode`: unknown value \"Passthrough\"",
		   "did you mean `passthrough`? (values are case-sensitive)");
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "interrupt_mode = \"emul\"\n", VMCFG_R_BAD_ENUM, 14,
		   18, NULL, "did you mean `emu`?");
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "interrupt_mode = \"virtual\"\n", VMCFG_R_BAD_ENUM,
		   14, 18, NULL,
		   "`no_irq` (or `no`, `none`, `noirq`), `emu` (or `emulated`), `passthrough`");
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "interrupt_mode = 1\n", VMCFG_R_WRONG_TYPE, 14, 18,
		   "`devices.interrupt_mode` must be a string, not an integer", NULL);
}

static void test_value_enumerations(void **state)
{
	(void)state;
	/* image_location */
	struct result r;
	load(&r, BASE_OK KERNEL_OK "image_location = \"fs\"\n" DEVICES_OK);
	expect_clean(&r);
	assert_string_equal(r.spec->kernel.image_location.s, "fs");
	release(&r);
	load(&r, BASE_OK KERNEL_OK "image_location = \"memory\"\n" DEVICES_OK);
	expect_clean(&r);
	release(&r);
	expect_one(BASE_OK KERNEL_OK "image_location = \"Memory\"\n" DEVICES_OK, VMCFG_R_BAD_ENUM,
		   11, 18, "`kernel.image_location`: unknown value \"Memory\"",
		   "did you mean `memory`?");
	expect_one(BASE_OK KERNEL_OK "image_location = \"flash\"\n" DEVICES_OK, VMCFG_R_BAD_ENUM,
		   11, 18, NULL, "use one of `fs`, `memory`");

	/* vm_type 0..2 */
	expect_one("[base]\nid = 1\nname = \"vm\"\nvm_type = 3\ncpu_num = 1\n" KERNEL_OK DEVICES_OK,
		   VMCFG_R_BAD_ENUM, 4, 11, "`base.vm_type` is 3, not a VM type",
		   "0 (host VM), 1 (RTOS) or 2 (Linux)");
	/* map_type 0..2 */
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [[0x8000_0000, 0x1000, 0x7, 3]]\n",
		   VMCFG_R_BAD_ENUM, 13, 46,
		   "`kernel.memory_regions[0][3]` is 3, not a mapping type",
		   "0 (MapAlloc), 1 (MapIdentical) or 2 (MapReserved)");
	/* flags: unknown bits are named */
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [[0x8000_0000, 0x1000, 0x47, 0]]\n",
		   VMCFG_R_BAD_ENUM, 13, 41,
		   "`kernel.memory_regions[0][2]` is 0x47, with unknown bits 0x40",
		   "READ 0x1, WRITE 0x2, EXECUTE 0x4, USER 0x8, DEVICE 0x10, UNCACHED 0x20");
	/* emu_type: every known value decodes, others list the names */
	static const unsigned known[] = { 0x0,	0x1,  0x2,  0x3,  0xa,  0x20, 0x21, 0x22,
					  0x23, 0x24, 0x25, 0x30, 0xe1, 0xe2, 0xe3 };
	char text[1024];
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		snprintf(text, sizeof text,
			 BASE_OK KERNEL_OK
			 "[devices]\npassthrough_devices = []\n"
			 "emu_devices = [[\"d\", 0x900_0000, 0x1000, 0, %#x, []]]\n",
			 known[i]);
		load(&r, text);
		expect_clean(&r);
		assert_int_equal(r.spec->devices.emu[0].emu_type.v, known[i]);
		assert_non_null(vmcfg_emu_type_name(known[i]));
		release(&r);
	}
	expect_one(BASE_OK KERNEL_OK "[devices]\npassthrough_devices = []\n"
				     "emu_devices = [[\"d\", 0x900_0000, 0x1000, 0, 0x4, []]]\n",
		   VMCFG_R_BAD_ENUM, 13, 45,
		   "`devices.emu_devices[0][4]` is 0x4, not a known emulated",
		   "0x2 Console, 0x3 FwCfg, 0xa IVCChannel, 0x20 GPPTRedistributor");
}

/* axvmconfig 0.8's keys: decoded, their types and values checked, the boot-flow rules. */
static void test_newest_keys(void **state)
{
	struct result r;
	(void)state;
	load(&r, BASE_OK KERNEL_OK "enable_bios = true\nboot_protocol = \"bios\"\n"
		 "[devices]\nemu_devices = []\npassthrough_devices = []\n"
		 "passthrough_ports = [[0x3f8, 8], [0x40, 4]]\naddress_space_policy = \"passthrough\"\n");
	expect_clean(&r);
	assert_true(r.spec->kernel.enable_bios.set && r.spec->kernel.enable_bios.v);
	assert_string_equal(r.spec->kernel.boot_protocol.s, "bios");
	assert_int_equal(r.spec->devices.pt_port_count, 2);
	assert_int_equal(r.spec->devices.pt_ports[0].base.v, 0x3f8);
	assert_int_equal(r.spec->devices.pt_ports[1].length.v, 4);
	assert_string_equal(r.spec->devices.address_space_policy.s, "passthrough");
	release(&r);
	expect_one(BASE_OK KERNEL_OK "enable_bios = 1\n" DEVICES_OK, VMCFG_R_WRONG_TYPE, 11, 15,
		   "`kernel.enable_bios`", NULL);
	expect_one(BASE_OK KERNEL_OK "enable_bios = true\nboot_protocol = \"grub\"\n" DEVICES_OK,
		   VMCFG_R_BAD_ENUM, 12, 17, "`kernel.boot_protocol`", NULL);
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "passthrough_ports = [[0x1_0000, 1]]\n",
		   VMCFG_R_OUT_OF_RANGE, 14, 23, "`devices.passthrough_ports[0][0]`", NULL);
	expect_one(BASE_OK KERNEL_OK "boot_protocol = \"efi\"\n" DEVICES_OK, VMCFG_R_BOOT_PROTOCOL, 11, 17,
		   "needs `kernel.enable_bios = true`", NULL);
	expect_one(BASE_OK KERNEL_OK "enable_bios = true\nboot_protocol = \"kernel\"\n" DEVICES_OK,
		   VMCFG_R_BOOT_PROTOCOL, 11, 15, "must not set `enable_bios = true`", NULL);
	expect_one(BASE_OK KERNEL_OK "enable_bios = true\nboot_protocol = \"uefi\"\n"
		   "uefi_firmware_path = \"OVMF.fd\"\n" DEVICES_OK,
		   VMCFG_R_BOOT_PROTOCOL, 12, 17, "needs `bios_load_addr`", NULL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vmcfg_emu_type_name(VMCFG_EMU_IVC_CHANNEL), "IVCChannel");
	assert_string_equal(vmcfg_emu_type_name(0xE3), "VirtioConsole");
	assert_string_equal(vmcfg_emu_type_name(0x24), "X86Pit");
	assert_null(vmcfg_emu_type_name(0x4));
	assert_null(vmcfg_emu_type_name(0x100000002ull));
	assert_int_equal(vmcfg_emu_type_cfg_arity(VMCFG_EMU_GPPT_REDISTRIBUTOR), 3);
	assert_int_equal(vmcfg_emu_type_cfg_arity(VMCFG_EMU_GPPT_ITS), 1);
	assert_int_equal(vmcfg_emu_type_cfg_arity(VMCFG_EMU_PPPT_GLOBAL), 1);
	assert_int_equal(vmcfg_emu_type_cfg_arity(VMCFG_EMU_CONSOLE), -1);
	assert_int_equal(vmcfg_emu_type_cfg_arity(0x99), -1);
	assert_string_equal(vmcfg_irq_mode_name(VMCFG_IRQ_NONE), "no_irq");
	assert_string_equal(vmcfg_irq_mode_name(VMCFG_IRQ_EMU), "emu");
	assert_string_equal(vmcfg_irq_mode_name(VMCFG_IRQ_PASSTHROUGH), "passthrough");
}

/* --- unknown keys --- */

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS "memory_regions = []\n"
				      "kernal_load_addr = 0x1000\n",
		   VMCFG_R_UNKNOWN_KEY, 14, 1, "unknown key `kernel.kernal_load_addr`",
		   "did you mean `kernel_load_addr`?");
	expect_one(BASE_OK "cpu_nun = 1\n" KERNEL_OK DEVICES_OK, VMCFG_R_UNKNOWN_KEY, 6, 1,
		   "`base.cpu_nun`", "did you mean `cpu_num`?");
	/* No close name: the hint lists the known keys. */
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "colour = \"blue\"\n", VMCFG_R_UNKNOWN_KEY, 14, 1,
		   "unknown key `devices.colour`",
		   "known keys: `emu_devices`, `passthrough_devices`, `interrupt_mode`");
	/* Top level: keys and tables. */
	expect_one("title = \"x\"\n" BASE_OK KERNEL_OK DEVICES_OK, VMCFG_R_UNKNOWN_KEY, 1, 1,
		   "unknown key `title`", "known tables: `base`, `kernel`, `devices`");
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "[platform]\ncpus = 4\n", VMCFG_R_UNKNOWN_KEY, 14,
		   2, "unknown table `platform`", NULL);
	/* A nested table inside [kernel] is a table too. */
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "[kernel.extra]\nx = 1\n", VMCFG_R_UNKNOWN_KEY, 14,
		   9, "unknown table `kernel.extra`", NULL);
	/* A misspelled table: unknown (with hint) and the real one missing. */
	struct result r;
	load(&r, BASE_OK "[kernal]\n" KERNEL_KEYS "memory_regions = []\n" DEVICES_OK);
	assert_int_equal(r.diags.count, 2);
	const struct vmcfg_diag *g = expect(&r, VMCFG_R_UNKNOWN_KEY, 6, 2);
	assert_string_equal(g->hint, "did you mean `kernel`?");
	assert_int_equal(g->severity, VMCFG_SEV_WARNING);
	g = expect(&r, VMCFG_R_MISSING_KEY, 1, 1);
	assert_string_equal(g->message, "missing required table `[kernel]`");
	release(&r);
	/* Keys that need quotes are quoted in the path. */
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "\"odd key\" = 1\n", VMCFG_R_UNKNOWN_KEY, 14, 1,
		   "unknown key `devices.\"odd key\"`", NULL);
}

/* --- types and ranges --- */

static void test_wrong_types(void **state)
{
	(void)state;
	expect_one("[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = \"2\"\n" KERNEL_OK
			   DEVICES_OK,
		   VMCFG_R_WRONG_TYPE, 5, 11, "`base.cpu_num` must be an integer, not a string",
		   NULL);
	expect_one(BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				      "memory_regions = [\n  [0x8000_0000, 0x1000, 0x7, 0],\n"
				      "  [0x9000_0000, 0x1000, \"rwx\", 0],\n]\n",
		   VMCFG_R_WRONG_TYPE, 15, 25,
		   "`kernel.memory_regions[1][2]` must be an integer, not a string", NULL);
	expect_one("[base]\nid = 1\nname = 7\nvm_type = 1\ncpu_num = 1\n" KERNEL_OK DEVICES_OK,
		   VMCFG_R_WRONG_TYPE, 3, 8, "`base.name` must be a string, not an integer", NULL);
	expect_one(BASE_OK "phys_cpu_ids = 0\n" KERNEL_OK DEVICES_OK, VMCFG_R_WRONG_TYPE, 6, 16,
		   "`base.phys_cpu_ids` must be an array, not an integer", NULL);
	expect_one(BASE_OK "phys_cpu_ids = [1.5]\n" KERNEL_OK DEVICES_OK, VMCFG_R_WRONG_TYPE, 6, 17,
		   "`base.phys_cpu_ids[0]` must be an integer, not a float", NULL);
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "excluded_devices = [\"/gpu\"]\n",
		   VMCFG_R_WRONG_TYPE, 14, 21,
		   "`devices.excluded_devices[0]` must be an array, not a string", NULL);
	expect_one(BASE_OK KERNEL_OK DEVICES_OK "excluded_devices = [[\"/gpu\", 1]]\n",
		   VMCFG_R_WRONG_TYPE, 14, 30, "`devices.excluded_devices[0][1]` must be a string",
		   NULL);
	expect_one("base = 1\n" KERNEL_OK DEVICES_OK, VMCFG_R_WRONG_TYPE, 1, 8,
		   "`base` must be a table, not an integer", NULL);
	expect_one(BASE_OK KERNEL_OK
		   "[devices]\nemu_devices = []\npassthrough_devices = [[\"/\", true]]\n",
		   VMCFG_R_WRONG_TYPE, 13, 30,
		   "`devices.passthrough_devices[0][1]` must be an integer, not a boolean", NULL);
}

static void test_ranges(void **state)
{
	(void)state;
	expect_one(
		"[base]\nid = -1\nname = \"vm\"\nvm_type = 1\ncpu_num = 1\n" KERNEL_OK DEVICES_OK,
		VMCFG_R_OUT_OF_RANGE, 2, 6, "`base.id` is negative (-1)", NULL);
	expect_one("[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 0x1_0000_0000\n" KERNEL_OK
			   DEVICES_OK,
		   VMCFG_R_OUT_OF_RANGE, 5, 11, "`base.cpu_num` is 4294967296, above its maximum",
		   "the largest value is 512");
	/* Found by fuzz_config: a billion vCPUs kept every later stage busy for seconds. */
	expect_one("[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 513\n" KERNEL_OK DEVICES_OK,
		   VMCFG_R_OUT_OF_RANGE, 5, 11, "`base.cpu_num` is 513, above its maximum",
		   "the largest value is 512");
	expect_one(BASE_OK KERNEL_OK
		   "[devices]\nemu_devices = []\n"
		   "passthrough_devices = [[\"d\", 0, 0, 0x1000, 0x1_0000_0000]]\n",
		   VMCFG_R_OUT_OF_RANGE, 13, 44,
		   "`devices.passthrough_devices[0][4]` is 4294967296", NULL);
	/* Full 64-bit addresses (the parser runs with allow_u64). */
	struct result r;
	load(&r, BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				    "memory_regions = [[0xffff_ffff_ffff_f000, 0x1000, 0x7, 0]]\n");
	expect_clean(&r);
	assert_true(r.spec->kernel.regions[0].gpa.v == 0xfffffffffffff000ull);
	assert_round_trip(r.spec);
	release(&r);
	/* 2^64 does not fit: a TOML syntax error, and no spec. */
	load(&r,
	     BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				"memory_regions = [[0x1_0000_0000_0000_0000, 0x1000, 0x7, 0]]\n");
	const struct vmcfg_diag *g = expect_only(&r, VMCFG_R_TOML_SYNTAX);
	assert_int_equal(g->primary.span.line, 13);
	assert_null(r.spec);
	release(&r);
	/* A NUL cannot be part of a C string. */
	expect_one("[base]\nid = 1\nname = \"v\\u0000m\"\nvm_type = 1\ncpu_num = 1\n" KERNEL_OK
			   DEVICES_OK,
		   VMCFG_R_OUT_OF_RANGE, 3, 8, "`base.name` contains a NUL character", NULL);
}

/*
 * A file with ten different mistakes gives ten findings, each at the
 * value (or key, or table header) concerned.
 */
static void test_ten_mistakes(void **state)
{
	static const char text[] =
		"[base]\n"                               /* 1 */
		"id = -1\n"                              /* 2: negative */
		"name = \"vm\"\n"                        /* 3 */
		"vm_type = 7\n"                          /* 4: not a VM type */
		"cpu_num = 2\n"                          /* 5 */
		"phys_cpu_ids = [0x0]\n"                 /* 6: list length */
		"\n"                                     /* 7 */
		"[kernel]\n"                             /* 8: kernel_load_addr missing */
		"entry_point = \"0x8000_0000\"\n"        /* 9: wrong type */
		"kernel_path = \"Image\"\n"              /* 10 */
		"kernal_load_addr = 0x8008_0000\n"       /* 11: unknown key */
		"bios_path = \"bios.bin\"\n"             /* 12: path without address */
		"image_location = \"flash\"\n"           /* 13: not fs/memory */
		"memory_regions = [\n"                   /* 14 */
		"  [0x8000_0000, 0x1000_0000, 0x7],\n"   /* 15: arity */
		"]\n"                                    /* 16 */
		"\n"                                     /* 17 */
		"[devices]\n"                            /* 18 */
		"emu_devices = []\n"                     /* 19 */
		"passthrough_devices = [[\"/\"]]\n"       /* 20 */
		"interrupt_mode = \"Passthrough\"\n";    /* 21: case */
	struct result r;
	(void)state;
	load(&r, text);
	if (r.diags.count != 10) {
		print_diags(&r.diags);
		fail_msg("expected 10 findings, got %zu", r.diags.count);
	}
	expect(&r, VMCFG_R_OUT_OF_RANGE, 2, 6);
	expect(&r, VMCFG_R_BAD_ENUM, 4, 11);
	expect(&r, VMCFG_R_CPU_LIST_LENGTH, 6, 16);
	expect(&r, VMCFG_R_MISSING_KEY, 8, 1);
	expect(&r, VMCFG_R_WRONG_TYPE, 9, 15);
	expect(&r, VMCFG_R_UNKNOWN_KEY, 11, 1);
	expect(&r, VMCFG_R_PATH_WITHOUT_ADDR, 12, 13);
	expect(&r, VMCFG_R_BAD_ENUM, 13, 18);
	expect(&r, VMCFG_R_ARITY, 15, 3);
	expect(&r, VMCFG_R_BAD_ENUM, 21, 18);
	assert_int_equal(r.diags.errors, 9);
	assert_int_equal(r.diags.warnings, 1);
	/* The rest was decoded; the bad values are unset. */
	assert_non_null(r.spec);
	assert_false(r.spec->base.id.set);
	assert_false(r.spec->base.vm_type.set);
	assert_int_equal(r.spec->base.cpu_num.v, 2);
	assert_false(r.spec->kernel.entry_point.set);
	assert_string_equal(r.spec->kernel.kernel.path.s, "Image");
	assert_int_equal(r.spec->kernel.region_count, 1);
	assert_false(r.spec->kernel.regions[0].gpa.set);
	assert_int_equal(r.spec->devices.irq_mode, VMCFG_IRQ_NONE);
	assert_int_equal(r.spec->devices.pt_count, 1);
	release(&r);
}

static void test_missing(void **state)
{
	struct result r;
	(void)state;
	/* An empty file: the three tables, at 1:1. */
	load(&r, "");
	assert_int_equal(r.diags.count, 3);
	assert_string_equal(r.diags.items[0].message, "missing required table `[base]`");
	assert_string_equal(r.diags.items[1].message, "missing required table `[kernel]`");
	assert_string_equal(r.diags.items[2].message, "missing required table `[devices]`");
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(r.diags.items[i].primary.span.line, 1);
		assert_int_equal(r.diags.items[i].primary.span.col, 1);
	}
	assert_non_null(r.spec);
	release(&r);
	/* Every required key, at its table's header. */
	load(&r, "# comment\n[base]\n[kernel]\n[devices]\n");
	assert_int_equal(r.diags.count, 4 + 4 + 2);
	expect(&r, VMCFG_R_MISSING_KEY, 2, 1);
	expect(&r, VMCFG_R_MISSING_KEY, 3, 1);
	expect(&r, VMCFG_R_MISSING_KEY, 4, 1);
	assert_string_equal(r.diags.items[0].message, "missing required key `base.id`");
	assert_string_equal(r.diags.items[9].message,
			    "missing required key `devices.passthrough_devices`");
	release(&r);
	/* emu_devices and passthrough_devices may be empty, not absent. */
	expect_one(BASE_OK KERNEL_OK "[devices]\npassthrough_devices = []\n", VMCFG_R_MISSING_KEY,
		   11, 1, "missing required key `devices.emu_devices`", NULL);
}

/* --- cross-field rules of the format --- */

static void test_cpu_lists(void **state)
{
	struct result r;
	(void)state;
	load(&r, "[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 2\n"
		 "phys_cpu_ids = [0x0, 0x100]\nphys_cpu_sets = [0x1, 0x2]\n" KERNEL_OK DEVICES_OK);
	expect_clean(&r);
	assert_int_equal(r.spec->base.phys_cpu_ids.items[1].v, 0x100);
	release(&r);

	/* Shorter and longer: E0201 at the list, related span at cpu_num. */
	load(&r, "[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 2\n"
		 "phys_cpu_ids = [0x0]\nphys_cpu_sets = [0x1, 0x2, 0x4]\n" KERNEL_OK DEVICES_OK);
	assert_int_equal(r.diags.count, 2);
	const struct vmcfg_diag *g = expect(&r, VMCFG_R_CPU_LIST_LENGTH, 6, 16);
	assert_string_equal(g->code, "E0201");
	assert_string_equal(g->message, "`base.phys_cpu_ids` has 1 entry but cpu_num is 2");
	assert_int_equal(g->related.span.line, 5);
	assert_int_equal(g->related.span.col, 11);
	assert_string_equal(g->related_message, "cpu_num is set here");
	g = expect(&r, VMCFG_R_CPU_LIST_LENGTH, 7, 17);
	assert_string_equal(g->message, "`base.phys_cpu_sets` has 3 entries but cpu_num is 2");
	assert_int_equal(g->related.span.line, 5);
	/* The lists are still decoded as written. */
	assert_int_equal(r.spec->base.phys_cpu_sets.count, 3);
	release(&r);

	/* cpu_num 0: E0202, and no list-length finding on top. */
	load(&r, "[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 0\n"
		 "phys_cpu_ids = [0]\n" KERNEL_OK DEVICES_OK);
	g = expect_only(&r, VMCFG_R_CPU_NUM_ZERO);
	assert_int_equal(g->primary.span.line, 5);
	assert_int_equal(g->primary.span.col, 11);
	release(&r);
}

static void test_image_pairs(void **state)
{
	struct result r;
	(void)state;
	expect_one(BASE_OK KERNEL_OK "bios_path = \"bios.bin\"\n" DEVICES_OK,
		   VMCFG_R_PATH_WITHOUT_ADDR, 11, 13,
		   "`kernel.bios_path` is given without `bios_load_addr`",
		   "add `bios_load_addr = <guest physical address>`");
	expect_one(BASE_OK KERNEL_OK "ramdisk_load_addr = 0x8800_0000\n" DEVICES_OK,
		   VMCFG_R_PATH_WITHOUT_ADDR, 11, 21,
		   "`kernel.ramdisk_load_addr` is given without `ramdisk_path`", NULL);
	/* A DTB path alone: axvmconfig 0.8's loader computes its address. */
	load(&r, BASE_OK KERNEL_OK "dtb_path = \"guest.dtb\"\n" DEVICES_OK);
	expect_clean(&r);
	release(&r);
	/* A DTB address alone: the hypervisor generates the DTB there. */
	load(&r, BASE_OK KERNEL_OK "dtb_load_addr = 0x8000_0000\n" DEVICES_OK);
	expect_clean(&r);
	release(&r);
	load(&r, BASE_OK KERNEL_OK
	     "bios_path = \"b\"\nbios_load_addr = 0x8000\n"
	     "ramdisk_path = \"r\"\nramdisk_load_addr = 0x8800_0000\ncmdline = \"console=ttyS0\"\n"
	     "disk_path = \"disk.img\"\n" DEVICES_OK);
	expect_clean(&r);
	assert_string_equal(r.spec->kernel.cmdline.s, "console=ttyS0");
	assert_int_equal(r.spec->kernel.ramdisk.load_addr.v, 0x88000000);
	assert_round_trip(r.spec);
	release(&r);
}

static void test_device_region(void **state)
{
	(void)state;
	struct result r;
	load(&r, BASE_OK DEVICES_OK
	     "[kernel]\n" KERNEL_KEYS
	     "memory_regions = [[0x8000_0000, 0x1000, 0x7, 0], [0x900_0000, 0x1000, 0x13, 0]]\n");
	const struct vmcfg_diag *g = expect_only(&r, VMCFG_R_DEVICE_REGION);
	assert_int_equal(g->severity, VMCFG_SEV_WARNING);
	assert_int_equal(g->primary.span.line, 13);
	assert_int_equal(g->primary.span.col, 71);
	assert_contains(g->message, "`kernel.memory_regions[1]` has the DEVICE flag (flags 0x13)");
	assert_contains(g->hint, "devices.passthrough_devices");
	/* Kept as written: conversion decides what to do with it. */
	assert_int_equal(r.spec->kernel.region_count, 2);
	assert_int_equal(r.spec->kernel.regions[1].flags.v, 0x13);
	release(&r);
}

static void test_syntax_error(void **state)
{
	struct result r;
	(void)state;
	load(&r, "[base]\nid = 1\nname = \"vm\nvm_type = 1\n");
	const struct vmcfg_diag *g = expect_only(&r, VMCFG_R_TOML_SYNTAX);
	assert_int_equal(g->primary.span.line, 3);
	assert_string_equal(g->primary.file, "test.toml");
	assert_non_null(g->message);
	assert_null(r.spec);
	release(&r);
}

static void test_arguments(void **state)
{
	struct vmcfg_diags diags;
	struct vmcfg_vm_spec *spec = (struct vmcfg_vm_spec *)&diags;
	(void)state;
	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_vm_spec_decode(NULL, "f", &vmcfg_host_allocator, &diags, &spec),
			 VMCFG_EINVAL);
	assert_null(spec);
	assert_int_equal(vmcfg_vm_spec_load("x", 1, "f", NULL, &diags, &spec), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_spec_load("x", 1, "f", &vmcfg_host_allocator, NULL, &spec),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_spec_load(NULL, 1, "f", &vmcfg_host_allocator, &diags, &spec),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_spec_load("x", 1, "f", &vmcfg_host_allocator, &diags, NULL),
			 VMCFG_EINVAL);
	vmcfg_vm_spec_free(NULL);
	/* No file name: locations without a file. */
	assert_int_equal(vmcfg_vm_spec_load("", 0, NULL, &vmcfg_host_allocator, &diags, &spec), 0);
	assert_null(spec->file);
	assert_int_equal(diags.count, 3);
	assert_null(diags.items[0].primary.file);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&diags);
}

/* --- allocation failures --- */

/*
 * Fails each allocation in turn (parser, spec arena, diagnostics list): the
 * result is VMCFG_ENOMEM with nothing left behind, or the same result as
 * without failures; nothing leaks either way.
 */
static void assert_alloc_failures_clean(const char *text, size_t len)
{
	struct result ref;
	load_file(&ref, text, len, "f.toml");
	char *ref_json = ref.spec ? emit(ref.spec, true) : NULL;

	for (uint64_t fail_at = 1;; fail_at++) {
		struct vmcfg_counting_alloc st = { .fail_at = fail_at };
		struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
		struct vmcfg_diags diags;
		struct vmcfg_vm_spec *spec = NULL;
		vmcfg_diags_init(&diags, &a);
		int rc = vmcfg_vm_spec_load(text, len, "f.toml", &a, &diags, &spec);
		if (rc == VMCFG_ENOMEM) {
			assert_null(spec);
			assert_int_equal(diags.count, 0);
			assert_int_equal(diags.errors + diags.warnings + diags.notes, 0);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(diags.count, ref.diags.count);
			assert_int_equal(diags.errors, ref.diags.errors);
			if (ref_json) {
				char *json = emit(spec, true);
				assert_string_equal(json, ref_json);
				free(json);
			}
		}
		vmcfg_vm_spec_free(spec);
		vmcfg_diags_free(&diags);
		assert_int_equal(st.in_use, 0);
		if (st.calls < fail_at)
			break; /* nothing failed this time: every point was covered */
	}
	free(ref_json);
	release(&ref);
}

static void test_alloc_failures(void **state)
{
	static const char many_findings[] =
		"[base]\nid = -1\nname = \"vm\"\nvm_type = 7\ncpu_num = 2\nphys_cpu_ids = [0x0]\n"
		"[kernel]\nentry_point = \"x\"\nkernal_load_addr = 1\nbios_path = \"b\"\n"
		"memory_regions = [[1, 2, 3], [0, 0x1000, 0x17, 0]]\n"
		"[devices]\ninterrupt_mode = \"Passthrough\"\nexcluded_devices = [[\"/a\"]]\n";
	char path[1200];
	size_t len;
	(void)state;
	assert_alloc_failures_clean(many_findings, strlen(many_findings));
	assert_alloc_failures_clean(array_of_tables_form, strlen(array_of_tables_form));
	assert_alloc_failures_clean("[base\n", 6);
	snprintf(path, sizeof path, "%s/axvisor-configs/linux-aarch64-rk3588-smp8.toml",
		 shared_dir);
	char *text = read_text(path, &len);
	assert_alloc_failures_clean(text, len);
	free(text);
}

/* --- emitters --- */

static const char emit_input[] =
	"[devices]\n"
	"interrupt_mode = \"pt\"\n"
	"passthrough_devices = [[\"/\"], [\"uart\", 0x900_0000, 0x900_0000, 0x1000]]\n"
	"emu_devices = [{ name = \"gicr\", base_gpa = 0x80a_0000, length = 0x2_0000, irq_id = 0,"
	" emu_type = 0x20, cfg_list = [2, 0x2_0000, 0] }]\n"
	"excluded_devices = [[\"/pcie@10000000\"]]\n"
	"[base]\n"
	"name = \"demo\"\nid = 7\nvm_type = 2\ncpu_num = 2\n"
	"phys_cpu_sets = [1, 2]\nphys_cpu_ids = [0x0, 0x100]\n"
	"[kernel]\n"
	"kernel_load_addr = 0x40080000\nentry_point = 0x4008_0000\nkernel_path = 'Image'\n"
	"dtb_load_addr = 0x4000_0000\nimage_location = \"fs\"\n"
	"cmdline = \"console=ttyAMA0 \\\"quoted\\\"\\tx \\u00e9\\u0001\\\\\"\n"
	"memory_regions = [[0x4000_0000, 0x1000_0000, 0xf, 0]]\n";

static void test_emit_toml(void **state)
{
	static const char expected[] =
		"[base]\n"
		"id = 7\n"
		"name = \"demo\"\n"
		"vm_type = 2\n"
		"cpu_num = 2\n"
		"phys_cpu_ids = [0x0, 0x100]\n"
		"phys_cpu_sets = [0x1, 0x2]\n"
		"\n"
		"[kernel]\n"
		"entry_point = 0x4008_0000\n"
		"kernel_path = \"Image\"\n"
		"kernel_load_addr = 0x4008_0000\n"
		"dtb_load_addr = 0x4000_0000\n"
		"image_location = \"fs\"\n"
		"cmdline = \"console=ttyAMA0 \\\"quoted\\\"\\tx \xc3\xa9\\u0001\\\\\"\n"
		"memory_regions = [\n"
		"  [0x4000_0000, 0x1000_0000, 0xf, 0],\n"
		"]\n"
		"\n"
		"[devices]\n"
		"emu_devices = [\n"
		"  [\"gicr\", 0x80a_0000, 0x2_0000, 0, 0x20, [0x2, 0x2_0000, 0x0]],\n"
		"]\n"
		"passthrough_devices = [\n"
		"  [\"/\"],\n"
		"  [\"uart\", 0x900_0000, 0x900_0000, 0x1000],\n"
		"]\n"
		"interrupt_mode = \"passthrough\"\n"
		"excluded_devices = [\n"
		"  [\"/pcie@10000000\"],\n"
		"]\n";
	struct result r;
	(void)state;
	load(&r, emit_input);
	expect_clean(&r);
	char *toml = emit(r.spec, false);
	assert_string_equal(toml, expected);
	free(toml);
	assert_round_trip(r.spec);
	release(&r);
}

/* The canonical TOML with the comments of text (malloc'ed, NUL-terminated). */
static char *emit_commented(const struct vmcfg_vm_spec *spec, const char *text)
{
	struct text_buf b = { 0 };
	struct vmcfg_writer w = { buf_write, &b };
	buf_write(&b, "", 0);
	assert_int_equal(vmcfg_vm_spec_emit_toml_commented(spec, text, strlen(text),
						     &vmcfg_host_allocator, &w),
			 0);
	return b.data;
}

/* Comments in every place comments.h names, in a file whose tables are out of order. */
static const char commented_input[] =
	"# file header\n"
	"\n"
	"# after a blank line\n"
	"[kernel] # kernel table\n"
	"# above entry\n"
	"entry_point = 0x4008_0000 # the entry\n"
	"kernel_path = \"a#b\" # a '#' in a string starts no comment\n"
	"kernel_load_addr = 0x4008_0000\n"
	"memory_regions = [ # regions\n"
	"  # first region\n"
	"  [0x4000_0000, 0x1000_0000, 0xf, 0], # RAM\n"
	"  [\n"
	"    0x5000_0000, # inside a record\n"
	"    0x1000, 0x7, 0,\n"
	"  ],\n"
	"  #[0x6000_0000, 0x1000, 0x7, 0],\n"
	"]\n"
	"# about an unknown key\n"
	"unknown_key = 1 # dropped\n"
	"cmdline = \"x\"\n"
	"\n"
	"[base]\n"
	"id = 7\n"
	"name = \"demo\"\n"
	"vm_type = 1\n"
	"cpu_num = 1\n"
	"phys_cpu_ids = [\n"
	"  0x0, # cpu 0\n"
	"]\n"
	"\n"
	"[devices]\n"
	"emu_devices = [] # none\n"
	"passthrough_devices = [\n"
	"  # none yet\n"
	"]\n"
	"# end of file\n";

static void test_emit_toml_comments(void **state)
{
	static const char expected[] =
		"# file header\n"
		"\n"
		"# after a blank line\n"
		"[base]\n"
		"id = 7\n"
		"name = \"demo\"\n"
		"vm_type = 1\n"
		"cpu_num = 1\n"
		"# cpu 0\n"
		"phys_cpu_ids = [0x0]\n"
		"\n"
		"[kernel] # kernel table\n"
		"# above entry\n"
		"entry_point = 0x4008_0000 # the entry\n"
		"kernel_path = \"a#b\" # a '#' in a string starts no comment\n"
		"kernel_load_addr = 0x4008_0000\n"
		"# about an unknown key\n"
		"# dropped\n"
		"cmdline = \"x\"\n"
		"memory_regions = [ # regions\n"
		"  # first region\n"
		"  [0x4000_0000, 0x1000_0000, 0xf, 0], # RAM\n"
		"  # inside a record\n"
		"  [0x5000_0000, 0x1000, 0x7, 0],\n"
		"  #[0x6000_0000, 0x1000, 0x7, 0],\n"
		"]\n"
		"\n"
		"[devices]\n"
		"emu_devices = [] # none\n"
		"passthrough_devices = [\n"
		"  # none yet\n"
		"]\n"
		"interrupt_mode = \"no_irq\"\n"
		"# end of file\n";
	struct result r, again;
	(void)state;
	load(&r, commented_input);
	assert_int_equal(r.diags.errors, 0);
	assert_int_equal(r.diags.warnings, 1); /* unknown_key */
	char *toml = emit_commented(r.spec, commented_input);
	assert_string_equal(toml, expected);

	/* The output reads back to the same spec and formats to itself. */
	load(&again, toml);
	expect_clean(&again);
	assert_spec_equal(r.spec, again.spec);
	char *toml2 = emit_commented(again.spec, toml);
	assert_string_equal(toml2, toml);
	free(toml2);
	release(&again);

	/* Without comments the text is the plain canonical form. */
	char *plain = emit(r.spec, false), *uncommented = emit_commented(r.spec, "");
	assert_string_equal(uncommented, plain);
	free(plain);
	free(uncommented);
	free(toml);
	release(&r);
}

/* Every failing allocation is reported, leaks nothing and writes nothing. */
static void test_emit_toml_comments_alloc_failures(void **state)
{
	struct result r;
	(void)state;
	load(&r, commented_input);
	for (uint64_t fail_at = 1;; fail_at++) {
		struct vmcfg_counting_alloc st = { .fail_at = fail_at };
		struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
		struct text_buf b = { 0 };
		struct vmcfg_writer w = { buf_write, &b };
		int rc = vmcfg_vm_spec_emit_toml_commented(r.spec, commented_input,
						     strlen(commented_input), &a, &w);
		assert_int_equal(st.in_use, 0);
		if (st.calls < fail_at) {
			assert_int_equal(rc, 0);
			free(b.data);
			break;
		}
		assert_int_equal(rc, VMCFG_ENOMEM);
		assert_int_equal(b.len, 0);
	}
	release(&r);
}

static void test_emit_json(void **state)
{
	static const char expected[] =
		"{\n"
		"  \"base\": {\n"
		"    \"id\": 7,\n"
		"    \"name\": \"demo\",\n"
		"    \"vm_type\": 2,\n"
		"    \"cpu_num\": 2,\n"
		"    \"phys_cpu_ids\": [\"0x0\", \"0x100\"],\n"
		"    \"phys_cpu_sets\": [\"0x1\", \"0x2\"]\n"
		"  },\n"
		"  \"kernel\": {\n"
		"    \"entry_point\": \"0x40080000\",\n"
		"    \"kernel_path\": \"Image\",\n"
		"    \"kernel_load_addr\": \"0x40080000\",\n"
		"    \"dtb_load_addr\": \"0x40000000\",\n"
		"    \"image_location\": \"fs\",\n"
		"    \"cmdline\": \"console=ttyAMA0 \\\"quoted\\\"\\tx \xc3\xa9\\u0001\\\\\",\n"
		"    \"memory_regions\": [\n"
		"      {\"gpa\": \"0x40000000\", \"size\": \"0x10000000\", \"flags\": \"0xf\", \"map_type\": \"MapAlloc\"}\n"
		"    ]\n"
		"  },\n"
		"  \"devices\": {\n"
		"    \"emu_devices\": [\n"
		"      {\"name\": \"gicr\", \"base_gpa\": \"0x80a0000\", \"length\": \"0x20000\","
		" \"irq_id\": 0, \"emu_type\": \"0x20\", \"cfg_list\": [\"0x2\", \"0x20000\", \"0x0\"]}\n"
		"    ],\n"
		"    \"passthrough_devices\": [\n"
		"      {\"name\": \"/\"},\n"
		"      {\"name\": \"uart\", \"base_gpa\": \"0x9000000\", \"base_hpa\": \"0x9000000\","
		" \"length\": \"0x1000\"}\n"
		"    ],\n"
		"    \"interrupt_mode\": \"passthrough\",\n"
		"    \"excluded_devices\": [\n"
		"      [\"/pcie@10000000\"]\n"
		"    ]\n"
		"  }\n"
		"}\n";
	struct result r;
	(void)state;
	load(&r, emit_input);
	expect_clean(&r);
	char *json = emit(r.spec, true);
	assert_string_equal(json, expected);
	free(json);
	release(&r);
}

/*
 * A record whose field was invalid cannot be written positionally without
 * inventing a value: it is written as an inline table of its set fields,
 * so re-reading reports the missing field.
 */
static void test_emit_incomplete_record(void **state)
{
	struct result r, again;
	(void)state;
	load(&r, BASE_OK DEVICES_OK "[kernel]\n" KERNEL_KEYS
				    "memory_regions = [[0x8000_0000, -1, 0x7, 0]]\n");
	expect_only(&r, VMCFG_R_OUT_OF_RANGE);
	char *toml = emit(r.spec, false);
	assert_contains(
		toml,
		"memory_regions = [\n  { gpa = 0x8000_0000, flags = 0x7, map_type = 0 },\n]\n");
	load(&again, toml);
	expect_only(&again, VMCFG_R_MISSING_KEY);
	assert_contains(again.diags.items[0].message, "`kernel.memory_regions[0].size`");
	release(&again);
	free(toml);
	release(&r);

	/* An invalid list element is left out, not written as 0. */
	load(&r, "[base]\nid = 1\nname = \"vm\"\nvm_type = 1\ncpu_num = 2\n"
		 "phys_cpu_ids = [0x100, \"x\"]\n" KERNEL_OK DEVICES_OK
		 "excluded_devices = [[\"/a\", 1], []]\n");
	assert_int_equal(r.diags.count, 2);
	toml = emit(r.spec, false);
	assert_contains(toml, "phys_cpu_ids = [0x100]\n");
	assert_contains(toml, "excluded_devices = [\n  [\"/a\"],\n  [],\n]\n");
	free(toml);
	toml = emit(r.spec, true);
	assert_contains(toml, "\"phys_cpu_ids\": [\"0x100\"]\n");
	free(toml);
	release(&r);
}

static void find_shared_dir(int argc, char **argv)
{
	if (argc > 1) {
		snprintf(shared_dir, sizeof shared_dir, "%s", argv[1]);
	} else {
		/* __FILE__ is <repo>/tests/unit/test_spec.c, possibly relative to the repo. */
		const char *at = strstr(__FILE__, "tests/unit/");
		int n = at ? (int)(at - __FILE__) : 0;
		snprintf(shared_dir, sizeof shared_dir, "%.*stests/data", n, __FILE__);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_axvisor_configs_decode_clean),
		cmocka_unit_test(test_axvisor_configs_round_trip),
		cmocka_unit_test(test_axvisor_values),
		cmocka_unit_test(test_record_forms),
		cmocka_unit_test(test_named_form_problems),
		cmocka_unit_test(test_arity),
		cmocka_unit_test(test_guest_form),
		cmocka_unit_test(test_interrupt_mode),
		cmocka_unit_test(test_value_enumerations),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_ten_mistakes),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_cpu_lists),
		cmocka_unit_test(test_image_pairs),
		cmocka_unit_test(test_newest_keys),
		cmocka_unit_test(test_device_region),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_emit_toml),
		cmocka_unit_test(test_emit_toml_comments),
		cmocka_unit_test(test_emit_toml_comments_alloc_failures),
		cmocka_unit_test(test_emit_json),
		cmocka_unit_test(test_emit_incomplete_record),
	};
	find_shared_dir(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Unit tests of vmcfg/describe.h (key documentation, completion, schema) and of diagnostics' fixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/check.h"
#include "vmcfg/describe.h"
#include "vmcfg/diag.h"
#include "vmcfg/host.h"
#include "vmcfg/spec.h"

#define KEY(s) { s, sizeof s - 1, 0 }
#define AT(i) { NULL, 0, i }

static void test_describe(void **state)
{
	(void)state;
	char buf[2048];
	const struct vmcfg_key_step cpu[] = { KEY("base"), KEY("cpu_num") };
	size_t n = vmcfg_key_describe(VMCFG_FILE_VM, cpu, 2, buf, sizeof buf);
	assert_true(n > 0 && n < sizeof buf);
	assert_non_null(strstr(buf, "`base.cpu_num`"));
	assert_non_null(strstr(buf, "required"));
	assert_non_null(strstr(buf, "integer 1..512"));
	/* The snprintf contract: the full length, also when cut. */
	char small[8];
	assert_int_equal(vmcfg_key_describe(VMCFG_FILE_VM, cpu, 2, small, sizeof small), n);
	assert_int_equal(strlen(small), 7);

	/* A field of a positional record: memory_regions[0][2] is flags. */
	const struct vmcfg_key_step flags[] = { KEY("kernel"), KEY("memory_regions"), AT(0), AT(2) };
	assert_true(vmcfg_key_describe(VMCFG_FILE_VM, flags, 4, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "access flags"));
	assert_non_null(strstr(buf, "EXECUTE"));
	/* A system file's key, through a list of tables. */
	const struct vmcfg_key_step access[] = { KEY("ivc"), KEY("subscribers"), AT(0), KEY("access") };
	assert_true(vmcfg_key_describe(VMCFG_FILE_SYSTEM, access, 4, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "`rw`"));
	/* Unknown keys and the wrong format name nothing. */
	const struct vmcfg_key_step typo[] = { KEY("kernel"), KEY("kernal_path") };
	assert_int_equal(vmcfg_key_describe(VMCFG_FILE_VM, typo, 2, buf, sizeof buf), 0);
	assert_int_equal(vmcfg_key_describe(VMCFG_FILE_SYSTEM, cpu, 2, buf, sizeof buf), 0);
	assert_int_equal(vmcfg_key_describe(VMCFG_FILE_VM, cpu, 0, buf, sizeof buf), 0);
}

struct seen {
	char labels[64][32];
	char inserts[64][32];
	size_t n;
};

static void collect(void *ud, const char *label, const char *insert, const char *detail)
{
	struct seen *s = ud;
	(void)detail;
	if (s->n < 64) {
		strncpy(s->labels[s->n], label, 31);
		strncpy(s->inserts[s->n], insert, 31);
		s->n++;
	}
}

static bool has(const struct seen *s, const char *label, const char *insert)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->labels[i], label) && (!insert || !strcmp(s->inserts[i], insert)))
			return true;
	return false;
}

static void test_complete(void **state)
{
	(void)state;
	struct seen s = { 0 };
	assert_int_equal(vmcfg_key_complete_names(VMCFG_FILE_VM, NULL, 0, collect, &s), 3);
	assert_true(has(&s, "base", NULL) && has(&s, "kernel", NULL) && has(&s, "devices", NULL));
	memset(&s, 0, sizeof s);
	assert_int_equal(vmcfg_key_complete_names(VMCFG_FILE_SYSTEM, NULL, 0, collect, &s), 3);
	assert_true(has(&s, "vms", NULL) && has(&s, "ivc", NULL));

	const struct vmcfg_key_step emu[] = { KEY("devices"), KEY("emu_devices"), AT(0), AT(4) };
	memset(&s, 0, sizeof s);
	assert_int_equal(vmcfg_key_complete_values(VMCFG_FILE_VM, emu, 4, collect, &s), 15);
	assert_true(has(&s, "GPPTITS", "0x22"));
	assert_true(has(&s, "FwCfg", "0x03")); /* axvmconfig 0.8's types too */
	assert_true(has(&s, "VirtioConsole", "0xe3"));
	assert_true(has(&s, "Dummy", "0x00")); /* not "0000" or "0" */
	const struct vmcfg_key_step mode[] = { KEY("devices"), KEY("interrupt_mode") };
	memset(&s, 0, sizeof s);
	assert_true(vmcfg_key_complete_values(VMCFG_FILE_VM, mode, 2, collect, &s) >= 3);
	assert_true(has(&s, "passthrough", "\"passthrough\""));
	const struct vmcfg_key_step name[] = { KEY("base"), KEY("name") };
	assert_int_equal(vmcfg_key_complete_values(VMCFG_FILE_VM, name, 2, collect, &s), 0);
}

static void test_schema_args(void **state)
{
	(void)state;
	struct vmcfg_writer w = { NULL, NULL };
	assert_int_equal(vmcfg_schema_emit_json((enum vmcfg_file_kind)7, VMCFG_SCHEMA_DRAFT_07, &w),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_schema_emit_json(VMCFG_FILE_VM, (enum vmcfg_schema_draft)9, &w), VMCFG_EINVAL);
	assert_int_equal(vmcfg_schema_emit_json(VMCFG_FILE_VM, VMCFG_SCHEMA_DRAFT_07, NULL), VMCFG_EINVAL);
}

/* A finding whose hint is mechanical carries the replacement as data. */
static void test_fix(void **state)
{
	(void)state;
	static const char text[] =
		"[base]\nid = 1\nname = \"a\"\nvm_type = 2\ncpu_num = 1\n"
		"[kernel]\nentry_point = 0x8000_0000\nkernal_path = \"Image\"\nkernel_load_addr = 0x8000_0000\n"
		"memory_regions = [[0x8000_0000, 0x100_0000, 0x7, 0]]\n"
		"[devices]\nemu_devices = []\npassthrough_devices = []\ninterrupt_mode = \"Emu\"\n";
	struct vmcfg_diags d;
	struct vmcfg_vm_spec *spec = NULL;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_vm_spec_load(text, sizeof text - 1, "t.toml", &vmcfg_host_allocator, &d, &spec), 0);
	size_t fixes = 0;
	for (size_t i = 0; i < d.count; i++) {
		const struct vmcfg_diag *g = &d.items[i];
		if (g->rule == VMCFG_R_UNKNOWN_KEY) {
			assert_string_equal(g->fix, "kernel_path");
			assert_memory_equal(text + g->fix_span.offset, "kernal_path", g->fix_span.length);
			fixes++;
		} else if (g->rule == VMCFG_R_BAD_ENUM) {
			assert_string_equal(g->fix, "\"emu\"");
			assert_memory_equal(text + g->fix_span.offset, "\"Emu\"", g->fix_span.length);
			fixes++;
		} else {
			assert_null(g->fix); /* the missing kernel_path: no mechanical fix */
		}
	}
	assert_int_equal(fixes, 2);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&d);
}

/*
 * lib/check decodes system files by hand; the table describes them. Every
 * key the table lists is one the decoder knows: a file using them all
 * decodes without a finding.
 */
static void test_system_keys_agree(void **state)
{
	(void)state;
	static const char text[] =
		"vms = [\"a.toml\"]\n"
		"[platform]\narch = \"aarch64\"\ncpu_num = 1\nphys_cpu_ids = [0x0]\nipa_bits = 40\n"
		"ram = [[0x4000_0000, 0x1000_0000]]\nhypervisor_memory = [{ base = 0x4000_0000, size = 0x10_0000 }]\n"
		"reserved = [[\"gic\", 0x800_0000, 0x1_0000]]\n"
		"[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x1000\nstatic = true\n"
		"subscribers = [{ vm = \"b\", access = \"rw\" }]\n";
	static const struct vmcfg_key_step platform[] = { KEY("platform") }, ivc[] = { KEY("ivc") };
	static const struct vmcfg_key_step subscriber[] = { KEY("ivc"), KEY("subscribers"), AT(0) };
	const struct { const struct vmcfg_key_step *path; size_t depth; } tables[] = {
		{ NULL, 0 }, { platform, 1 }, { ivc, 1 }, { subscriber, 3 },
	};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		struct seen s = { 0 };
		assert_true(vmcfg_key_complete_names(VMCFG_FILE_SYSTEM, tables[t].path, tables[t].depth, collect,
						     &s) > 0);
		for (size_t i = 0; i < s.n; i++) {
			char key[40];
			snprintf(key, sizeof key, "%s = ", s.labels[i]);
			if (!strstr(text, key) && !(t == 0 && strstr(text, s.labels[i])))
				fail_msg("the fixture lacks `%s`", s.labels[i]);
		}
	}
	struct vmcfg_diags d;
	struct vmcfg_system *sys = NULL;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_system_load(text, sizeof text - 1, "s.toml", &vmcfg_host_allocator, &d, &sys), 0);
	assert_non_null(sys);
	for (size_t i = 0; i < d.count; i++)
		fail_msg("%s: %s", d.items[i].code, d.items[i].message);
	vmcfg_system_free(sys);
	vmcfg_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_schema_args),
		cmocka_unit_test(test_fix),
		cmocka_unit_test(test_system_keys_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

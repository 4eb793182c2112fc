/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of code levels and inline suppressions (lib/base/diag_levels.c),
 * the rule documentation the library carries (lib/host/diag_docs.c), the
 * JSON number vocabulary (lib/base/json.c) and the system file's canonical
 * TOML (lib/spec/emit_system.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/diag.h"
#include "vmcfg/host.h"
#include "vmcfg/json.h"
#include "vmcfg/spec.h"

static void add(struct vmcfg_diags *d, enum vmcfg_rule rule, const char *file, uint32_t offset,
		uint32_t line)
{
	struct vmcfg_loc at = { file, { offset, 1, line, 1 } };
	assert_int_equal(vmcfg_diag_add(d, rule, at, NULL, "finding"), 0);
}

static void test_rule_by_code(void **state)
{
	enum vmcfg_rule r;
	(void)state;
	assert_true(vmcfg_rule_by_code("W0223", 5, &r));
	assert_int_equal(r, VMCFG_R_VCPUS_SHARE_PCPU);
	assert_true(vmcfg_rule_by_code("e0211", 5, &r));
	assert_int_equal(r, VMCFG_R_GUEST_OVERLAP);
	assert_false(vmcfg_rule_by_code("W9999", 5, &r));
	assert_false(vmcfg_rule_by_code("W022", 4, &r));
}

static void test_levels(void **state)
{
	struct vmcfg_rule_levels lv = { { 0 } };
	struct vmcfg_diags d;
	(void)state;
	/* Errors cannot be allowed or lowered; they can be denied (no change). */
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_GUEST_OVERLAP, VMCFG_LEVEL_ALLOW), VMCFG_EINVAL);
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_GUEST_OVERLAP, VMCFG_LEVEL_WARN), VMCFG_EINVAL);
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_GUEST_OVERLAP, VMCFG_LEVEL_DENY), 0);
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_VCPUS_SHARE_PCPU, VMCFG_LEVEL_ALLOW), 0);
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_WRITE_WITHOUT_READ, VMCFG_LEVEL_DENY), 0);
	assert_int_equal(vmcfg_rule_levels_set(&lv, VMCFG_R_PLATFORM_SKIPPED, VMCFG_LEVEL_WARN), 0);

	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	add(&d, VMCFG_R_VCPUS_SHARE_PCPU, "a", 0, 1);   /* allowed: dropped */
	add(&d, VMCFG_R_WRITE_WITHOUT_READ, "a", 0, 2); /* denied: an error */
	add(&d, VMCFG_R_PLATFORM_SKIPPED, NULL, 0, 0);  /* a note raised to a warning */
	add(&d, VMCFG_R_GUEST_OVERLAP, "a", 0, 3);      /* stays an error */
	add(&d, VMCFG_R_UNKNOWN_KEY, "a", 0, 4);        /* untouched warning */
	vmcfg_diags_apply_levels(&d, &lv);
	assert_int_equal(d.count, 4);
	assert_int_equal(d.items[0].rule, VMCFG_R_WRITE_WITHOUT_READ);
	assert_int_equal(d.items[0].severity, VMCFG_SEV_ERROR);
	assert_int_equal(d.items[1].severity, VMCFG_SEV_WARNING);
	assert_int_equal(d.items[2].severity, VMCFG_SEV_ERROR);
	assert_int_equal(d.items[3].severity, VMCFG_SEV_WARNING);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 2);
	assert_int_equal(d.notes, 0);
	vmcfg_diags_free(&d);
}

static void test_inline(void **state)
{
	/* line 1..6 */
	static const char text[] = "a = 1 # vmcfg: allow(W0223)\n"      /* 0 */
				   "# vmcfg: allow(W0106, W0209)\n"      /* 28 */
				   "b = 2\n"                             /* 57 */
				   "c = 3 # vmcfg: allow(W0209)\n"       /* 63 */
				   "d = 4\n"                             /* 91 */
				   "e = 5 # vmcfg: allow(E0211, W0223)\n"; /* 97 */
	struct vmcfg_diags d;
	(void)state;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	add(&d, VMCFG_R_VCPUS_SHARE_PCPU, "f.toml", 0, 1);    /* same line: dropped */
	add(&d, VMCFG_R_WRITE_WITHOUT_READ, "f.toml", 57, 3); /* the line above: dropped */
	add(&d, VMCFG_R_UNKNOWN_KEY, "f.toml", 57, 3);        /* also named there: dropped */
	add(&d, VMCFG_R_VCPUS_SHARE_PCPU, "f.toml", 57, 3);   /* not named: kept */
	add(&d, VMCFG_R_WRITE_WITHOUT_READ, "f.toml", 91, 5); /* comment after code above: kept */
	add(&d, VMCFG_R_GUEST_OVERLAP, "f.toml", 97, 6);      /* an error: kept */
	add(&d, VMCFG_R_VCPUS_SHARE_PCPU, "g.toml", 0, 1);    /* another file: kept */
	assert_int_equal(vmcfg_diags_apply_inline(&d, "f.toml", text, sizeof text - 1), 3);
	assert_int_equal(d.count, 4);
	assert_int_equal(d.items[0].rule, VMCFG_R_VCPUS_SHARE_PCPU);
	assert_int_equal(d.items[0].primary.span.line, 3);
	assert_int_equal(d.items[1].rule, VMCFG_R_WRITE_WITHOUT_READ);
	assert_int_equal(d.items[2].rule, VMCFG_R_GUEST_OVERLAP);
	assert_string_equal(d.items[3].primary.file, "g.toml");
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 3);
	vmcfg_diags_free(&d);
}

static void test_rule_docs(void **state)
{
	struct vmcfg_rule_doc doc;
	(void)state;
	for (int i = 0; i < VMCFG_RULE_COUNT; i++) {
		const struct vmcfg_rule_info *info = vmcfg_rule_info((enum vmcfg_rule)i);
		assert_true(vmcfg_rule_doc((enum vmcfg_rule)i, &doc));
		/* one source: the docs' heading is the catalogue's title */
		assert_int_equal(doc.title_len, strlen(info->title));
		assert_memory_equal(doc.title, info->title, doc.title_len);
		assert_true(doc.body_len > 0);
	}
	assert_true(vmcfg_rule_doc(VMCFG_R_OVER_HV_MEMORY, &doc));
	assert_string_equal(doc.anchor, "e0305-vm-memory-over-the-hypervisors-memory");
	assert_true(vmcfg_rule_doc(VMCFG_R_OUTSIDE_HOST_RAM, &doc));
	assert_string_equal(doc.anchor, "e0307-identityreserved-ram-outside-host-ram");
	assert_false(vmcfg_rule_doc(VMCFG_RULE_COUNT, &doc));
}

struct sink {
	char buf[4096];
	size_t len;
};

static void sink_write(void *ud, const char *s, size_t len)
{
	struct sink *k = ud;
	assert_true(k->len + len < sizeof k->buf);
	memcpy(k->buf + k->len, s, len);
	k->len += len;
	k->buf[k->len] = '\0';
}

static void test_json_numbers(void **state)
{
	struct sink k = { .len = 0 };
	struct vmcfg_writer w = { sink_write, &k };
	(void)state;
	vmcfg_json_write_hex(&w, 0x123456789abcd001ull);
	vmcfg_json_write_raw(&w, " ");
	vmcfg_json_write_uint(&w, VMCFG_JSON_MAX_SAFE);
	vmcfg_json_write_raw(&w, " ");
	vmcfg_json_write_uint(&w, VMCFG_JSON_MAX_SAFE + 1);
	assert_string_equal(k.buf, "\"0x123456789abcd001\" 9007199254740991 \"9007199254740992\"");
}

static void test_system_emit(void **state)
{
	static const char in[] = "# head\n\nvms = [ \"a.toml\" ]   # the VM\n"
				 "[platform]\ncpu_num = 1\narch = \"aarch64\"\n"
				 "reserved = [[\"GIC\", 0x0800_0000, 65536]]\n"
				 "[[ivc]]\nsize = 4096\nkey = 1\npublisher = \"a\"\n";
	static const char out[] = "# head\n\nvms = [\"a.toml\"] # the VM\n\n"
				  "[platform]\narch = \"aarch64\"\ncpu_num = 1\n\n"
				  "[[platform.reserved]]\nname = \"GIC\"\nbase = 0x800_0000\nsize = 0x1_0000\n\n"
				  "[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x1000\n";
	struct sink k = { .len = 0 };
	struct vmcfg_writer w = { sink_write, &k };
	(void)state;
	assert_int_equal(vmcfg_system_emit_toml_commented(in, sizeof in - 1, &vmcfg_host_allocator, &w), 0);
	assert_string_equal(k.buf, out);
	/* idempotent */
	k.len = 0;
	assert_int_equal(vmcfg_system_emit_toml_commented(out, sizeof out - 1, &vmcfg_host_allocator, &w), 0);
	assert_string_equal(k.buf, out);
	/* an unknown key or a wrong type: refused, nothing written */
	static const char typo[] = "vms = [\"a.toml\"]\n[platform]\ncpu_nmu = 2\n";
	static const char wrong[] = "vms = [\"a.toml\"]\n[platform]\ncpu_num = \"2\"\n";
	k.len = 0;
	assert_int_equal(vmcfg_system_emit_toml_commented(typo, sizeof typo - 1, &vmcfg_host_allocator, &w),
			 VMCFG_EINVALID);
	assert_int_equal(vmcfg_system_emit_toml_commented(wrong, sizeof wrong - 1, &vmcfg_host_allocator, &w),
			 VMCFG_EINVALID);
	assert_int_equal(vmcfg_system_emit_toml_commented("vms = [", 7, &vmcfg_host_allocator, &w),
			 VMCFG_EINVALID);
	assert_int_equal(k.len, 0);
}

static void test_system_emit_alloc_failures(void **state)
{
	static const char in[] = "# h\nvms = [\"a.toml\", \"b.toml\"] # x\n[platform]\narch = \"aarch64\"\n"
				 "ram = [[0x4000_0000, 0x4000_0000]]\n[[ivc]]\nkey = 1\n";
	(void)state;
	for (uint64_t fail = 1;; fail++) {
		struct vmcfg_counting_alloc st = { .fail_at = fail };
		struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
		struct sink k = { .len = 0 };
		struct vmcfg_writer w = { sink_write, &k };
		int rc = vmcfg_system_emit_toml_commented(in, sizeof in - 1, &a, &w);
		assert_int_equal(st.in_use, 0);
		if (rc == 0)
			break;
		assert_int_equal(rc, VMCFG_ENOMEM);
		assert_int_equal(k.len, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_by_code),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_rule_docs),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_system_emit),
		cmocka_unit_test(test_system_emit_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the library's diagnostics renderer (vmcfg_diag_render) and
 * of vmcfg_diags_sort: the CLI's text format, bounded output for hostile
 * inputs (long lines, long messages, many findings), buffered writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/diag.h"
#include "vmcfg/host.h"

/* Collects the rendered text; counts the write calls. */
struct capture {
	char *text;
	size_t len, cap;
	size_t calls;
	size_t fail_at; /* 1-based call that fails with -99; 0 = never */
};

static int capture_write(void *ctx, const char *buf, size_t len)
{
	struct capture *c = ctx;
	c->calls++;
	if (c->fail_at && c->calls == c->fail_at)
		return -99;
	if (c->len + len + 1 > c->cap) {
		c->cap = (c->len + len + 1) * 2;
		c->text = realloc(c->text, c->cap);
		assert_non_null(c->text);
	}
	memcpy(c->text + c->len, buf, len);
	c->len += len;
	c->text[c->len] = '\0';
	return 0;
}

static struct vmcfg_loc at(const char *file, uint32_t offset, uint32_t length, uint32_t line,
			   uint32_t col)
{
	struct vmcfg_loc l = { file, { offset, length, line, col } };
	return l;
}

static void test_render_cli_format(void **state)
{
	(void)state;
	static const char text[] = "[base]\nid = 1\ncpu_num = 0\n";
	struct vmcfg_diag_source src = { "vm.toml", text, sizeof text - 1 };
	struct vmcfg_diags d;
	struct vmcfg_diag *g;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_CPU_NUM_ZERO, at("vm.toml", 24, 1, 3, 11), &g,
					"`base.cpu_num` is %d", 0),
			 0);
	assert_int_equal(vmcfg_diag_relate(&d, g, at("vm.toml", 7, 2, 2, 1), "id here"), 0);
	assert_int_equal(vmcfg_diag_hint(&d, g, "give %s", "1"), 0);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_PLATFORM_SKIPPED, at(NULL, 0, 0, 0, 0), NULL,
					"alone"),
			 0);
	struct capture c = { 0 };
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, NULL, capture_write, &c), 0);
	assert_string_equal(c.text, "vm.toml:3:11: error[E0202]: `base.cpu_num` is 0\n"
				    "3 | cpu_num = 0\n"
				    "  |           ^\n"
				    "vm.toml:2:1: note: id here\n"
				    "2 | id = 1\n"
				    "  | ^^\n"
				    "  = help: give 1\n"
				    "note[N0313]: alone\n"
				    "1 error, 0 warnings\n");
	/* Buffered: one call for the whole short report, not one per piece. */
	assert_int_equal(c.calls, 1);

	/* Colour: the CLI's escapes around location, severity and carets. */
	free(c.text);
	memset(&c, 0, sizeof c);
	struct vmcfg_render_opts color = { true, 0, 0, 0, 0 };
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, &color, capture_write, &c), 0);
	assert_non_null(strstr(c.text, "\033[1mvm.toml:3:11: \033[1;31merror[E0202]\033[0m\033[1m: "
				       "`base.cpu_num` is 0\033[0m\n"));
	assert_non_null(strstr(c.text, "\033[1;31m^\033[0m\n"));
	free(c.text);
	vmcfg_diags_free(&d);
}

/* Tabs are repeated under the line, UTF-8 continuation bytes take no column. */
static void test_render_tabs_utf8(void **state)
{
	(void)state;
	static const char text[] = "\tn = \"\xc3\xa9t\xc3\xa9\" x\n";
	struct vmcfg_diag_source src = { "u.toml", text, sizeof text - 1 };
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	/* the span: the string "été" (7 bytes with quotes, 5 columns) */
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_WRONG_TYPE, at("u.toml", 5, 7, 1, 6), NULL, "m"),
			 0);
	struct capture c = { 0 };
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, NULL, capture_write, &c), 0);
	assert_non_null(strstr(c.text, "  | \t    ^^^^^\n"));
	free(c.text);
	vmcfg_diags_free(&d);
}

/* Control characters in an excerpt are shown as '?'; a NUL ends the line shown. */
static void test_render_control_chars(void **state)
{
	(void)state;
	static const char text[] = "k = \"\033[2J\x07x\" # \x7f\nn = 1\0tail\n";
	struct vmcfg_diag_source src = { "c.toml", text, sizeof text - 1 };
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_WRONG_TYPE, at("c.toml", 4, 8, 1, 5), NULL, "m"),
			 0);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_WRONG_TYPE, at("c.toml", 20, 1, 2, 5), NULL, "n"),
			 0);
	struct capture c = { 0 };
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, NULL, capture_write, &c), 0);
	assert_null(memchr(c.text, '\033', c.len));
	assert_non_null(strstr(c.text, "1 | k = \"?[2J?x\" # ?\n  |     ^^^^^^^^\n"));
	assert_non_null(strstr(c.text, "2 | n = 1\n"));
	assert_null(memchr(c.text, '\0', c.len));
	free(c.text);
	vmcfg_diags_free(&d);
}

/* A finding in the middle of a 1 MB line shows a window, not the line. */
static void test_render_long_line_window(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *text = malloc(n + 1);
	assert_non_null(text);
	memset(text, 'x', n);
	memcpy(text + n / 2, "BAD", 3);
	text[n] = '\0';
	struct vmcfg_diag_source src = { "long.toml", text, n };
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	for (int i = 0; i < 50; i++)
		assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_WRONG_TYPE,
						at("long.toml", (uint32_t)(n / 2), 3, 1,
						   (uint32_t)(n / 2 + 1)),
						NULL, "bad"),
				 0);
	/* and one whose span runs past the window: carets stop at its edge */
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_WRONG_TYPE,
					at("long.toml", 10, (uint32_t)(n - 20), 1, 11), NULL, "huge"),
			 0);
	struct capture c = { 0 };
	struct vmcfg_render_opts opts = { false, 40, 0, 0, 0 };
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, &opts, capture_write, &c), 0);
	assert_true(c.len < 51 * 200);
	/* 18 bytes before the span, 19 after: 40 in all, "…" at both cuts */
	char want[256];
	snprintf(want, sizeof want, "1 | \xe2\x80\xa6%.18sBAD%.19s\xe2\x80\xa6\n  |  %18s^^^\n",
		 text, text, "");
	assert_non_null(strstr(c.text, want));
	/* the huge span: the window starts at the span, 40 carets */
	const char *huge = strstr(c.text, "huge\n");
	assert_non_null(huge);
	snprintf(want, sizeof want, "1 | \xe2\x80\xa6%.40s\xe2\x80\xa6\n  |  %s\n", text,
		 "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^");
	assert_non_null(strstr(huge, want));
	/* Default window: still bounded. */
	free(c.text);
	memset(&c, 0, sizeof c);
	assert_int_equal(vmcfg_diag_render(&d, &src, 1, NULL, capture_write, &c), 0);
	assert_true(c.len < 51 * (2 * VMCFG_RENDER_MAX_LINE + 100));
	free(c.text);
	free(text);
	vmcfg_diags_free(&d);
}

static void test_render_long_message_and_cap(void **state)
{
	(void)state;
	size_t n = 100000;
	char *key = malloc(n + 1);
	assert_non_null(key);
	memset(key, 'k', n);
	key[n] = '\0';
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_UNKNOWN_KEY, at("a.toml", 0, 1, 1, 1), NULL,
					"unknown key `%s`", key),
			 0);
	for (int i = 0; i < 30; i++)
		assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_SIZE_ZERO, at("b.toml", 0, 1, 1, 1), NULL,
						"zero %d", i),
				 0);
	assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_SIZE_ZERO, at("c.toml", 0, 1, 1, 1), NULL,
					"last"),
			 0);
	struct capture c = { 0 };
	struct vmcfg_render_opts opts = { false, 0, 64, 10, 0 };
	assert_int_equal(vmcfg_diag_render(&d, NULL, 0, &opts, capture_write, &c), 0);
	assert_true(c.len < 2000);
	assert_non_null(strstr(c.text, "a.toml:1:1: warning[W0106]: unknown key `kkkk"));
	assert_non_null(strstr(c.text, "kkk\xe2\x80\xa6\n"));
	assert_non_null(strstr(c.text, "zero 9\n"));
	assert_null(strstr(c.text, "zero 10\n"));
	assert_non_null(strstr(c.text, "note: 20 more findings in b.toml not shown\n"
				       "c.toml:1:1: error[E0206]: last\n"));
	assert_non_null(strstr(c.text, "31 errors, 1 warning\n"));
	free(c.text);
	free(key);
	vmcfg_diags_free(&d);
}

/* Past max_total findings shown, one note counts the rest, over every file. */
static void test_render_total_cap(void **state)
{
	(void)state;
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	static const char *const files[] = { "a.toml", "b.toml", "c.toml" };
	for (int f = 0; f < 3; f++)
		for (int i = 0; i < 4; i++)
			assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_SIZE_ZERO, at(files[f], 0, 1, 1, 1),
							NULL, "%s %d", files[f], i),
					 0);
	struct capture c = { 0 };
	struct vmcfg_render_opts opts = { false, 0, 0, 3, 5 };
	assert_int_equal(vmcfg_diag_render(&d, NULL, 0, &opts, capture_write, &c), 0);
	assert_non_null(strstr(c.text, "a.toml 2\n"));
	assert_null(strstr(c.text, "a.toml 3\n"));
	assert_non_null(strstr(c.text, "note: 1 more finding in a.toml not shown\n"));
	assert_non_null(strstr(c.text, "b.toml 1\n"));
	assert_null(strstr(c.text, "b.toml 2\n"));
	assert_null(strstr(c.text, "c.toml"));
	assert_non_null(strstr(c.text, "note: 6 more findings not shown (the report stops after 5 "
				       "findings)\n12 errors, 0 warnings\n"));
	free(c.text);
	vmcfg_diags_free(&d);
}

/* A failing write stops the rendering and is returned; no write is one byte. */
static void test_render_write_failure(void **state)
{
	(void)state;
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	for (int i = 0; i < 500; i++)
		assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_SIZE_ZERO, at("b.toml", 0, 1, 1, 1), NULL,
						"a message long enough to fill buffers %d", i),
				 0);
	struct capture c = { 0 };
	assert_int_equal(vmcfg_diag_render(&d, NULL, 0, NULL, capture_write, &c), 0);
	assert_true(c.calls > 1 && c.calls < c.len / 512);
	free(c.text);
	memset(&c, 0, sizeof c);
	c.fail_at = 2;
	assert_int_equal(vmcfg_diag_render(&d, NULL, 0, NULL, capture_write, &c), -99);
	assert_int_equal(c.calls, 2);
	free(c.text);
	assert_int_equal(vmcfg_diag_render(NULL, NULL, 0, NULL, capture_write, &c), VMCFG_EINVAL);
	assert_int_equal(vmcfg_diag_render(&d, NULL, 0, NULL, NULL, NULL), VMCFG_EINVAL);
	vmcfg_diags_free(&d);
}

/* 100k findings sort in O(n log n), stably, by file, line, column. */
static void test_sort_many(void **state)
{
	(void)state;
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	const uint32_t n = 100000;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t line = (i * 7919u) % 1000u + 1;
		assert_int_equal(vmcfg_diag_add(&d, VMCFG_R_SIZE_ZERO,
						at(i % 2 ? "b" : "a", 0, 1, line, 1), NULL, "%u", i),
				 0);
	}
	vmcfg_diags_sort(&d);
	assert_int_equal(d.count, n);
	for (size_t i = 1; i < d.count; i++) {
		const struct vmcfg_diag *x = &d.items[i - 1], *y = &d.items[i];
		int c = strcmp(x->primary.file, y->primary.file);
		assert_true(c < 0 || (c == 0 && x->primary.span.line <= y->primary.span.line));
		if (c == 0 && x->primary.span.line == y->primary.span.line)
			assert_true(strtoul(x->message, NULL, 10) < strtoul(y->message, NULL, 10));
	}
	vmcfg_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_cli_format),
		cmocka_unit_test(test_render_tabs_utf8),
		cmocka_unit_test(test_render_control_chars),
		cmocka_unit_test(test_render_long_line_window),
		cmocka_unit_test(test_render_long_message_and_cap),
		cmocka_unit_test(test_render_total_cap),
		cmocka_unit_test(test_render_write_failure),
		cmocka_unit_test(test_sort_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

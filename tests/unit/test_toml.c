/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/toml: the parser's API, spans, errors, limits and memory behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/host.h"
#include "vmcfg/toml.h"

static struct vmcfg_toml_doc *parse_opts(const char *text, size_t len, const struct vmcfg_toml_options *o)
{
	struct vmcfg_toml_doc *doc = NULL;
	struct vmcfg_toml_error err;
	int rc = vmcfg_toml_parse(text, len, &vmcfg_host_allocator, o, &doc, &err);
	if (rc)
		fail_msg("unexpected error %d at %u:%u: %s", rc, err.span.line, err.span.col,
			 err.msg);
	assert_non_null(doc);
	return doc;
}

static struct vmcfg_toml_doc *parse(const char *text)
{
	return parse_opts(text, strlen(text), NULL);
}

/* Parses text that must fail; returns the error. */
static struct vmcfg_toml_error parse_fail_opts(const char *text, size_t len,
					 const struct vmcfg_toml_options *o, int code)
{
	struct vmcfg_toml_doc *doc = (struct vmcfg_toml_doc *)1;
	struct vmcfg_toml_error err;
	int rc = vmcfg_toml_parse(text, len, &vmcfg_host_allocator, o, &doc, &err);
	assert_int_equal(rc, code);
	assert_int_equal(err.code, code);
	assert_null(doc);
	return err;
}

static struct vmcfg_toml_error parse_fail(const char *text)
{
	return parse_fail_opts(text, strlen(text), NULL, VMCFG_ESYNTAX);
}

/* Checks the first error of text: line, column and message. */
static void expect_error(const char *text, uint32_t line, uint32_t col, const char *msg)
{
	struct vmcfg_toml_error err = parse_fail(text);
	if (err.span.line != line || err.span.col != col || strcmp(err.msg, msg))
		fail_msg("for %s\n  got  %u:%u: %s\n  want %u:%u: %s", text, err.span.line,
			 err.span.col, err.msg, line, col, msg);
}

static const struct vmcfg_toml_value *get(const struct vmcfg_toml_value *t, const char *key)
{
	const struct vmcfg_toml_value *v = vmcfg_toml_table_get(t, key, strlen(key));
	if (!v)
		fail_msg("no key \"%s\"", key);
	return v;
}

static int64_t get_int(const struct vmcfg_toml_value *t, const char *key)
{
	int64_t i;
	assert_int_equal(vmcfg_toml_get_int(get(t, key), &i), 0);
	return i;
}

static void test_scalars(void **state)
{
	(void)state;
	struct vmcfg_toml_doc *doc = parse("s = \"tab\\there \\u00e9\\U0001F600\"\n"
				     "lit = 'C:\\path'\n"
				     "hex = 0xdead_BEEF\noct = 0o755\nbin = 0b1010\n"
				     "neg = -9_223_372_036_854_775_808\n"
				     "t = true\nf = false\n"
				     "fl = +1_000.5e-3\ninf = +inf\nnan = -nan\n");
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	const char *s;
	size_t len;
	bool b;

	assert_int_equal(vmcfg_toml_get_string(get(r, "s"), &s, &len), 0);
	assert_string_equal(s, "tab\there \xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(len, strlen(s));
	assert_int_equal(vmcfg_toml_get_string(get(r, "lit"), &s, &len), 0);
	assert_string_equal(s, "C:\\path");
	assert_int_equal(get_int(r, "hex"), 0xdeadbeef);
	assert_int_equal(get_int(r, "oct"), 0755);
	assert_int_equal(get_int(r, "bin"), 10);
	assert_true(get_int(r, "neg") == INT64_MIN);
	assert_int_equal(vmcfg_toml_get_bool(get(r, "t"), &b), 0);
	assert_true(b);
	assert_int_equal(vmcfg_toml_get_bool(get(r, "f"), &b), 0);
	assert_false(b);
	assert_int_equal(vmcfg_toml_get_float_text(get(r, "fl"), &s, &len), 0);
	assert_string_equal(s, "1000.5e-3");
	assert_int_equal(vmcfg_toml_get_float_text(get(r, "inf"), &s, &len), 0);
	assert_string_equal(s, "inf");
	assert_int_equal(vmcfg_toml_get_float_text(get(r, "nan"), &s, &len), 0);
	assert_string_equal(s, "-nan");

	double d;
	assert_int_equal(vmcfg_toml_float_to_double("1000.5e-3", 9, &d), 0);
	assert_true(d == 1.0005);
	assert_int_equal(vmcfg_toml_float_to_double("-inf", 4, &d), 0);
	assert_true(d < -1e308 && d * 0 != 0);
	assert_int_equal(vmcfg_toml_float_to_double("nan", 3, &d), 0);
	assert_true(d != d);
	assert_int_equal(vmcfg_toml_float_to_double("0.1", 3, &d), 0);
	assert_true(d == 0.1);
	assert_int_equal(vmcfg_toml_float_to_double("0x1p3", 5, &d), VMCFG_ESYNTAX);
	assert_int_equal(vmcfg_toml_float_to_double("1e", 2, &d), VMCFG_ESYNTAX);

	/* Wrong types are refused. */
	int64_t i;
	uint64_t u;
	assert_int_equal(vmcfg_toml_get_int(get(r, "s"), &i), VMCFG_ETYPE);
	assert_int_equal(vmcfg_toml_get_u64(get(r, "t"), &u), VMCFG_ETYPE);
	assert_int_equal(vmcfg_toml_get_string(get(r, "hex"), &s, &len), VMCFG_ETYPE);
	assert_int_equal(vmcfg_toml_get_bool(NULL, &b), VMCFG_ETYPE);
	assert_string_equal(vmcfg_toml_type_name(vmcfg_toml_type(get(r, "fl"))), "float");
	assert_string_equal(vmcfg_toml_type_name(VMCFG_TOML_BOOL), "boolean");
	vmcfg_toml_free(doc);
}

static void test_strings(void **state)
{
	(void)state;
	/* Multi-line forms: first newline trimmed, line-ending backslash, quotes, CRLF. */
	struct vmcfg_toml_doc *doc = parse("a = \"\"\"\none \\\n    two\"\"\"\n"
				     "b = '''\n'x'\n'''\n"
				     "c = \"\"\"q\"\"\"\"\"\n"
				     "d = \"\"\"x\r\ny\"\"\"\n"
				     "nul = \"a\\u0000b\"\n");
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	const char *s;
	size_t len;

	vmcfg_toml_get_string(get(r, "a"), &s, &len);
	assert_string_equal(s, "one two");
	vmcfg_toml_get_string(get(r, "b"), &s, &len);
	assert_string_equal(s, "'x'\n");
	vmcfg_toml_get_string(get(r, "c"), &s, &len);
	assert_string_equal(s, "q\"\"");
	vmcfg_toml_get_string(get(r, "d"), &s, &len);
	assert_string_equal(s, "x\ny"); /* CRLF is stored as "\n" */
	assert_int_equal(vmcfg_toml_get_string(get(r, "nul"), &s, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "a\0b", 4);
	vmcfg_toml_free(doc);

	/* Keys may contain U+0000 as well. */
	doc = parse("\"k\\u0000x\" = 1\n");
	assert_non_null(vmcfg_toml_table_get(vmcfg_toml_root(doc), "k\0x", 3));
	assert_null(vmcfg_toml_table_get(vmcfg_toml_root(doc), "k", 1));
	vmcfg_toml_free(doc);
}

static void test_spans(void **state)
{
	(void)state;
	/* Columns count code points: "é" and "日本" are 1 and 2 columns. */
	const char *text = "# é\n"
			   "[base]\r\n"
			   "name = \"日本\" # ü\n"
			   "  id = 7\n"
			   "x = [1, \"é\", 3]\n"
			   "t.u = { v = 1 }\n";
	struct vmcfg_toml_doc *doc = parse(text);
	const struct vmcfg_toml_value *base = get(vmcfg_toml_root(doc), "base");
	struct vmcfg_span sp = vmcfg_toml_value_span(doc, base);
	assert_int_equal(sp.line, 2);
	assert_int_equal(sp.col, 1);
	assert_int_equal(sp.length, 6); /* "[base]" */

	struct vmcfg_toml_key key;
	const struct vmcfg_toml_value *name = vmcfg_toml_table_at(doc, base, 0, &key);
	assert_string_equal(key.name, "name");
	assert_int_equal(key.span.line, 3);
	assert_int_equal(key.span.col, 1);
	sp = vmcfg_toml_value_span(doc, name);
	assert_int_equal(sp.line, 3);
	assert_int_equal(sp.col, 8);
	assert_int_equal(sp.length, 8); /* the quotes and 6 bytes of UTF-8 */

	const struct vmcfg_toml_value *id = vmcfg_toml_table_at(doc, base, 1, &key);
	assert_int_equal(key.span.line, 4);
	assert_int_equal(key.span.col, 3);
	sp = vmcfg_toml_value_span(doc, id);
	assert_int_equal(sp.line, 4);
	assert_int_equal(sp.col, 8);
	assert_int_equal(sp.offset, (uint32_t)(strstr(text, "7\n") - text));

	const struct vmcfg_toml_value *x = get(base, "x");
	sp = vmcfg_toml_value_span(doc, x);
	assert_int_equal(sp.col, 5);
	assert_int_equal(sp.length, 12);
	sp = vmcfg_toml_value_span(doc, vmcfg_toml_array_at(x, 2));
	assert_int_equal(sp.line, 5);
	assert_int_equal(sp.col, 14); /* after the 1-column "é" */

	/* A dotted table's span is the key that created it; an inline table's its braces. */
	const struct vmcfg_toml_value *t = get(base, "t");
	sp = vmcfg_toml_value_span(doc, t);
	assert_int_equal(sp.line, 6);
	assert_int_equal(sp.col, 1);
	assert_int_equal(sp.length, 1);
	sp = vmcfg_toml_value_span(doc, get(t, "u"));
	assert_int_equal(sp.col, 7);
	assert_int_equal(sp.length, 9);
	vmcfg_toml_table_at(doc, t, 0, &key); /* a dotted key's span is its last part */
	assert_string_equal(key.name, "u");
	assert_int_equal(key.span.line, 6);
	assert_int_equal(key.span.col, 3);
	assert_int_equal(key.span.length, 1);

	sp = vmcfg_toml_value_span(doc, vmcfg_toml_root(doc));
	assert_int_equal(sp.line, 1);
	assert_int_equal(sp.col, 1);
	assert_int_equal(sp.length, 0);
	vmcfg_toml_free(doc);
}

static void test_bom(void **state)
{
	(void)state;
	struct vmcfg_toml_doc *doc = parse("\xEF\xBB\xBF" "a = 1\n");
	struct vmcfg_toml_key key;
	vmcfg_toml_table_at(doc, vmcfg_toml_root(doc), 0, &key);
	assert_int_equal(key.span.offset, 3);
	assert_int_equal(key.span.line, 1);
	assert_int_equal(key.span.col, 1);
	vmcfg_toml_free(doc);

	/* Only at the very start. */
	expect_error("a = 1\n\xEF\xBB\xBF", 2, 1, "expected a key, found '\xEF\xBB\xBF' (U+FEFF)");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a = 1\nb = [1,\n", 3, 1, "unterminated array (opened at line 2, col 5)");
	expect_error("cpu_num 4\n", 1, 9, "expected '=' after key \"cpu_num\", found '4'");
	expect_error("[base]\nid = 1\nname = \"x\"\nid = 2\n", 4, 1,
		     "duplicate key \"id\" (first defined at line 2)");
	expect_error("[kernel]\na = 1\n[kernel]\n", 3, 1,
		     "table [kernel] defined twice (first defined at line 1)");
	expect_error("s = \"a\\qb\"\n", 1, 7, "invalid escape '\\q' in string");
	expect_error("s = \"\\uD800\"\n", 1, 6,
		     "invalid escape '\\uD800': not a Unicode scalar value");
	expect_error("i = 9223372036854775808\n", 1, 5,
		     "integer 9223372036854775808 does not fit in 64 bits");
	expect_error("i = 012\n", 1, 5, "invalid integer '012': leading zeros are not allowed");
	expect_error("i = 1__2\n", 1, 5, "invalid integer '1__2': '_' must be between digits");
	expect_error("f = 1.\n", 1, 5, "invalid float '1.': digits missing");
	expect_error("name = linux\n", 1, 8, "invalid value 'linux': strings must be quoted");
	expect_error("d = 2023-02-29\n", 1, 5,
		     "invalid date-time '2023-02-29': no such day in that month");
	expect_error("# ok\n# \xff\n", 2, 3, "invalid UTF-8 byte 0xff");
	expect_error("s = \"\xc3\xa9\xe2\x82\"\n", 1, 7,
		     "invalid UTF-8 sequence starting with byte 0xe2");
	expect_error("a = 1\rb = 2\n", 1, 6, "carriage return not followed by a line feed");
	expect_error("# bell \x07\n", 1, 8,
		     "control character U+0007 is not allowed in a comment");
	expect_error("s = \"abc\n", 1, 9,
		     "string opened at line 1, col 5 is not closed at the end of the line");
	expect_error("t = {a = 1,}\n", 1, 12, "an inline table cannot end with a comma");
	expect_error("t = {a = 1\n}\n", 1, 11,
		     "inline table (opened at line 1, col 5) must end on the same line");
	expect_error("a = 1 2\n", 1, 7,
		     "expected a newline after the value of key \"a\", found '2'");
	expect_error("a.b = 1\na.b.c = 2\n", 2, 3,
		     "key \"a.b\" is already an integer (line 1), not a table");
	expect_error("[a.b]\nc = 1\n[a]\nb.d = 2\n", 4, 1,
		     "dotted keys cannot extend table \"b\" (header at line 1)");
	expect_error("[t]\nx.y = 1\n[t.x]\n", 3, 1,
		     "table [t.x] was already defined with dotted keys (line 2)");
	expect_error("a = {b = 1}\n[a.c]\n", 2, 2,
		     "inline table \"a\" (line 1) cannot be extended");
	expect_error("a = [1]\n[[a]]\n", 2, 1,
		     "[[a]] cannot append to the static array \"a\" (line 1)");
	expect_error("[x]\n[[x]]\n", 2, 1,
		     "[[x]] conflicts with the table \"x\" (line 1)");
	expect_error("s = \"\"\"abc", 1, 11,
		     "unterminated multi-line string (opened at line 1, col 5)");
	expect_error("[a\n", 1, 3, "expected ']' after [a, found end of line");
	expect_error("= 1\n", 1, 1, "expected a key, found '='");
	expect_error("a = \n", 1, 5, "expected a value, found end of line");
	/* Column counts characters before the error, not bytes. */
	expect_error("s = \"日本\\x\"\n", 1, 8, "invalid escape '\\x' in string");
}

static void test_depth_limit(void **state)
{
	(void)state;
	size_t n = 100000;
	char *text = malloc(n + 8);
	memcpy(text, "a = ", 4);
	memset(text + 4, '[', n);
	struct vmcfg_toml_error err = parse_fail_opts(text, n + 4, NULL, VMCFG_ELIMIT);
	assert_int_equal(err.span.line, 1);
	assert_int_equal(err.span.col, 4 + VMCFG_TOML_MAX_DEPTH + 1);
	assert_string_equal(err.msg, "tables and arrays nested more than 256 levels deep");

	/* Inline tables count alike; the limit is an option. */
	size_t len = 0;
	for (int i = 0; i < 10; i++)
		len += (size_t)sprintf(text + len, "%sa = {", i ? " " : "");
	struct vmcfg_toml_options o = { .max_depth = 9 };
	parse_fail_opts(text, len, &o, VMCFG_ELIMIT);
	o.max_depth = 10;
	memset(text + len, '}', 10);
	text[len + 10] = '\n';
	vmcfg_toml_free(parse_opts(text, len + 11, &o));

	/* 256 nested arrays are fine by default. */
	memset(text + 4, '[', 256);
	memset(text + 4 + 256, ']', 256);
	vmcfg_toml_free(parse_opts(text, 4 + 512, NULL));

	/* Key paths are limited too (a header of 300 parts). */
	len = 0;
	text[len++] = '[';
	for (int i = 0; i < 300; i++)
		len += (size_t)sprintf(text + len, "%sk", i ? "." : "");
	text[len++] = ']';
	parse_fail_opts(text, len, NULL, VMCFG_ELIMIT);
	free(text);
}

static void test_allow_u64(void **state)
{
	(void)state;
	const char *text = "a = 0xffff_ffff_ffff_ffff\nb = 9223372036854775808\nc = -1\n";
	struct vmcfg_toml_error err = parse_fail(text);
	assert_string_equal(err.msg, "integer 0xffff_ffff_ffff_ffff does not fit in 64 bits");

	struct vmcfg_toml_options o = { .allow_u64 = true };
	struct vmcfg_toml_doc *doc = parse_opts(text, strlen(text), &o);
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	int64_t i;
	uint64_t u;
	assert_int_equal(vmcfg_toml_get_int(get(r, "a"), &i), VMCFG_ERANGE);
	assert_int_equal(vmcfg_toml_get_u64(get(r, "a"), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(vmcfg_toml_get_u64(get(r, "b"), &u), 0);
	assert_true(u == 1ull << 63);
	assert_int_equal(vmcfg_toml_get_u64(get(r, "c"), &u), VMCFG_ERANGE);
	assert_int_equal(vmcfg_toml_get_int(get(r, "c"), &i), 0);
	assert_int_equal(i, -1);
	vmcfg_toml_free(doc);

	/* Still bounded: 2^64 and -2^63-1 do not fit. */
	parse_fail_opts("a = 0x1_0000_0000_0000_0000\n", 28, &o, VMCFG_ESYNTAX);
	parse_fail_opts("a = -9223372036854775809\n", 25, &o, VMCFG_ESYNTAX);
}

static void test_tables(void **state)
{
	(void)state;
	struct vmcfg_toml_doc *doc = parse("top = 1\n"
				     "dot.ted = 2\n"
				     "inl = { x = 1 }\n"
				     "[imp.sub]\n"
				     "[hdr]\n"
				     "z = 1\ny = 2\nx = 3\n"
				     "[[aot]]\nn = 1\n[aot.child]\n[[aot]]\nn = 2\n"
				     "[imp]\n");
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	struct vmcfg_toml_key key;
	const char *order[] = { "top", "dot", "inl", "imp", "hdr", "aot" };

	assert_int_equal(vmcfg_toml_table_kind(r), VMCFG_TOML_TABLE_ROOT);
	assert_int_equal(vmcfg_toml_count(r), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_non_null(vmcfg_toml_table_at(doc, r, i, &key));
		assert_string_equal(key.name, order[i]);
	}
	assert_null(vmcfg_toml_table_at(doc, r, 6, &key));
	assert_int_equal(vmcfg_toml_table_kind(get(r, "dot")), VMCFG_TOML_TABLE_DOTTED);
	assert_int_equal(vmcfg_toml_table_kind(get(r, "inl")), VMCFG_TOML_TABLE_INLINE);
	assert_int_equal(vmcfg_toml_table_kind(get(r, "imp")), VMCFG_TOML_TABLE_HEADER); /* defined last */
	assert_int_equal(vmcfg_toml_table_kind(get(get(r, "imp"), "sub")), VMCFG_TOML_TABLE_HEADER);
	assert_int_equal(vmcfg_toml_table_kind(get(r, "top")), 0);

	/* Entries in document order, not sorted. */
	const struct vmcfg_toml_value *hdr = get(r, "hdr");
	vmcfg_toml_table_at(doc, hdr, 0, &key);
	assert_string_equal(key.name, "z");
	vmcfg_toml_table_at(doc, hdr, 2, &key);
	assert_string_equal(key.name, "x");

	const struct vmcfg_toml_value *aot = get(r, "aot");
	assert_int_equal(vmcfg_toml_type(aot), VMCFG_TOML_ARRAY);
	assert_true(vmcfg_toml_array_is_aot(aot));
	assert_int_equal(vmcfg_toml_count(aot), 2);
	const struct vmcfg_toml_value *item = vmcfg_toml_array_at(aot, 0);
	assert_int_equal(vmcfg_toml_table_kind(item), VMCFG_TOML_TABLE_AOT_ITEM);
	assert_int_equal(get_int(item, "n"), 1);
	assert_int_equal(vmcfg_toml_table_kind(get(item, "child")), VMCFG_TOML_TABLE_HEADER);
	assert_int_equal(get_int(vmcfg_toml_array_at(aot, 1), "n"), 2);
	assert_null(vmcfg_toml_array_at(aot, 2));
	assert_null(vmcfg_toml_table_get(vmcfg_toml_array_at(aot, 1), "child", 5));
	assert_false(vmcfg_toml_array_is_aot(get(get(r, "inl"), "x")));
	vmcfg_toml_free(doc);
}

static void test_large(void **state)
{
	(void)state;
	/* 100k keys in one table, an array of 100k elements, 10k [[aot]] entries. */
	size_t cap = 8 << 20, len = 0;
	char *text = malloc(cap);
	for (int i = 0; i < 100000; i++)
		len += (size_t)sprintf(text + len, "key%d = %d\n", i, i);
	len += (size_t)sprintf(text + len, "arr = [");
	for (int i = 0; i < 100000; i++)
		len += (size_t)sprintf(text + len, "%d,", i);
	len += (size_t)sprintf(text + len, "]\n");
	for (int i = 0; i < 10000; i++)
		len += (size_t)sprintf(text + len, "[[vm]]\nid = %d\n", i);
	struct vmcfg_toml_doc *doc = parse_opts(text, len, NULL);
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	char k[32];

	assert_int_equal(vmcfg_toml_count(r), 100002);
	for (int i = 0; i < 100000; i += 997) {
		int n = sprintf(k, "key%d", i);
		int64_t v;
		assert_int_equal(vmcfg_toml_get_int(vmcfg_toml_table_get(r, k, (size_t)n), &v), 0);
		assert_int_equal(v, i);
		struct vmcfg_toml_key key;
		vmcfg_toml_table_at(doc, r, (size_t)i, &key);
		assert_string_equal(key.name, k);
		assert_int_equal(key.span.line, i + 1);
	}
	assert_null(vmcfg_toml_table_get(r, "key100000", 9));
	const struct vmcfg_toml_value *arr = get(r, "arr");
	assert_int_equal(vmcfg_toml_count(arr), 100000);
	int64_t v;
	vmcfg_toml_get_int(vmcfg_toml_array_at(arr, 99999), &v);
	assert_int_equal(v, 99999);
	const struct vmcfg_toml_value *vm = get(r, "vm");
	assert_int_equal(vmcfg_toml_count(vm), 10000);
	assert_int_equal(get_int(vmcfg_toml_array_at(vm, 9999), "id"), 9999);
	assert_true(vmcfg_toml_doc_bytes(doc) > len / 2);
	vmcfg_toml_free(doc);
	free(text);
}

/*
 * Memory the document keeps: each table's entries are copied once, exactly,
 * when the next header closes it; a bare key is copied once per document.
 */
static void test_memory(void **state)
{
	(void)state;
	size_t cap = 4 << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int i = 0; i < 3000; i++)
		len += (size_t)sprintf(text + len,
				       "# VM %d\n[vm%d.base]\n# Guest VM id.\nid = %d\n"
				       "# Guest VM name.\nname = \"vm%d\"\n# Virtualization type.\n"
				       "vm_type = 1\n# The number of virtual CPUs.\ncpu_num = 2\nphys_cpu_ids = [0, 1]\n"
				       "[vm%d.kernel]\n# The entry point of the kernel image.\n"
				       "entry_point = 0x4008_0000\n# The load address of the kernel image.\n"
				       "kernel_load_addr = 0x4008_0000\n# The load address of the DTB.\n"
				       "dtb_load_addr = 0x4000_0000\n# The location of the image.\n"
				       "image_location = \"memory\"\nkernel_path = \"vm.bin\"\n",
				       i, i, i, i, i);
	/* Tables extended after the next header closed them. */
	len += (size_t)sprintf(text + len, "[vm0.base.extra]\nx = 1\n[vm1]\ny = 2\n");
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_toml_doc *doc = NULL;
	assert_int_equal(vmcfg_toml_parse(text, len, &a, NULL, &doc, NULL), 0);
	/*
	 * 1.64x here (tables of 6 short keys; 16-byte values, 32-byte
	 * entries); 2.45x with 24-byte values and 48-byte entries, 4.09x
	 * with doubling arrays.
	 */
	assert_true(st.peak <= 2 * len);

	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	assert_int_equal(vmcfg_toml_count(r), 3000);
	struct vmcfg_toml_key k0, k1;
	const struct vmcfg_toml_value *v0 = get(get(r, "vm0"), "kernel");
	const struct vmcfg_toml_value *v1 = get(get(r, "vm2999"), "kernel");
	vmcfg_toml_table_at(doc, v0, 1, &k0);
	vmcfg_toml_table_at(doc, v1, 1, &k1);
	assert_string_equal(k0.name, "kernel_load_addr");
	assert_ptr_equal(k0.name, k1.name); /* one copy of the key */
	assert_int_equal(k1.span.line, 2999 * 21 + 16);
	assert_int_equal(get_int(get(get(r, "vm0"), "base"), "cpu_num"), 2);
	assert_int_equal(get_int(get(get(get(r, "vm0"), "base"), "extra"), "x"), 1);
	assert_int_equal(vmcfg_toml_count(get(get(r, "vm0"), "base")), 6);
	assert_int_equal(get_int(get(r, "vm1"), "y"), 2);
	assert_int_equal(vmcfg_toml_count(get(r, "vm1")), 3);
	vmcfg_toml_free(doc);
	assert_int_equal(st.in_use, 0);
	free(text);
}

/*
 * Spans of 64 KiB or more (their length is kept aside, see LEN_LONG), next
 * to short ones at nearby offsets; a datetime and a string with a NUL.
 */
static void test_long_spans(void **state)
{
	(void)state;
	size_t n = 70000, len = 0;
	char *text = malloc(3 * n + 256);
	assert_non_null(text);
	len += (size_t)sprintf(text + len, "s = \"");
	memset(text + len, 'x', n);
	len += n;
	len += (size_t)sprintf(text + len, "\"\nshort = \"a\\u0000b\"\na = [");
	for (size_t i = 0; i < n / 2; i++)
		len += (size_t)sprintf(text + len, "1,");
	len += (size_t)sprintf(text + len, "]\nt = { k = 1979-05-27T07:32:00.5-07:30 }\n");
	struct vmcfg_toml_doc *doc = parse_opts(text, len, NULL);
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);

	const struct vmcfg_toml_value *s = get(r, "s");
	struct vmcfg_span sp = vmcfg_toml_value_span(doc, s);
	assert_int_equal(sp.offset, 4);
	assert_int_equal(sp.length, n + 2);
	const char *str;
	size_t slen;
	assert_int_equal(vmcfg_toml_get_string(s, &str, &slen), 0);
	assert_int_equal(slen, n);
	assert_int_equal(str[n - 1], 'x');
	assert_int_equal(str[n], '\0');
	assert_int_equal(vmcfg_toml_get_string(get(r, "short"), &str, &slen), 0);
	assert_int_equal(slen, 3);
	assert_memory_equal(str, "a\0b", 4);
	sp = vmcfg_toml_value_span(doc, get(r, "short"));
	assert_int_equal(sp.length, 10);

	const struct vmcfg_toml_value *a = get(r, "a");
	assert_int_equal(vmcfg_toml_count(a), n / 2);
	sp = vmcfg_toml_value_span(doc, a);
	assert_int_equal(sp.length, n + 2);
	assert_int_equal(sp.line, 3);
	sp = vmcfg_toml_value_span(doc, vmcfg_toml_array_at(a, 0));
	assert_int_equal(sp.offset, vmcfg_toml_value_span(doc, a).offset + 1);
	assert_int_equal(sp.length, 1);

	struct vmcfg_toml_datetime dt;
	assert_int_equal(vmcfg_toml_get_datetime(get(get(r, "t"), "k"), &dt), 0);
	assert_int_equal(dt.year, 1979);
	assert_int_equal(dt.second, 0);
	assert_int_equal(dt.nanosecond, 500000000);
	assert_int_equal(dt.frac_digits, 1);
	assert_int_equal(dt.offset_minutes, -450);
	assert_false(dt.offset_z);
	vmcfg_toml_free(doc);
	free(text);
}

/*
 * A real-sized VM file (1.8 KB, AxVisor's shape and comments): the fixed
 * costs (the first arena chunk, scratch buffers, key records, the line
 * index) must not dwarf it. 3.6x with 24-byte values, 48-byte entries,
 * 256-byte first buffers and a first chunk twice the input; 2.56x now.
 */
static void test_small_memory(void **state)
{
	(void)state;
	static const char text[] =
		"# Vm base info configs\n#\n[base]\n# Guest vm id.\nid = 1\n# Guest vm name.\n"
		"name = \"nimbos-rk3588-vm1\"\n# Virtualization type.\nvm_type = 1\n"
		"# The number of virtual CPUs.\ncpu_num = 1\n# Guest vm physical cpu ids.\n"
		"phys_cpu_ids = [0x100]\n\n#\n# Vm kernel configs\n#\n[kernel]\n"
		"# The entry point of the kernel image.\nentry_point = 0x20_4008_0000\n"
		"# The location of image: \"memory\" | \"fs\".\nimage_location = \"memory\"\n"
		"# The file path of the kernel image.\n"
		"kernel_path = \"/tmp/axvisor/rk3588_nimbos/nimbos-rk3588-smp1.bin\"\n"
		"# The load address of the kernel image.\nkernel_load_addr = 0x2040080000\n"
		"# The file path of the device tree blob (DTB).\n"
		"dtb_path = \"/tmp/axvisor/rk3588_nimbos/rk3588.dtb\"\n"
		"# The load address of the device tree blob (DTB).\ndtb_load_addr = 0x20_4000_0000\n\n"
		"# Memory regions with format (`base_paddr`, `size`, `flags`, `map_type`).\n"
		"memory_regions = [\n  [0x20_4000_0000, 0x8000_0000, 0x7, 1], # System RAM\n]\n\n"
		"#\n# Device specifications\n#\n[devices]\n# Emu_devices.\n"
		"emu_devices = [\n  [\"gppt-gicd\", 0x0800_0000, 0x1_0000, 0, 0x21, []],\n"
		"  [\"gppt-gicr\", 0x080a_0000, 0x2_0000, 0, 0x20, [1, 0x2_0000, 0]],\n"
		"  [\"gppt-gits\", 0x0808_0000, 0x2_0000, 0, 0x22, [0x0808_0000]],\n]\n\n"
		"interrupt_mode = \"passthrough\"\n# Pass-through devices.\n"
		"passthrough_devices = [\n    [\"timer3\", 0x4b21000, 0x4b2_1000, 0x100000, 0x96],\n"
		"    [\"uart8\", 0x21f_5000, 0x21f_5000, 0x1_0000, 0x10d],\n"
		"    [\"usb1\", 0x8f5_d000, 0x8f5_d000, 0x10_0000, 0xc9],\n"
		"    [\"i2c5\", 0x46d_2000, 0x46d2000, 0x1_0000, 0x7a],\n"
		"    [\"can3\", 0xdc8_c000, 0xdc8_c000, 0x1_0000, 0x1e9],\n"
		"    [\"gpio5\", 0xdae_e000, 0xdae_e000, 0x200_0000, 0x133],\n"
		"    #[\"/timer\"],\n]\n\n# Passthrough addresses.\npassthrough_addresses = [\n"
		"    #[0x28041000, 0x100_0000]\n]\n\n"
		"# Devices that are not desired to be passed through to the guest\n"
		"excluded_devices = [\n    [\"/pcie@10000000\"],\n]\n";
	size_t len = sizeof text - 1;
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_toml_doc *doc = NULL;
	assert_int_equal(vmcfg_toml_parse(text, len, &a, NULL, &doc, NULL), 0);
	assert_true(len > 1500);
	assert_true(st.peak <= 3 * len);
	const struct vmcfg_toml_value *pt = get(get(vmcfg_toml_root(doc), "devices"), "passthrough_devices");
	assert_int_equal(vmcfg_toml_count(pt), 6);
	vmcfg_toml_free(doc);
	assert_int_equal(st.in_use, 0);
}

/* Documents in the caller's arena: reset between documents, its chunks serve the next one. */
static void test_shared_arena(void **state)
{
	(void)state;
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_arena arena;
	vmcfg_arena_init(&arena, &a, 4096);
	struct vmcfg_toml_options o = { .arena = &arena };
	char text[8192];
	size_t len = 0;
	for (int i = 0; i < 200; i++)
		len += (size_t)sprintf(text + len, "k%d = \"value %d\"\n", i, i);

	size_t held = 0;
	for (int round = 0; round < 3; round++) {
		struct vmcfg_toml_doc *doc = NULL;
		assert_int_equal(vmcfg_toml_parse(text, len, &a, &o, &doc, NULL), 0);
		const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
		const char *sv;
		size_t n;
		assert_int_equal(vmcfg_toml_get_string(vmcfg_toml_table_get(r, "k199", 4), &sv, &n), 0);
		assert_string_equal(sv, "value 199");
		vmcfg_toml_free(doc);
		if (round == 0)
			held = arena.bytes;
		assert_true(held > 0);
		assert_int_equal(arena.bytes, held); /* no chunk obtained after the first document */
		vmcfg_arena_reset(&arena);
	}
	/* A failed parse leaves its allocations to the arena's owner. */
	struct vmcfg_toml_doc *bad = NULL;
	assert_int_equal(vmcfg_toml_parse("a = 1\na = 2\n", 12, &a, &o, &bad, NULL), VMCFG_ESYNTAX);
	assert_null(bad);
	vmcfg_arena_release(&arena);
	assert_int_equal(arena.bytes, 0);
	assert_int_equal(st.in_use, 0);
}

/* The line index: about a byte per line, exact positions after long lines and across blocks. */
static void test_line_index(void **state)
{
	(void)state;
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int i = 0; i < 100000; i++) /* blank and comment lines: the index is all there is */
		text[len++] = i % 2 ? '\n' : '#', text[len++] = '\n';
	struct vmcfg_toml_doc *doc = parse_opts(text, len, NULL);
	assert_true(vmcfg_toml_doc_bytes(doc) < 3 * 150000); /* 150,000 lines; 4 bytes each before */
	vmcfg_toml_free(doc);

	/* Keys after lines of 1, 254, 255, 300 and 70,000 bytes, some blocks apart. */
	static const size_t widths[] = { 1, 254, 255, 300, 70000, 3, 255 };
	len = 0;
	unsigned line = 1;
	for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
		for (int k = 0; k < 70; k++, line++)
			len += (size_t)sprintf(text + len, "#\n");
		text[len++] = '#';
		memset(text + len, 'x', widths[w] - 1);
		len += widths[w] - 1;
		text[len++] = '\n';
		line++;
		len += (size_t)sprintf(text + len, "k%zu =  %zu\n", w, w);
		line++;
	}
	doc = parse_opts(text, len, NULL);
	const struct vmcfg_toml_value *r = vmcfg_toml_root(doc);
	for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
		struct vmcfg_toml_key key;
		const struct vmcfg_toml_value *v = vmcfg_toml_table_at(doc, r, w, &key);
		assert_int_equal(key.span.line, (w + 1) * 72);
		assert_int_equal(key.span.col, 1);
		struct vmcfg_span sp = vmcfg_toml_value_span(doc, v);
		assert_int_equal(sp.line, (w + 1) * 72);
		assert_int_equal(sp.col, 7);
	}
	assert_int_equal(line, 7 * 72 + 1);
	vmcfg_toml_free(doc);
	/* An error after them: "k7 = ?" on the next line, at col 6. */
	len += (size_t)sprintf(text + len, "k7 = ?\n");
	struct vmcfg_toml_error e = parse_fail_opts(text, len, NULL, VMCFG_ESYNTAX);
	assert_int_equal(e.span.line, 7 * 72 + 1);
	assert_int_equal(e.span.col, 6);
	free(text);
}

static void test_datetimes(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "1979-05-27T07:32:00Z", "1979-05-27T07:32:00Z" },
		{ "1979-05-27 07:32:00z", "1979-05-27T07:32:00Z" },
		{ "1979-05-27t00:32:00.999999-07:00", "1979-05-27T00:32:00.999999-07:00" },
		{ "1979-05-27T07:32:00.1234567891+05:30", "1979-05-27T07:32:00.123456789+05:30" },
		{ "1979-05-27T07:32:00", "1979-05-27T07:32:00" },
		{ "2000-02-29", "2000-02-29" },
		{ "00:32:00.5", "00:32:00.5" },
		{ "23:59:60", "23:59:60" },
	};
	static const enum vmcfg_toml_type types[] = {
		VMCFG_TOML_DATETIME, VMCFG_TOML_DATETIME, VMCFG_TOML_DATETIME, VMCFG_TOML_DATETIME,
		VMCFG_TOML_DATETIME_LOCAL, VMCFG_TOML_DATE_LOCAL, VMCFG_TOML_TIME_LOCAL, VMCFG_TOML_TIME_LOCAL,
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[80], out[40];
		struct vmcfg_toml_datetime dt;
		int n = sprintf(text, "d = %s\n", cases[i][0]);
		struct vmcfg_toml_doc *doc = parse_opts(text, (size_t)n, NULL);
		const struct vmcfg_toml_value *d = get(vmcfg_toml_root(doc), "d");
		assert_int_equal(vmcfg_toml_type(d), types[i]);
		assert_int_equal(vmcfg_toml_get_datetime(d, &dt), 0);
		assert_int_equal(vmcfg_toml_format_datetime(&dt, out, sizeof out), strlen(cases[i][1]));
		assert_string_equal(out, cases[i][1]);
		vmcfg_toml_free(doc);
	}
	struct vmcfg_toml_datetime dt = { .has_date = true, .year = 1, .month = 2, .day = 3,
				    .has_time = true, .hour = 4, .minute = 5, .second = 6,
				    .has_offset = true, .offset_minutes = -90 };
	char small[8];
	assert_int_equal(vmcfg_toml_format_datetime(&dt, small, sizeof small), 25);
	assert_string_equal(small, "0001-02");
	parse_fail("d = 1900-02-29\n");
	parse_fail("d = 1979-05-27T24:00:00\n");
	parse_fail("d = 1979-05-27T\n");
	parse_fail("d = 07:32\n");
}

static void test_invalid_args(void **state)
{
	(void)state;
	struct vmcfg_toml_doc *doc;
	struct vmcfg_toml_error err;
	assert_int_equal(vmcfg_toml_parse(NULL, 1, &vmcfg_host_allocator, NULL, &doc, &err),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_toml_parse("", 0, NULL, NULL, &doc, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_toml_parse("", 0, &vmcfg_host_allocator, NULL, NULL, NULL), VMCFG_EINVAL);
	/* An empty document is an empty root table. */
	assert_int_equal(vmcfg_toml_parse(NULL, 0, &vmcfg_host_allocator, NULL, &doc, NULL), 0);
	assert_int_equal(vmcfg_toml_count(vmcfg_toml_root(doc)), 0);
	vmcfg_toml_free(doc);
	vmcfg_toml_free(NULL);
	assert_null(vmcfg_toml_table_get(NULL, "a", 1));
	assert_int_equal(vmcfg_toml_count(NULL), 0);
}

/* A VM configuration of the shape vmcfg reads, long enough to grow every buffer. */
static char *realistic_config(size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *t = malloc(cap);
	n += (size_t)sprintf(t + n, "\xEF\xBB\xBF# VM configuration\n[base]\nid = 1\n"
			     "name = \"linux \\\"guest\\\"\"\nvm_type = 1\ncpu_num = 4\n"
			     "phys_cpu_ids = [0x00, 0x100, 0x200, 0x300]\n"
			     "[kernel]\nentry_point = 0x8020_0000\nimage_location = 'memory'\n"
			     "cmdline = \"\"\"\nconsole=ttyS0 \\\n  earlycon\"\"\"\n"
			     "memory_regions = [\n");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(t + n, "  [0x%x_0000, 0x1000_0000, 0x7, %d], # region %d é\n",
				     0x4000 + i, i % 3, i);
	n += (size_t)sprintf(t + n, "]\n[devices]\ninterrupt_mode = \"passthrough\"\n");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(t + n, "dev%d = { base = 0x%x, irq.spi = %d, on = true }\n", i,
				     0x9000000 + i * 0x1000, 32 + i);
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(t + n, "[[devices.passthrough]]\nname = \"dev%d\"\n"
				     "when = 2024-01-%02dT10:00:00Z\nratio = 1.5e3\n",
				     i, 1 + i % 28);
	*len = n;
	return t;
}

static void test_allocation_failures(void **state)
{
	(void)state;
	size_t len;
	char *text = realistic_config(&len);
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_toml_doc *doc;
	struct vmcfg_toml_error err;

	/* How many allocations a full parse makes. */
	assert_int_equal(vmcfg_toml_parse(text, len, &a, NULL, &doc, &err), 0);
	uint64_t calls = st.calls;
	assert_true(calls > 10);
	assert_int_equal(vmcfg_toml_doc_bytes(doc), st.in_use);
	vmcfg_toml_free(doc);
	assert_int_equal(st.in_use, 0);

	for (uint64_t k = 1; k <= calls; k++) {
		st = (struct vmcfg_counting_alloc){ .fail_at = k };
		doc = (struct vmcfg_toml_doc *)1;
		int rc = vmcfg_toml_parse(text, len, &a, NULL, &doc, &err);
		if (rc != VMCFG_ENOMEM || err.code != VMCFG_ENOMEM || doc || st.in_use != 0)
			fail_msg("allocation %llu: rc %d, in use %zu", (unsigned long long)k, rc,
				 st.in_use);
		assert_string_equal(err.msg, "out of memory");
	}
	st = (struct vmcfg_counting_alloc){ .fail_at = calls + 1 };
	assert_int_equal(vmcfg_toml_parse(text, len, &a, NULL, &doc, &err), 0);
	const struct vmcfg_toml_value *regions = get(get(vmcfg_toml_root(doc), "kernel"), "memory_regions");
	assert_int_equal(vmcfg_toml_count(regions), 300);
	vmcfg_toml_free(doc);
	assert_int_equal(st.in_use, 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_allow_u64),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_long_spans),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_small_memory),
		cmocka_unit_test(test_shared_arena),
		cmocka_unit_test(test_line_index),
		cmocka_unit_test(test_datetimes),
		cmocka_unit_test(test_invalid_args),
		cmocka_unit_test(test_allocation_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

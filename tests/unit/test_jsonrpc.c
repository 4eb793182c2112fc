/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/host's JSON reader and JSON-RPC framing (the language server's input). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/json_read.h"
#include "vmcfg/jsonrpc.h"

static int parse(const char *text, struct vmcfg_json **v)
{
	return vmcfg_json_parse(text, strlen(text), v, NULL);
}

static void test_values(void **state)
{
	(void)state;
	struct vmcfg_json *v;
	assert_int_equal(parse(" {\"a\": [1, -2, 3.5e1, true, false, null], \"b\": \"x\\u00e9\\ud83d\\ude00\\n\", "
			       "\"a\": 7} ", &v), 0);
	assert_int_equal(v->type, VMCFG_JSON_OBJECT);
	assert_int_equal(v->len, 3);
	int64_t i;
	assert_true(vmcfg_json_int(vmcfg_json_get(v, "a"), &i)); /* the last of a repeated key */
	assert_int_equal(i, 7);
	const struct vmcfg_json *arr = &v->items[0];
	assert_int_equal(arr->type, VMCFG_JSON_ARRAY);
	assert_int_equal(arr->len, 6);
	assert_true(vmcfg_json_int(&arr->items[1], &i));
	assert_int_equal(i, -2);
	assert_false(arr->items[2].integer);
	assert_true(arr->items[2].number == 35.0);
	assert_true(arr->items[3].type == VMCFG_JSON_BOOL && arr->items[3].b);
	assert_int_equal(arr->items[5].type, VMCFG_JSON_NULL);
	assert_string_equal(vmcfg_json_str(vmcfg_json_get(v, "b")), "x\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_null(vmcfg_json_get(v, "c"));
	assert_null(vmcfg_json_str(vmcfg_json_get(v, "a")));
	vmcfg_json_free(v);

	assert_int_equal(parse("\"a\\u0000b\"", &v), 0);
	assert_int_equal(v->len, 3);
	assert_memory_equal(v->s, "a\0b", 3);
	vmcfg_json_free(v);
	assert_int_equal(parse("9223372036854775808", &v), 0); /* beyond int64: a number, no integer */
	assert_false(v->integer);
	vmcfg_json_free(v);
}

static void test_strict(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", " ", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "tru", "nul",
		"{a:1}", "{\"a\" 1}", "[1 2]", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"",
		"\"\\ud800\"", "\"\\udc00x\"", "\"\xc3\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "[1] x",
		"// c\n1", "'a'", "+1", "NaN", "[1]]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct vmcfg_json *v = (struct vmcfg_json *)1;
		size_t at = 999;
		int rc = vmcfg_json_parse(bad[i], strlen(bad[i]), &v, &at);
		if (rc != VMCFG_ESYNTAX)
			fail_msg("accepted or wrong error for %s: %d", bad[i], rc);
		assert_null(v);
		assert_true(at <= strlen(bad[i]));
	}
	/* Deep nesting is refused, not a stack overflow. */
	char deep[4001];
	memset(deep, '[', 4000);
	deep[4000] = '\0';
	struct vmcfg_json *v;
	assert_int_equal(vmcfg_json_parse(deep, 4000, &v, NULL), VMCFG_ELIMIT);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	assert_int_equal(vmcfg_json_parse(deep, 130, &v, NULL), VMCFG_ELIMIT); /* 65 levels */
	assert_int_equal(vmcfg_json_parse(deep + 1, 128, &v, NULL), 0);        /* 64 levels */
	vmcfg_json_free(v);
	assert_int_equal(vmcfg_json_parse(NULL, 1, &v, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_json_parse("1", 1, NULL, NULL), VMCFG_EINVAL);
}

static FILE *stream(const char *data, size_t len)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	rewind(f);
	return f;
}

static void test_framing(void **state)
{
	(void)state;
	static const char input[] = "Content-Length: 2\r\n\r\n{}"
				    "content-type: application/vscode-jsonrpc\r\nCONTENT-LENGTH:  3 \r\n\r\n[1]"
				    "\n\nContent-Length: x\r\n\r\n"
				    "garbage\r\n\r\n"
				    "Content-Length: 99999999999\r\n\r\n";
	FILE *f = stream(input, sizeof input - 1);
	char *body;
	size_t len;
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), 0);
	assert_int_equal(len, 2);
	assert_string_equal(body, "{}");
	free(body);
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), 0);
	assert_string_equal(body, "[1]");
	free(body);
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_ESYNTAX); /* bad length */
	assert_null(body);
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_ESYNTAX); /* no header */
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_EIO);     /* too big and cut */
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_ENOENT);
	fclose(f);

	f = stream("Content-Length: 10\r\n\r\n{}", 24); /* input ends inside the body */
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_EIO);
	assert_null(body);
	fclose(f);
	f = stream("Content-Length: 1\r\n", 19); /* inside the headers */
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), VMCFG_EIO);
	fclose(f);

	f = tmpfile();
	assert_int_equal(vmcfg_jsonrpc_write(f, "{\"a\":1}", 7), 0);
	rewind(f);
	assert_int_equal(vmcfg_jsonrpc_read(f, &body, &len), 0);
	assert_string_equal(body, "{\"a\":1}");
	free(body);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_framing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

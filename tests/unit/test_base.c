/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/base: error names, arena, formatter, number formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vmcfg/base.h"
#include "vmcfg/host.h"

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(vmcfg_strerror(0), "success");
	assert_string_equal(vmcfg_strerror(VMCFG_ENOMEM), "out of memory");
	assert_string_equal(vmcfg_strerror(VMCFG_EINVALID), "configuration has errors");
	assert_string_equal(vmcfg_strerror(-VMCFG_ERROR_MAX - 1), "unknown error");
	assert_string_equal(vmcfg_strerror(5), "unknown error");
	for (int e = 0; e >= -VMCFG_ERROR_MAX; e--)
		assert_non_null(vmcfg_strerror(e));
}

static void test_snprintf(void **state)
{
	char b[64];
	(void)state;
	assert_int_equal(vmcfg_snprintf(b, sizeof b, "%d|%5u|%-4s|%x", -42, 7u, "ab", 255u), 17);
	assert_string_equal(b, "-42|    7|ab  |ff");
	vmcfg_snprintf(b, sizeof b, "%#llx %08X %.*s %zu %c%%", 0x8000ull, 0xbeefu, 3, "abcdef",
		       (size_t)12, 'z');
	assert_string_equal(b, "0x8000 0000BEEF abc 12 z%");
	vmcfg_snprintf(b, sizeof b, "%lld %lld", (long long)INT64_MIN, (long long)INT64_MAX);
	assert_string_equal(b, "-9223372036854775808 9223372036854775807");
	/* Truncation keeps a NUL and reports the full length. */
	assert_int_equal(vmcfg_snprintf(b, 4, "hello"), 5);
	assert_string_equal(b, "hel");
	assert_int_equal(vmcfg_snprintf(NULL, 0, "%s", "abc"), 3);
}

static void test_fmt_numbers(void **state)
{
	char b[VMCFG_FMT_BUF];
	(void)state;
	assert_string_equal(vmcfg_fmt_hex(b, 0), "0x0");
	assert_string_equal(vmcfg_fmt_hex(b, 0x1000), "0x1000");
	assert_string_equal(vmcfg_fmt_hex(b, 0x80000000), "0x8000_0000");
	assert_string_equal(vmcfg_fmt_hex(b, 0x123456789), "0x1_2345_6789");
	assert_string_equal(vmcfg_fmt_hex(b, UINT64_MAX), "0xffff_ffff_ffff_ffff");
	assert_string_equal(vmcfg_fmt_size(b, 0), "0 B");
	assert_string_equal(vmcfg_fmt_size(b, 1000), "1000 B");
	assert_string_equal(vmcfg_fmt_size(b, 4096), "4 KiB");
	assert_string_equal(vmcfg_fmt_size(b, 0x10000000), "256 MiB");
	assert_string_equal(vmcfg_fmt_size(b, 3ull << 29), "1.5 GiB");
	assert_string_equal(vmcfg_fmt_size(b, 4097), "4097 B");
	assert_string_equal(vmcfg_fmt_size(b, UINT64_MAX), "18446744073709551615 B");
	assert_string_equal(vmcfg_fmt_size(b, 1023), "1023 B");
	assert_string_equal(vmcfg_fmt_size(b, 1ull << 63), "8 EiB");
	assert_string_equal(vmcfg_fmt_size(b, 0xd5500000), "3413 MiB");
	assert_string_equal(vmcfg_fmt_size(b, (1ull << 30) + 4096), "1048580 KiB");
}

/* The lent rest of a chunk is the caller's until given back; then allocation goes on after it. */
static void test_arena_lend(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_arena ar;
	char *next, *end;
	(void)state;

	vmcfg_arena_init(&ar, &a, 256);
	vmcfg_arena_lend(&ar, &next, &end); /* no chunk yet */
	assert_null(next);
	assert_null(end);
	vmcfg_arena_unlend(&ar, NULL);
	char *p = vmcfg_arena_alloc(&ar, 16, 16);
	assert_non_null(p);
	vmcfg_arena_lend(&ar, &next, &end);
	assert_ptr_equal(next, p + 16);
	assert_int_equal(end - p, 256);
	/* While lent, the arena has nothing left in that chunk. */
	vmcfg_arena_unlend(&ar, next + 40);
	char *q = vmcfg_arena_alloc(&ar, 8, 8);
	assert_ptr_equal(q, p + 56);
	/* Lending everything and giving it all back leaves the chunk as it was. */
	vmcfg_arena_lend(&ar, &next, &end);
	assert_ptr_equal(next, p + 64);
	vmcfg_arena_unlend(&ar, next);
	assert_ptr_equal(vmcfg_arena_alloc(&ar, 1, 1), p + 64);
	/* Lent to the end: the next allocation takes a new chunk. */
	vmcfg_arena_lend(&ar, &next, &end);
	vmcfg_arena_unlend(&ar, end);
	char *r = vmcfg_arena_alloc(&ar, 8, 1);
	assert_true(r < p || r >= p + 256);
	assert_int_equal(ar.bytes, st.in_use);
	vmcfg_arena_release(&ar);
	assert_int_equal(st.in_use, 0);
}

static void test_arena(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_arena ar;
	(void)state;

	vmcfg_arena_init(&ar, &a, 256);
	assert_int_equal(st.in_use, 0);
	char *p = vmcfg_arena_alloc(&ar, 10, 1);
	assert_non_null(p);
	uint64_t *q = vmcfg_arena_alloc(&ar, sizeof *q, 8);
	assert_non_null(q);
	assert_int_equal((uintptr_t)q % 8, 0);
	/* An oversized request gets its own chunk; the small chunk stays in use. */
	char *big = vmcfg_arena_zalloc(&ar, 1000, 16);
	assert_non_null(big);
	assert_int_equal(big[999], 0);
	char *r = vmcfg_arena_alloc(&ar, 8, 1);
	assert_true(r > p && r < p + 256);
	char *s = vmcfg_arena_strndup(&ar, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	assert_int_equal(ar.bytes, st.in_use);
	assert_null(vmcfg_arena_alloc(&ar, 8, 3));  /* not a power of two */
	assert_null(vmcfg_arena_alloc(&ar, SIZE_MAX - 8, 8));
	vmcfg_arena_release(&ar);
	assert_int_equal(st.in_use, 0);

	/* A failing allocator yields NULL and leaks nothing. */
	st.fail_at = st.calls + 1;
	vmcfg_arena_init(&ar, &a, 0);
	assert_null(vmcfg_arena_alloc(&ar, 1, 1));
	vmcfg_arena_release(&ar);
	assert_int_equal(st.in_use, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_snprintf),
		cmocka_unit_test(test_fmt_numbers),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_arena_lend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

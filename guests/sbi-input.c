/* SPDX-License-Identifier: MIT */
/*
 * Console input through the SBI (riscv64; tests/qemu-riscv64/run
 * "console-in"): a VM without an emulated UART reads what is typed with the
 * DBCN extension's read (function 1, into a buffer in its RAM) and the
 * legacy getchar (extension 0x02, -1 while nothing waits), polling both:
 * WANT bytes, half through each, or 20 s without them. It prints what it
 * read and a verdict. Only riscv64 has an SBI: elsewhere the guest says so.
 */
#include "guest.h"

#define WANT 8
#define TIMEOUT_S 20

#if defined(__riscv)
#define SBI_DBCN_READ 1
#define SBI_LEGACY_GETCHAR 0x02

static int64_t legacy_getchar(void)
{
	register uint64_t a0 __asm__("a0") = 0;
	register uint64_t a7 __asm__("a7") = SBI_LEGACY_GETCHAR;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "memory");
	return (int64_t)a0;
}

int main(void)
{
	static char got[WANT + 1];
	uint32_t n = 0, by_read = 0, by_getchar = 0, errors = 0;
	uint64_t start = counter();

	put_str("sbi-input: ready\n");
	while (n < WANT && counter() - start < TIMEOUT_S * counter_freq()) {
		if (n < WANT / 2) {
			struct sbiret r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_READ, WANT / 2 - n,
						   (uint64_t)(uintptr_t)(got + n), 0);

			if (r.error)
				errors++;
			else
				n += (uint32_t)r.value, by_read += (uint32_t)r.value;
		} else {
			int64_t c = legacy_getchar();

			if (c >= 0)
				got[n++] = (char)c, by_getchar++;
		}
	}
	got[n] = '\0';
	put_str("sbi-input: read \"");
	put_str(got);
	put_str("\": ");
	put_dec(by_read);
	put_str(" by DBCN read, ");
	put_dec(by_getchar);
	put_str(" by getchar, ");
	put_dec(errors);
	put_str(" error(s)\n");
	put_str(n == WANT && !errors ? "sbi-input: ok\n" : "sbi-input: FAILED\n");
	return 0;
}
#else
int main(void)
{
	put_str("sbi-input: riscv64 only\n");
	return 0;
}
#endif

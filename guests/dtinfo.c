/* SPDX-License-Identifier: MIT */
/*
 * The guest DT the hypervisor builds at boot (tests/qemu/run "guest-dt";
 * examples/qemu/dtinfo.toml: dtb_load_addr without dtb_path). Prints
 * where x0 at entry points, whether a DTB header is there, and its size
 * and CRC-32, which the test compares with vmcfg dtb's for the same file.
 */
#include "guest.h"

#define DTB_GPA 0x44000000ul /* dtinfo.toml's dtb_load_addr */
#define FDT_MAGIC 0xd00dfeedu

static uint32_t be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 as zlib's (reflected, 0xedb88320). */
static uint32_t crc32(const volatile uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

int main(void)
{
	/* x0 as _start left it (common/start.S does not touch it before main). */
	register uint64_t x0 __asm__("x0");
	__asm__ volatile("" : "=r"(x0));
	uint64_t dtb = x0;
	const volatile uint8_t *p = (const volatile uint8_t *)DTB_GPA;
	uint32_t size;

	put_str("dtinfo: x0 ");
	put_hex(dtb);
	put_str("\n");
	if (be32(p) != FDT_MAGIC) {
		put_str("dtinfo: no DTB at 0x44000000: FAILED\n");
		return 0;
	}
	size = be32(p + 4);
	put_str("dtinfo: DTB of ");
	put_dec(size);
	put_str(" bytes, CRC-32 ");
	put_hex(crc32(p, size));
	put_str("\n");
	put_str(dtb == DTB_GPA ? "dtinfo: ok\n" : "dtinfo: x0 is not the DTB: FAILED\n");
	return 0;
}

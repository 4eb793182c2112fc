/* SPDX-License-Identifier: MIT */
/*
 * A VM that floods its console (tests/qemu/run "flood"): both of its vCPUs
 * print as fast as they can — full lines, one line of 4 KiB, escape and
 * control characters — beside count-a, which shares cpu0 with vCPU 0. The
 * hypervisor prints a VM's console line by line (160 bytes a line at most),
 * so the flood costs the flooding VM its own time and nobody else's:
 * count-a's 40 lines must all arrive, in order and whole.
 */
#include "guest.h"

#define VCPUS 2
#define LINES 1500 /* per vCPU, 100 bytes each */

uint32_t team_member(uint64_t id)
{
	for (int i = 0; i < LINES; i++) {
		put_str(id ? "flood 1 " : "flood 0 ");
		for (int k = 0; k < 91; k++)
			put_char((char)('a' + (i + k) % 26));
		put_char('\n');
	}
	for (int i = 0; i < 4096; i++)
		put_char(i % 64 == 0 ? '\033' : i % 64 == 1 ? '\r' : 'x');
	put_char('\n');
	return 0;
}

int main(void)
{
	team_run(VCPUS, 60);
	put_str("flood: ");
	put_dec(VCPUS * LINES);
	put_str(" lines and two of 4 KiB printed");
	team_report("flood", VCPUS);
	return 0;
}

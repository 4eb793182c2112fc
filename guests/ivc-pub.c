/* SPDX-License-Identifier: MIT */
/*
 * Publishes IVC channel 1 (two pages), writes a 6000-byte message with its
 * checksum into it, and waits (giving its CPU up) until the subscriber
 * answers with the same checksum — a message larger than one page, both
 * ways. Gives up after 5 s of the system counter.
 */
#include "guest.h"

static uint64_t base, size;

int main(void)
{
	volatile struct ivc_msg *m;
	uint64_t start;
	int64_t r;

	size = IVC_DEMO_SIZE;
	r = ivc_call(IVC_PUBLISH, IVC_DEMO_KEY, (uintptr_t)&base, (uintptr_t)&size, 0);
	if (r) {
		put_str("ivc-pub: publish refused: ");
		put_dec(r);
		put_str("\n");
		return 0;
	}
	put_str("ivc-pub: channel 1 published, ");
	put_dec((int64_t)size);
	put_str(" bytes at ");
	put_hex(base);
	put_str("\n");

	m = (volatile struct ivc_msg *)(uintptr_t)(base + IVC_MSG_OFFSET);
	for (uint32_t i = 0; i < IVC_MSG_LEN; i++)
		m->data[i] = (uint8_t)(i * 31 + 7);
	m->len = IVC_MSG_LEN;
	m->sum = checksum(m->data, IVC_MSG_LEN);
	/* The message before the flag, as the subscriber reads them in the other order. */
	guest_barrier();
	m->ready = 1;
	put_str("ivc-pub: wrote ");
	put_dec(IVC_MSG_LEN);
	put_str(" bytes, checksum ");
	put_hex(m->sum);
	put_str("\n");

	start = counter();
	while (m->answer != m->sum && counter() - start < 5 * counter_freq())
		cpu_yield();
	put_str(m->answer == m->sum ? "ivc-pub: answer received, checksum matches\n"
				    : "ivc-pub: no answer\n");
	return 0;
}

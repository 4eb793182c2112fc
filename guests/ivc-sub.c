/* SPDX-License-Identifier: MIT */
/*
 * Subscribes to channel 1 of VM 2 (retrying while it is not published
 * yet; the hypervisor runs others meanwhile), reads the message, checks its
 * checksum and writes the checksum back as the answer. When the system
 * does not grant the subscription it says so and powers off.
 */
#include "guest.h"

static uint64_t base, size;

int main(void)
{
	volatile struct ivc_msg *m;
	uint64_t start = counter();
	uint32_t sum;
	int64_t r;

	do
		r = ivc_call(IVC_SUBSCRIBE, IVC_DEMO_PUBLISHER, IVC_DEMO_KEY, (uintptr_t)&base,
			     (uintptr_t)&size);
	while (r == IVC_ENOENT && counter() - start < 5 * counter_freq());
	if (r) {
		put_str("ivc-sub: subscribe to channel 1 of VM 2 refused: ");
		put_dec(r);
		put_str(r == IVC_EPERM ? " (not granted)\n" : "\n");
		return 0;
	}
	put_str("ivc-sub: subscribed, ");
	put_dec((int64_t)size);
	put_str(" bytes at ");
	put_hex(base);
	put_str("\n");

	m = (volatile struct ivc_msg *)(uintptr_t)(base + IVC_MSG_OFFSET);
	while (!m->ready)
		cpu_yield();
	guest_barrier();
	sum = checksum(m->data, m->len);
	put_str("ivc-sub: received ");
	put_dec(m->len);
	put_str(" bytes, checksum ");
	put_hex(sum);
	put_str(sum == m->sum ? ": ok\n" : ": MISMATCH\n");
	m->answer = sum;
	return 0;
}

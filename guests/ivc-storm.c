/* SPDX-License-Identifier: MIT */
/*
 * Long work at EL2 on a guest's behalf (tests/qemu/run "ivc-storm"): it
 * publishes and unpublishes the largest channel it can, over and over, on
 * a CPU it shares with the well-behaved VM (deadline.c), which records how
 * long it is kept from running. A publish zeroes and maps every page of
 * the channel at EL2 with interrupts masked, where the time slice cannot
 * preempt it: the hypervisor bounds a channel's size (core/ivc.c) so one
 * call is bounded too. A 16 MiB channel (about 22 ms of EL2 work) must be
 * refused; 1 MiB is the largest that is not.
 */
#include "guest.h"

#define KEY 0x5
#define ROUNDS 40
#define ELIMIT (-4)

static volatile uint64_t base, size;
/* Ticks each publish and unpublish call took, as the guest saw them. */
static uint64_t pub_ticks[ROUNDS], unpub_ticks[ROUNDS];

/* Prints "NAME min/median/max N/N/N us" of t[0..n), sorting it. */
static void spread(const char *name, uint64_t *t, int n, uint64_t us)
{
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && t[k - 1] > t[k]; k--) {
			uint64_t x = t[k];

			t[k] = t[k - 1];
			t[k - 1] = x;
		}
	put_str(name);
	put_str(" min/median/max ");
	put_dec(n ? (int64_t)(t[0] / us) : -1);
	put_str("/");
	put_dec(n ? (int64_t)(t[n / 2] / us) : -1);
	put_str("/");
	put_dec(n ? (int64_t)(t[n - 1] / us) : -1);
	put_str(" us");
}


static int64_t publish(uint64_t bytes)
{
	size = bytes;
	return ivc_call(IVC_PUBLISH, KEY, (uintptr_t)&base, (uintptr_t)&size, 0);
}

int main(void)
{
	uint64_t status_base = 0, status_size = STATUS_SIZE, t0, us = counter_freq() / 1000000;
	int64_t big = 0, r = 0;
	int rounds = 0;

	if (ivc_call(IVC_PUBLISH, STATUS_KEY_STORM, (uintptr_t)&status_base, (uintptr_t)&status_size, 0)) {
		put_str("ivc-storm: status channel FAILED\n");
		return 0;
	}
	t0 = counter();
	for (; rounds < ROUNDS; rounds++) {
		/* 16 MiB while the hypervisor takes it; 1 MiB once it is refused. */
		uint64_t t1 = counter();

		r = big == ELIMIT ? publish(1u << 20) : publish(16u << 20);
		if (rounds == 0) {
			big = r;
			if (r == ELIMIT) {
				t1 = counter();
				r = publish(1u << 20);
			}
		}
		pub_ticks[rounds] = counter() - t1;
		if (r)
			break;
		((volatile uint32_t *)(uintptr_t)base)[1000] = 1; /* use it */
		t1 = counter();
		if (ivc_call(IVC_UNPUBLISH, KEY, 0, 0, 0))
			break;
		unpub_ticks[rounds] = counter() - t1;
	}
	put_str("ivc-storm: 16 MiB publish: ");
	put_dec(big);
	put_str("; ");
	put_dec(rounds);
	put_str(" rounds of publish + unpublish of ");
	put_str(big ? "1" : "16");
	put_str(" MiB (");
	put_dec(r);
	put_str(") in ");
	put_dec((int64_t)((counter() - t0) / us / 1000));
	put_str(" ms\nivc-storm: calls: ");
	spread("publish", pub_ticks, rounds, us);
	spread(", unpublish", unpub_ticks, rounds, us);
	put_str("\n");
	*(volatile uint32_t *)(uintptr_t)(status_base + STATUS_DONE) = 1;
	put_str(big == ELIMIT && rounds == ROUNDS ? "ivc-storm: ok\n" : "ivc-storm: FAILED\n");
	return 0;
}

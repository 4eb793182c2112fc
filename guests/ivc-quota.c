/* SPDX-License-Identifier: MIT */
/*
 * The IVC quota from a guest (tests/qemu/run "ivc-quota"): the system file
 * declares 18 channels this VM may publish, but a VM holds at most 16
 * published channels at once (lib/ivc, VMCFG_IVC_DEFAULT_MAX_PUBLISHED):
 * the 17th publish is refused with ELIMIT and nothing is mapped for it;
 * after an unpublish it succeeds. Then churn — unpublish one, publish
 * another, 300 times — must never leak a slot: at the end all 16 come back
 * and a 17th is refused again, and unpublishing everything succeeds.
 */
#include "guest.h"

#define FIRST_KEY 256 /* examples/qemu/system.toml declares 256..273 */
#define KEYS 18
#define QUOTA 16
#define ROUNDS 300
#define ELIMIT (-4)

static volatile uint64_t base, size;
static unsigned held[KEYS]; /* 1: published now */

static int64_t publish(unsigned k)
{
	base = 0;
	size = 0x1000;
	return hvc_call4(IVC_PUBLISH, FIRST_KEY + k, (uintptr_t)&base, (uintptr_t)&size, 0);
}

static int64_t unpublish(unsigned k)
{
	return hvc_call4(IVC_UNPUBLISH, FIRST_KEY + k, 0, 0, 0);
}

int main(void)
{
	int64_t r, over, again;
	unsigned ok = 0, failed = 0;

	for (unsigned k = 0; k < QUOTA; k++) {
		r = publish(k);
		ok += r == 0;
		held[k] = r == 0;
	}
	over = publish(QUOTA);
	failed += over != ELIMIT || base != 0;
	failed += unpublish(0) != 0;
	held[0] = 0;
	again = publish(QUOTA);
	failed += again != 0;
	held[QUOTA] = again == 0;

	/* Churn: free the oldest held key, take a free one; always 16 held. */
	unsigned next = 0;
	for (int i = 0; i < ROUNDS; i++) {
		unsigned drop = 0, take;

		while (!held[drop])
			drop++;
		failed += unpublish(drop) != 0;
		held[drop] = 0;
		do
			take = next++ % KEYS;
		while (held[take] || take == drop);
		r = publish(take);
		failed += r != 0;
		held[take] = r == 0;
	}
	unsigned count = 0, free_key = 0;
	for (unsigned k = 0; k < KEYS; k++) {
		count += held[k];
		if (!held[k])
			free_key = k;
	}
	r = publish(free_key);
	failed += count != QUOTA || r != ELIMIT;
	for (unsigned k = 0; k < KEYS; k++)
		if (held[k])
			failed += unpublish(k) != 0;

	put_str("ivc-quota: ");
	put_dec(ok);
	put_str(" of 16 published, the 17th: ");
	put_dec(over);
	put_str(", after an unpublish: ");
	put_dec(again);
	put_str("; ");
	put_dec(ROUNDS);
	put_str(" rounds of churn, then ");
	put_dec(count);
	put_str(" held and one more: ");
	put_dec(r);
	put_str("; failed checks: ");
	put_dec(failed);
	put_str(failed == 0 && ok == QUOTA ? "\nivc-quota: ok\n" : "\nivc-quota: FAILED\n");
	return 0;
}

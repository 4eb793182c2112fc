/* SPDX-License-Identifier: MIT */
/*
 * The well-behaved VM beside a hostile one (tests/qemu/run "ivc-storm",
 * make fuzz-hv): it reads the system counter in a tight loop and records
 * the largest gap between two reads — the longest time its CPU was taken
 * from it, by the time slice of a co-located vCPU, by work the hypervisor
 * does for that vCPU with interrupts masked, or by the host (QEMU's threads
 * are descheduled too). It runs until the hostile VM sets the done word of
 * its status channel (guest.h), or DEADLINE_MAX_S seconds at most, and
 * fails when a gap exceeded DEADLINE_MS: a VM that must answer within that
 * would have missed its deadline.
 */
#include "guest.h"

#define DEADLINE_MS 2000 /* QEMU on a loaded host (load 22 on 2 cores) was seen stalled 560 ms */
#define DEADLINE_MAX_S 120 /* at most this long: fuzz/hv-run.sh's boots end within 200 s */

int main(void)
{
	uint64_t freq = counter_freq(), us = freq / 1000000, start = counter(), last = start;
	uint64_t max = 0, over_1ms = 0, over_5ms = 0, over_20ms = 0, base = 0, size = 0;
	volatile uint32_t *done = 0;
	uint32_t tries = 0;

	/* A channel fuzz may map read-only, and write to as its lethal action (fuzz.c). */
	size = STATUS_SIZE;
	ivc_call(IVC_PUBLISH, BEACON_KEY, (uintptr_t)&base, (uintptr_t)&size, 0);
	size = STATUS_SIZE;
	for (;;) {
		uint64_t now = counter(), gap = now - last;

		last = now;
		if (gap > max)
			max = gap;
		over_1ms += gap > 1000 * us;
		over_5ms += gap > 5000 * us;
		over_20ms += gap > 20000 * us;
		if (!done && tries < 100000 && (tries++ & 63) == 0) {
			/* Whichever hostile VM runs beside it; not published yet: retry. */
			bool storm = tries & 64;

			if (ivc_call(IVC_SUBSCRIBE, storm ? STORM_VM_ID : FUZZ_VM_ID,
				     storm ? STATUS_KEY_STORM : STATUS_KEY_FUZZ, (uintptr_t)&base,
				     (uintptr_t)&size) == 0)
				done = (volatile uint32_t *)(uintptr_t)(base + STATUS_DONE);
			last = counter(); /* the hypercall is its own, not a gap */
		}
		if ((done && *done) || now - start > DEADLINE_MAX_S * freq)
			break;
	}
	put_str("deadline: ran ");
	put_dec((int64_t)((last - start) / (freq / 1000)));
	put_str(" ms beside ");
	put_str(done ? "the hostile VM" : "nothing it found");
	put_str(": largest gap ");
	put_dec((int64_t)(max / us));
	put_str(" us; gaps over 1 ms ");
	put_dec((int64_t)over_1ms);
	put_str(", over 5 ms ");
	put_dec((int64_t)over_5ms);
	put_str(", over 20 ms ");
	put_dec((int64_t)over_20ms);
	put_str("\n");
	put_str(max <= DEADLINE_MS * 1000 * us ? "deadline: ok\n" : "deadline: MISSED\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The bare-metal peer of the Linux VMs (examples/linux/system.toml): the
 * hypervisor set up the static IVC channel 1 for it at VM creation — at
 * the start of its IVC window, as the first static channel it takes part
 * in — so it makes no hypercall. It writes a message, then waits (giving
 * its CPU up) until each Linux VM's init has answered in its slot, or for
 * at most 120 s of the system counter, and says which answers came.
 *
 * The channel's layout, shared with guests/linux-init/init.c: the
 * registry's header, the ready word at 0x40 (set once the message is
 * complete), the message at 0x80, and from 0x100 one 128-byte answer slot
 * per Linux VM (the ivc_slot= of its command line).
 */
#include <stdbool.h>
#include <stddef.h>

#include "guest.h"

#define CHANNEL 0x70000000ul /* the IVC window of examples/linux/peer.toml (linux-riscv64/ too) */
#define READY_OFFSET 0x40
#define MESSAGE_OFFSET 0x80
#define ANSWER_OFFSET 0x100
#define SLOT_SIZE 128

static const char message[] = "hello from the bare-metal peer";
/* What each slot's VM answers: "<vm> got it" (the vm= of its command line). */
static const char *const answers[] = { "linux-a got it", "linux-b got it" };
#define SLOTS (sizeof answers / sizeof answers[0])

/* The whole string, terminator included: a slot still being written never matches. */
static bool answered(unsigned slot)
{
	const volatile char *a = (const volatile char *)(CHANNEL + ANSWER_OFFSET + slot * SLOT_SIZE);
	const char *want = answers[slot];
	size_t i = 0;

	for (; want[i]; i++)
		if (a[i] != want[i])
			return false;
	return a[i] == 0;
}

int main(void)
{
	volatile char *ch = (volatile char *)CHANNEL;
	unsigned done = 0;
	bool seen[SLOTS] = { false };
	uint64_t start;

	for (size_t i = 0; i < sizeof message; i++)
		ch[MESSAGE_OFFSET + i] = message[i];
	/* The message before the ready word, as the readers check them in the other order. */
	guest_barrier();
	*(volatile uint32_t *)(CHANNEL + READY_OFFSET) = 1;
	put_str("ivc-peer: wrote \"");
	put_str(message);
	put_str("\" to static channel 1 at ");
	put_hex(CHANNEL);
	put_str("\n");

	start = counter();
	while (done < SLOTS && counter() - start < 120 * counter_freq()) {
		for (unsigned s = 0; s < SLOTS; s++) {
			if (seen[s] || !answered(s))
				continue;
			seen[s] = true;
			done++;
			put_str("ivc-peer: slot ");
			put_dec(s);
			put_str(" answered \"");
			put_str(answers[s]);
			put_str("\"\n");
		}
		cpu_yield();
	}
	put_str(done == SLOTS ? "ivc-peer: both Linux VMs answered\n"
			      : "ivc-peer: not every Linux VM answered\n");
	return 0;
}

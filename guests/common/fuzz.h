/* SPDX-License-Identifier: MIT */
/*
 * What the guest-side fuzzers of the two hypervisors share (guests/fuzz.c
 * on aarch64, guests/fuzz-riscv64.c): the seeded randomness, and the run
 * of seeds that fuzz/hv-run.sh reads. Each fuzzer gives its actions and
 * lethal actions (struct fuzz_arch) and calls fuzz_main; this header is
 * theirs alone (its functions and state are static).
 *
 * A run: the seed word (the hypervisor's seed= boot argument: bits 31:0
 * the first seed, 63:32 how many, 0 meaning 1) and the seeds done so far
 * live at the fuzzer's persist address, RAM that survives the VM's reset.
 * For each seed: "fuzz: seed N", its IVC keys unpublished (each seed starts
 * from the same IVC state), vCPUs 1 and 2 started, FUZZ_ACTIONS actions on
 * every vCPU, at every 8th seed a reset while the others still run, then a
 * wait for them (reported "UNFINISHED" after 10 s), and every 16th seed
 * ends with a lethal action the hypervisor must stop the VM for ("fuzz:
 * lethal N: WHAT"; "lethal action survived" if it did not). The others
 * reset the VM for the next seed; after the last, "fuzz: done, N seeds
 * from S" and power-off. The status channel tells deadline.c when the
 * fuzzer is done or about to be stopped. Every status line starts on a
 * line of its own: the bytes the fuzzer writes to its console device may
 * have left one open.
 */
#ifndef GUEST_FUZZ_H
#define GUEST_FUZZ_H

#include "guest.h"

#define FUZZ_VCPUS 3
#define FUZZ_ACTIONS 300
#define FUZZ_IVC_KEYS 4
#define FUZZ_IVC_KEY0 0x10 /* keys 0x10-0x13 are declared for fuzz in its system file */
#define FUZZ_PERSIST_MAGIC 0xf022f022f022f022ull

/* ------------------------------------------------------------ randomness */

static uint64_t next(uint64_t *s)
{
	/* xorshift64*: a seed gives one sequence, on any build. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return next(s) % n;
}

/* A random value, often one of the interesting ones. */
static uint64_t value(uint64_t *s)
{
	static const uint64_t special[] = { 0, 1, 0xff, 0xffffffff, ~0ull, 0x80000000, 0x1f,
					    0x8000000000000000ull };

	return below(s, 3) ? next(s) : special[below(s, sizeof special / sizeof special[0])];
}

/* ------------------------------------------------------- the run of seeds */

struct fuzz_arch {
	uintptr_t persist;             /* RAM the image never covers: kept across a reset */
	void (*secondary_entry)(void); /* the others' entry (they call fuzz_secondary) */
	void (*begin)(void);           /* before a vCPU's actions: its exception vectors */
	void (*act)(uint64_t *s);      /* one random action */
	void (*end)(void);             /* after them: interrupts and timer off */
	const char *const *lethal_names;
	unsigned lethal_count;
	uint64_t (*lethal)(unsigned which); /* returns (what it read) only when not stopped */
};

struct fuzz_persist {
	uint64_t magic, arg, index;
	uint64_t status; /* the status channel's GPA, published once */
};

static volatile uint32_t fuzz_finished[FUZZ_VCPUS];
static volatile uint64_t fuzz_seed_of_run;
static volatile uint32_t fuzz_vcpu_actions[FUZZ_VCPUS];
/* vCPU 0 is done with its actions: from now on nobody starts a vCPU (the actions check it). */
static volatile uint32_t fuzz_quiesce;

static void fuzz_run_actions(const struct fuzz_arch *a, uint64_t seed, uint32_t id)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + id + 1;

	a->begin();
	for (uint32_t i = 0; i < FUZZ_ACTIONS; i++) {
		a->act(&s);
		fuzz_vcpu_actions[id] = i + 1;
	}
	a->end();
}

/* A secondary vCPU (id from its entry): this seed's actions, then off. */
static void fuzz_secondary(const struct fuzz_arch *a, uint32_t id)
{
	if (id < FUZZ_VCPUS) {
		fuzz_run_actions(a, fuzz_seed_of_run, id);
		fuzz_finished[id] = 1;
	}
	guest_cpu_stop();
	for (;;)
		__asm__ volatile("wfi");
}

static void fuzz_status_done(const struct fuzz_persist *p)
{
	if (p->status)
		*(volatile uint32_t *)(uintptr_t)(p->status + STATUS_DONE) = 1;
}

static void fuzz_say_seed(uint64_t seed, const char *what)
{
	put_str("\nfuzz: seed ");
	put_dec((int64_t)seed);
	put_str(what);
}

/*
 * Waits for the other vCPUs: a start of a finished one runs it again, so
 * with fuzz_quiesce set nobody starts one any more, and all must be seen
 * off in two passes in a row (one may have started another just before it
 * stopped). Reports those not finished after 10 s.
 */
static void fuzz_wait_others(uint64_t seed)
{
	uint64_t start = counter();

	fuzz_quiesce = 1;
	for (uint32_t quiet = 0; quiet < 2 && counter() - start < 10 * counter_freq();) {
		bool all = true;

		for (uint32_t i = 1; i < FUZZ_VCPUS; i++)
			all = all && fuzz_finished[i] && guest_cpu_state(i) == CPU_STATE_OFF;
		quiet = all ? quiet + 1 : 0;
		if (!all)
			cpu_yield();
	}
	for (uint32_t i = 1; i < FUZZ_VCPUS; i++)
		if (!fuzz_finished[i]) {
			fuzz_say_seed(seed, ": vCPU ");
			put_dec(i);
			put_str(" UNFINISHED after 10 s at action ");
			put_dec(fuzz_vcpu_actions[i]);
			put_str("\n");
		}
}

/* vCPU 0's whole run; arg is the seed word it was entered with. */
static void fuzz_main(const struct fuzz_arch *a, uint64_t arg)
{
	struct fuzz_persist *p = (struct fuzz_persist *)a->persist;
	uint64_t first, count, seed, base = 0, size = STATUS_SIZE;
	unsigned lethal_at;

	if (p->magic != FUZZ_PERSIST_MAGIC || p->arg != arg) {
		p->magic = FUZZ_PERSIST_MAGIC;
		p->arg = arg;
		p->index = 0;
		p->status = 0;
		if (ivc_call(IVC_PUBLISH, STATUS_KEY_FUZZ, (uintptr_t)&base, (uintptr_t)&size, 0) == 0)
			p->status = base;
	}
	first = p->arg & 0xffffffff;
	count = p->arg >> 32 ? p->arg >> 32 : 1;
	if (p->index >= count) {
		put_str("\nfuzz: done, ");
		put_dec((int64_t)count);
		put_str(" seeds from ");
		put_dec((int64_t)first);
		put_str("\n");
		fuzz_status_done(p);
		guest_power_off();
	}
	seed = first + p->index++;
	fuzz_seed_of_run = seed;
	fuzz_say_seed(seed, "\n");
	for (unsigned k = 0; k < FUZZ_IVC_KEYS; k++)
		ivc_call(IVC_UNPUBLISH, FUZZ_IVC_KEY0 + k, 0, 0, 0);
	for (uint32_t i = 1; i < FUZZ_VCPUS; i++)
		guest_cpu_start(i, a->secondary_entry, 0);
	fuzz_run_actions(a, seed, 0);
	if (seed % 8 == 3) {
		/* Reset while the others still run, starting each other included. */
		fuzz_say_seed(seed, ": reset while the other vCPUs run\n");
		guest_reset();
	}
	fuzz_wait_others(seed);
	lethal_at = seed % 16 == 15 ? (unsigned)(seed / 16) % a->lethal_count : ~0u;
	if (lethal_at != ~0u) {
		uint64_t got;

		put_str("\nfuzz: lethal ");
		put_dec((int64_t)seed);
		put_str(": ");
		put_str(a->lethal_names[lethal_at]);
		put_str("\n");
		fuzz_status_done(p);
		got = a->lethal(lethal_at);
		put_str("\nfuzz: lethal action survived (");
		put_hex(got);
		put_str(")\n");
	}
	guest_reset();
	put_str("\nfuzz: reset returned\n");
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A test-and-set spinlock for state shared between physical CPUs (console,
 * frame allocator, each VM and its vGIC, the IVC registry). Built with
 * -mno-outline-atomics, the exchange is an inline LDAXR/STXR loop;
 * acquire/release order the protected accesses.
 */
#ifndef HV_CORE_SPINLOCK_H
#define HV_CORE_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint32_t locked;
};

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1u, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0u, __ATOMIC_RELEASE);
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Where static channels lie in a VM's IVC window, from the system file
 * alone. The hypervisor maps them there (vmcfg_ivc_publish_at /
 * _subscribe_at), the guest DT writer describes them from the same walk,
 * and the checker compares a command line's ivc= with it, so a guest that
 * makes no hypercalls finds its channels where they are.
 */
#include <stdint.h>

#include "internal.h"
#include "../base/libc.h"

#define PAGE_MASK (VMCFG_PAGE_SIZE - 1)

static bool names(const struct vmcfg_spec_str *s, const char *name, size_t len)
{
	return s->set && s->s && s->len == len && memcmp(s->s, name, len) == 0;
}

/* The VM's part in declaration c: false when none; else its access. */
static bool takes_part(const struct vmcfg_ivc_channel *c, const char *name, size_t len,
		       bool *publishes, bool *writable)
{
	if (!c->is_static || !c->key.set || !c->publisher.set || !c->size.set || c->size.v == 0)
		return false;
	*publishes = *writable = true;
	if (names(&c->publisher, name, len))
		return true;
	*publishes = false;
	/* The first entry naming the VM, as the registry's access control reads them. */
	for (size_t i = 0; i < c->subscriber_count; i++) {
		if (names(&c->subscribers[i].vm, name, len)) {
			*writable = c->subscribers[i].writable;
			return true;
		}
	}
	return false;
}

/*
 * The walk both entry points share: calls back for each static channel of
 * the VM with its placement, up to and including declaration `until`.
 * Returns 0, or VMCFG_ERANGE with *out describing the channel that does
 * not fit (the walk stops there).
 */
struct walk {
	struct vmcfg_ivc_placement *out; /* room for max */
	size_t max, count;
	size_t until;          /* SIZE_MAX: all */
	struct vmcfg_ivc_placement last; /* the last placed, or the one that does not fit */
	bool found;            /* `until` was placed */
};

static int walk(const struct vmcfg_system *sys, const char *name, uint64_t window_gpa,
		uint64_t window_size, struct walk *w)
{
	size_t len = strlen(name);
	uint64_t at = 0; /* bytes of the window taken so far */

	for (size_t i = 0; i < sys->ivc_count && (w->until == SIZE_MAX || i <= w->until); i++) {
		const struct vmcfg_ivc_channel *c = &sys->ivc[i];
		struct vmcfg_ivc_placement p = { .decl = i };
		if (!takes_part(c, name, len, &p.publishes, &p.writable))
			continue;
		p.key = c->key.v;
		p.publisher = c->publisher.s;
		p.gpa = window_gpa + at;
		/* A size in the last page below 2^64, or past the window's end: no room. */
		bool fits = c->size.v <= UINT64_MAX - PAGE_MASK;
		p.size = fits ? (c->size.v + PAGE_MASK) & ~(uint64_t)PAGE_MASK : UINT64_MAX;
		fits = fits && p.size <= window_size - at;
		w->last = p;
		if (!fits) {
			if (w->count < w->max)
				w->out[w->count] = p;
			return VMCFG_ERANGE;
		}
		if (w->count < w->max)
			w->out[w->count] = p;
		w->count++;
		at += p.size;
		if (i == w->until)
			w->found = true;
	}
	return 0;
}

int vmcfg_ivc_static_layout(const struct vmcfg_system *sys, const char *name,
			    uint64_t window_gpa, uint64_t window_size,
			    struct vmcfg_ivc_placement *out, size_t max, size_t *count)
{
	if (!sys || !name || !count || (!out && max) || (window_gpa & PAGE_MASK))
		return VMCFG_EINVAL;
	struct walk w = { .out = out, .max = max, .until = SIZE_MAX };
	int err = walk(sys, name, window_gpa, window_size, &w);
	*count = w.count;
	if (err)
		return err;
	return w.count > max ? VMCFG_ENOSPC : 0;
}

int vmcfg_ivc_static_find(const struct vmcfg_system *sys, const char *name,
			  uint64_t window_gpa, uint64_t window_size, size_t decl,
			  struct vmcfg_ivc_placement *out)
{
	if (!sys || !name || !out || (window_gpa & PAGE_MASK))
		return VMCFG_EINVAL;
	struct walk w = { .until = decl };
	int err = walk(sys, name, window_gpa, window_size, &w);
	if (err) {
		*out = w.last;
		return err;
	}
	if (!w.found)
		return VMCFG_ENOENT;
	*out = w.last;
	return 0;
}

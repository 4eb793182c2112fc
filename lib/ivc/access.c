/* SPDX-License-Identifier: MIT */
/*
 * Access control from the system's [[ivc]] declarations, matched by VM
 * name: whatever is not declared is denied — a guest cannot reach a
 * channel by guessing its key — also when nothing is declared or there is
 * no system at all. The reference's "everything allowed" survives only as
 * the system file's explicit ivc_policy = "open".
 */
#include "internal.h"
#include "../base/libc.h"

static bool name_is(const struct vmcfg_spec_str *s, const char *name)
{
	size_t n = strlen(name);
	return s->set && s->s && s->len == n && memcmp(s->s, name, n) == 0;
}

static bool enforcing(const struct vmcfg_ivc_registry *reg)
{
	return !reg->sys || !reg->sys->ivc_open;
}

static const struct vmcfg_ivc_channel *declaration(const struct vmcfg_ivc_registry *reg,
						     const struct vmcfg_vm *publisher, uint64_t key)
{
	if (!reg->sys)
		return NULL;
	for (size_t i = 0; i < reg->sys->ivc_count; i++) {
		const struct vmcfg_ivc_channel *c = &reg->sys->ivc[i];
		if (c->key.set && c->key.v == key && name_is(&c->publisher, publisher->name))
			return c;
	}
	return NULL;
}

int vmcfg_ivc_may_publish(const struct vmcfg_ivc_registry *reg, const struct vmcfg_vm *vm, uint64_t key,
		    uint64_t *declared_size)
{
	*declared_size = 0;
	if (!enforcing(reg))
		return 0;
	const struct vmcfg_ivc_channel *c = declaration(reg, vm, key);
	if (!c)
		return VMCFG_EPERM;
	*declared_size = c->size.set ? c->size.v : 0;
	return 0;
}

int vmcfg_ivc_may_subscribe(const struct vmcfg_ivc_registry *reg, const struct vmcfg_vm *publisher,
		      const struct vmcfg_vm *subscriber, uint64_t key, bool *writable)
{
	*writable = true;
	if (!enforcing(reg))
		return 0;
	const struct vmcfg_ivc_channel *c = declaration(reg, publisher, key);
	if (!c)
		return VMCFG_EPERM;
	for (size_t i = 0; i < c->subscriber_count; i++) {
		if (name_is(&c->subscribers[i].vm, subscriber->name)) {
			*writable = c->subscribers[i].writable;
			return 0;
		}
	}
	return VMCFG_EPERM;
}

/* SPDX-License-Identifier: MIT */
/*
 * The device bus: per address space, the registered devices as half-open
 * ranges in one array sorted by base and pairwise disjoint. A lookup is a
 * binary search (the reference scanned every device and panicked the host
 * when none matched); an access nobody claims is an error result.
 */
#include "vmcfg/vm.h"
#include "../base/libc.h"

void vmcfg_vm_bus_init(struct vmcfg_vm_bus *bus, const struct vmcfg_allocator *alloc)
{
	memset(bus, 0, sizeof *bus);
	bus->alloc = *alloc;
}

void vmcfg_vm_bus_release(struct vmcfg_vm_bus *bus)
{
	for (int s = 0; s < VMCFG_VM_BUS_SPACE_COUNT; s++)
		if (bus->entries[s])
			bus->alloc.fn(bus->alloc.ud, bus->entries[s],
				      bus->cap[s] * sizeof(struct vmcfg_vm_bus_entry), 0);
	struct vmcfg_allocator alloc = bus->alloc;
	vmcfg_vm_bus_init(bus, &alloc);
}

static bool space_ok(enum vmcfg_vm_bus_space space)
{
	return (unsigned)space < VMCFG_VM_BUS_SPACE_COUNT;
}

/*
 * Index of the first entry whose base is above addr (0..count). The
 * halving step is a conditional move, not a branch: guest accesses hit
 * devices in no predictable order, and a mispredicted branch per level
 * would cost more than the comparison itself.
 */
static size_t upper_bound(const struct vmcfg_vm_bus_entry *e, size_t count, uint64_t addr)
{
	if (count == 0)
		return 0;
	const struct vmcfg_vm_bus_entry *p = e;
	for (size_t n = count; n > 1; n -= n / 2)
		p = p[n / 2].base <= addr ? p + n / 2 : p;
	/* p is the last entry with base <= addr, or the first entry when there is none. */
	return (size_t)(p - e) + (p->base <= addr);
}

static int grow(struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space)
{
	size_t cap = bus->cap[space] ? bus->cap[space] * 2 : 8;
	size_t esz = sizeof(struct vmcfg_vm_bus_entry);
	if (cap > SIZE_MAX / esz)
		return VMCFG_ENOMEM;
	void *p = bus->alloc.fn(bus->alloc.ud, bus->entries[space], bus->cap[space] * esz,
				cap * esz);
	if (!p)
		return VMCFG_ENOMEM;
	bus->entries[space] = p;
	bus->cap[space] = cap;
	return 0;
}

int vmcfg_vm_bus_register(struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t base, uint64_t size,
		    const char *name, const struct vmcfg_vm_device_ops *ops, void *dev)
{
	uint64_t end;
	if (!space_ok(space) || size == 0 || !ops || !ops->read || !ops->write)
		return VMCFG_EINVAL;
	if (!vmcfg_add_u64(base, size, &end))
		return VMCFG_ERANGE;

	struct vmcfg_vm_bus_entry *e = bus->entries[space];
	size_t n = bus->count[space];
	size_t at = upper_bound(e, n, base);
	/* Disjoint and sorted: only the neighbours on either side can collide. */
	if ((at > 0 && e[at - 1].end > base) || (at < n && e[at].base < end))
		return VMCFG_EOVERLAP;
	if (n == bus->cap[space]) {
		int err = grow(bus, space);
		if (err)
			return err;
		e = bus->entries[space];
	}
	memmove(&e[at + 1], &e[at], (n - at) * sizeof *e);
	e[at] = (struct vmcfg_vm_bus_entry){ base, end, name, ops, dev };
	bus->count[space] = n + 1;
	return 0;
}

void vmcfg_vm_bus_reset(const struct vmcfg_vm_bus *bus)
{
	for (unsigned space = 0; space < VMCFG_VM_BUS_SPACE_COUNT; space++)
		for (size_t i = 0; i < bus->count[space]; i++) {
			const struct vmcfg_vm_bus_entry *e = &bus->entries[space][i];
			if (e->ops->reset)
				e->ops->reset(e->dev);
		}
}

int vmcfg_vm_bus_unregister(struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t base)
{
	if (!space_ok(space))
		return VMCFG_ENOENT;
	struct vmcfg_vm_bus_entry *e = bus->entries[space];
	size_t n = bus->count[space];
	size_t at = upper_bound(e, n, base);
	if (at == 0 || e[at - 1].base != base)
		return VMCFG_ENOENT;
	memmove(&e[at - 1], &e[at], (n - at) * sizeof *e);
	bus->count[space] = n - 1;
	return 0;
}

const struct vmcfg_vm_bus_entry *vmcfg_vm_bus_find(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space,
				       uint64_t addr)
{
	if (!space_ok(space))
		return NULL;
	const struct vmcfg_vm_bus_entry *e = bus->entries[space];
	size_t at = upper_bound(e, bus->count[space], addr);
	/* The candidate is the last device starting at or below addr. */
	if (at == 0 || addr >= e[at - 1].end)
		return NULL;
	return &e[at - 1];
}

size_t vmcfg_vm_bus_count(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space)
{
	return space_ok(space) ? bus->count[space] : 0;
}

const struct vmcfg_vm_bus_entry *vmcfg_vm_bus_entry_at(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space,
					   size_t i)
{
	if (!space_ok(space) || i >= bus->count[space])
		return NULL;
	return &bus->entries[space][i];
}

/* The device that holds all of [addr, addr + width), after checking width. */
static int claim(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t addr,
		 unsigned width, const struct vmcfg_vm_bus_entry **out)
{
	if (!space_ok(space) || (width != 1 && width != 2 && width != 4 && width != 8))
		return VMCFG_EINVAL;
	const struct vmcfg_vm_bus_entry *d = vmcfg_vm_bus_find(bus, space, addr);
	/* addr < d->end, so the subtraction cannot wrap. */
	if (!d || width > d->end - addr)
		return VMCFG_EFAULT;
	*out = d;
	return 0;
}

int vmcfg_vm_bus_read(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t addr, unsigned width,
		uint64_t *value)
{
	const struct vmcfg_vm_bus_entry *d;
	int err = claim(bus, space, addr, width, &d);
	if (err)
		return err;
	uint64_t v = 0;
	err = d->ops->read(d->dev, addr - d->base, width, &v);
	if (!err)
		*value = width == 8 ? v : v & ((1ull << (8 * width)) - 1);
	return err;
}

int vmcfg_vm_bus_write(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t addr, unsigned width,
		 uint64_t value)
{
	const struct vmcfg_vm_bus_entry *d;
	int err = claim(bus, space, addr, width, &d);
	if (err)
		return err;
	if (width < 8)
		value &= (1ull << (8 * width)) - 1;
	return d->ops->write(d->dev, addr - d->base, width, value);
}

/* The emulated-MMIO device bus: a sorted window array and binary search. */
#include "core/mmio_bus.h"

/* Index of the first window whose base is above addr. */
static size_t upper_bound(const struct mmio_bus *bus, uint64_t addr)
{
	size_t lo = 0, hi = bus->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (bus->win[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int mmio_bus_add(struct mmio_bus *bus, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		 void *dev, const char *name)
{
	uint64_t end;
	size_t at;

	if (size == 0)
		return VMCFG_EINVAL;
	if (!vmcfg_add_u64(base, size - 1, &end))
		return VMCFG_ERANGE;
	at = upper_bound(bus, base);
	/* Sorted and disjoint: only the neighbours can overlap. */
	if (at > 0 && bus->win[at - 1].base + (bus->win[at - 1].size - 1) >= base)
		return VMCFG_EOVERLAP;
	if (at < bus->count && bus->win[at].base <= end)
		return VMCFG_EOVERLAP;
	if (bus->count == MMIO_BUS_MAX)
		return VMCFG_ENOSPC;
	for (size_t i = bus->count; i > at; i--)
		bus->win[i] = bus->win[i - 1];
	bus->win[at] = (struct mmio_window){ base, size, ops, dev, name };
	bus->count++;
	return 0;
}

const struct mmio_window *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr)
{
	size_t at = upper_bound(bus, addr);
	const struct mmio_window *w;

	if (at == 0)
		return NULL;
	w = &bus->win[at - 1];
	return addr - w->base < w->size ? w : NULL;
}

int mmio_bus_access(const struct mmio_bus *bus, uint64_t addr, unsigned size, bool write,
		    uint64_t *value, const struct mmio_window **win)
{
	const struct mmio_window *w = mmio_bus_find(bus, addr);
	uint64_t offset;

	*win = w;
	if (!w)
		return VMCFG_ENOENT;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return VMCFG_EINVAL;
	if (addr & (size - 1))
		return VMCFG_EALIGN;
	offset = addr - w->base;
	if (size > w->size - offset)
		return VMCFG_ERANGE;
	return write ? w->ops->write(w->dev, offset, size, *value)
		     : w->ops->read(w->dev, offset, size, value);
}

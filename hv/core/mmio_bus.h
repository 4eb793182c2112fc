/*
 * A VM's emulated-MMIO device bus: guest-physical windows, each claimed by
 * one device model. Kept sorted by base so an access finds its device by
 * binary search. Independent of the hypervisor (only vmcfg/base.h), so it
 * can move into lib/vm unchanged.
 */
#ifndef HV_CORE_MMIO_BUS_H
#define HV_CORE_MMIO_BUS_H

#include "vmcfg/base.h"

#define MMIO_BUS_MAX 16

/*
 * A device model. offset is from the window's base; size is 1, 2, 4 or 8;
 * the access lies inside the window and is naturally aligned (the bus
 * checks). Each returns 0, or a VMCFG_E* code that stops the VM.
 */
struct mmio_ops {
	int (*read)(void *dev, uint64_t offset, unsigned size, uint64_t *value);
	int (*write)(void *dev, uint64_t offset, unsigned size, uint64_t value);
};

struct mmio_window {
	uint64_t base, size;
	const struct mmio_ops *ops;
	void *dev;
	const char *name;
};

struct mmio_bus {
	struct mmio_window win[MMIO_BUS_MAX]; /* sorted by base, never overlapping */
	size_t count;
};

/*
 * Adds a window. Returns 0; VMCFG_EINVAL when size is 0; VMCFG_ERANGE when
 * base + size wraps; VMCFG_EOVERLAP when it overlaps a window already
 * there; VMCFG_ENOSPC when the bus is full.
 */
int mmio_bus_add(struct mmio_bus *bus, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		 void *dev, const char *name);

/* The window containing addr, or NULL. */
const struct mmio_window *mmio_bus_find(const struct mmio_bus *bus, uint64_t addr);

/*
 * One guest access of size bytes at addr. Returns the device's result;
 * VMCFG_ENOENT when no window contains addr; VMCFG_EALIGN when the access is
 * not naturally aligned; VMCFG_ERANGE when it runs past its window;
 * VMCFG_EINVAL for a size other than 1, 2, 4, 8. *win is set to the window
 * when there is one (NULL otherwise), for reports.
 */
int mmio_bus_access(const struct mmio_bus *bus, uint64_t addr, unsigned size, bool write,
		    uint64_t *value, const struct mmio_window **win);

#endif

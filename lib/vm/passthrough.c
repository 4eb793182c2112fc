/* SPDX-License-Identifier: MIT */
/*
 * Passthrough windows: host device frames mapped into the guest. Unlike
 * the reference, which ignored base_hpa and rounded base and length
 * separately (losing the tail), a window maps GPA [align_down(base),
 * align_up(base + length)) to the host frames at the same offset from
 * base_hpa, so every declared byte is reachable, and the bytes the
 * rounding adds are named in a warning. Overlapping windows are merged
 * only when they translate alike; otherwise the config contradicts
 * itself and is refused.
 */
#include "internal.h"
#include "../base/libc.h"

#define PAGE_MASK (VMCFG_PAGE_SIZE - 1)
#define PT_FLAGS (VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_DEVICE)

/* A declared window after page rounding; offset = hpa - gpa (mod 2^64: equal offsets translate alike). */
struct window {
	uint64_t gpa, end, offset;
	const char *name;
};

/* A name-only passthrough entry: the device-tree path form (see vm.h). */
static bool is_dt_path(const struct vmcfg_vm_pt_device *d)
{
	return d->base_gpa == 0 && d->base_hpa == 0 && d->length == 0;
}

static int round_window(struct vm_build *b, const char *name, uint64_t gpa, uint64_t hpa,
			uint64_t len, struct window *w)
{
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF], z[VMCFG_FMT_BUF], t[VMCFG_FMT_BUF];
	uint64_t end, hpa_end;
	if (!vmcfg_add_u64(gpa, len, &end) || !vmcfg_add_u64(hpa, len, &hpa_end) ||
	    end > UINT64_MAX - PAGE_MASK || hpa_end > UINT64_MAX - PAGE_MASK)
		return vmcfg_vm_fail(b, VMCFG_ERANGE, "passthrough '%s' at %s size %s wraps past 2^64",
			       name, vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, len));
	if ((gpa ^ hpa) & PAGE_MASK)
		return vmcfg_vm_fail(b, VMCFG_EALIGN,
			       "passthrough '%s': GPA %s and HPA %s differ in their offset within a "
			       "page, so no page mapping can honour both",
			       name, vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, hpa));
	w->gpa = gpa & ~PAGE_MASK;
	w->end = (end + PAGE_MASK) & ~PAGE_MASK;
	w->offset = (hpa & ~PAGE_MASK) - w->gpa;
	w->name = name;
	if (w->gpa != gpa || w->end != end)
		vmcfg_vm_warn(b->vm,
			"passthrough '%s' [%s, %s) is not page-aligned: mapping pages [%s, %s) also "
			"gives the guest the neighbouring host bytes around [%s, +%s)",
			name, vmcfg_fmt_hex(x, gpa), vmcfg_fmt_hex(y, end), vmcfg_fmt_hex(z, w->gpa),
			vmcfg_fmt_hex(t, w->end), vmcfg_fmt_hex(x, hpa), vmcfg_fmt_hex(y, len));
	return 0;
}

/* Collects every declared window, rounded. Returns the count or a (reported) error. */
static int collect(struct vm_build *b, struct window *w)
{
	const struct vmcfg_vm_config *cfg = b->cfg;
	int n = 0;
	for (size_t i = 0; i < cfg->pt_count; i++) {
		const struct vmcfg_vm_pt_device *d = &cfg->pt[i];
		if (is_dt_path(d))
			return vmcfg_vm_fail(b, VMCFG_ENOSYS,
				       "passthrough device '%s' is a device-tree path: resolving it "
				       "needs the host device tree, which this build does not read",
				       d->name ? d->name : "");
		if (d->length == 0) {
			vmcfg_vm_warn(b->vm, "passthrough device '%s' has length 0: skipped",
				d->name ? d->name : "");
			continue;
		}
		int err = round_window(b, d->name ? d->name : "", d->base_gpa, d->base_hpa,
				       d->length, &w[n]);
		if (err)
			return err;
		n++;
	}
	for (size_t i = 0; i < cfg->pt_address_count; i++) {
		const struct vmcfg_vm_pt_address *a = &cfg->pt_addresses[i];
		char *name = vmcfg_arena_alloc(&b->vm->arena, 40, 1);
		if (!name)
			return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
		vmcfg_snprintf(name, 40, "passthrough_addresses[%zu]", i);
		if (a->length == 0) {
			vmcfg_vm_warn(b->vm, "%s has length 0: skipped", name);
			continue;
		}
		int err = round_window(b, name, a->gpa, a->gpa, a->length, &w[n]);
		if (err)
			return err;
		n++;
	}
	return n;
}

/* Sorts by GPA. Insertion sort: a VM declares a handful of windows, and it is stable. */
static void sort_windows(struct window *w, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct window k = w[i];
		size_t j = i;
		for (; j > 0 && w[j - 1].gpa > k.gpa; j--)
			w[j] = w[j - 1];
		w[j] = k;
	}
}

static int map_window(struct vm_build *b, const struct vmcfg_vm_pt_window *pw)
{
	int err = vmcfg_aspace_map_linear(&b->vm->aspace, pw->gpa, pw->hpa, pw->size, PT_FLAGS);
	if (err) {
		char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF], z[VMCFG_FMT_BUF];
		return vmcfg_vm_fail(b, err, "passthrough '%s' GPA %s size %s -> HPA %s: %s", pw->name,
			       vmcfg_fmt_hex(x, pw->gpa), vmcfg_fmt_hex(y, pw->size),
			       vmcfg_fmt_hex(z, pw->hpa),
			       err == VMCFG_EOVERLAP ? "overlaps RAM or another mapping"
						     : vmcfg_strerror(err));
	}
	return 0;
}

/*
 * The guest reaches passed-through I/O ports directly (the x86 I/O bitmap);
 * an access that traps to the bus anyway is refused, as for the IVC window.
 */
static int pt_port_access(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return VMCFG_EFAULT;
}

static int pt_port_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return VMCFG_EFAULT;
}

static const struct vmcfg_vm_device_ops pt_port_ops = { .read = pt_port_access,
							.write = pt_port_write };

/*
 * devices.passthrough_ports: x86_64 only; each range claims its ports on
 * the port I/O bus, so no emulated port device sits over it and two
 * ranges do not overlap (the checker's E0235 and E0211 in port space).
 */
static int setup_pt_ports(struct vm_build *b)
{
	const struct vmcfg_vm_config *cfg = b->cfg;
	char x[VMCFG_FMT_BUF], y[VMCFG_FMT_BUF];
	if (cfg->pt_port_count && b->vm->arch != VMCFG_ARCH_X86_64)
		return vmcfg_vm_fail(b, VMCFG_EINVAL, "passthrough_ports on %s: I/O ports exist on "
				     "x86_64 only", vmcfg_arch_name(b->vm->arch));
	for (size_t i = 0; i < cfg->pt_port_count; i++) {
		const struct vmcfg_vm_pt_port *p = &cfg->pt_ports[i];
		if (p->length == 0 || p->base > 0xffff || p->length > 0x10000 - p->base)
			return vmcfg_vm_fail(b, VMCFG_EINVAL, "passthrough ports at %s length %s: not "
					     "1 to 0x1_0000 ports of the 16-bit port space",
					     vmcfg_fmt_hex(x, p->base), vmcfg_fmt_hex(y, p->length));
		int err = vmcfg_vm_bus_register(&b->vm->bus, VMCFG_VM_BUS_PIO, p->base, p->length,
						"passthrough ports", &pt_port_ops, NULL);
		if (err)
			return vmcfg_vm_fail(b, err, "passthrough ports at %s length %s: %s",
					     vmcfg_fmt_hex(x, p->base), vmcfg_fmt_hex(y, p->length),
					     err == VMCFG_EOVERLAP ? "they overlap other passthrough ports"
								   : vmcfg_strerror(err));
	}
	return 0;
}

int vmcfg_vm_setup_passthrough(struct vm_build *b)
{
	struct vmcfg_vm *vm = b->vm;
	size_t max = b->cfg->pt_count + b->cfg->pt_address_count;
	int perr = setup_pt_ports(b);
	if (perr)
		return perr;
	if (max == 0)
		return 0;
	struct window *w = vmcfg_arena_alloc(&vm->arena, max * sizeof *w, _Alignof(struct window));
	vm->pt_windows = vmcfg_arena_alloc(&vm->arena, max * sizeof *vm->pt_windows,
					   _Alignof(struct vmcfg_vm_pt_window));
	if (!w || !vm->pt_windows)
		return vmcfg_vm_fail(b, VMCFG_ENOMEM, "out of memory");
	int n = collect(b, w);
	if (n < 0)
		return n;
	sort_windows(w, (size_t)n);

	struct vmcfg_vm_pt_window *out = vm->pt_windows;
	size_t count = 0;
	for (int i = 0; i < n; i++) {
		struct vmcfg_vm_pt_window *cur = count ? &out[count - 1] : NULL;
		if (cur && w[i].gpa < cur->gpa + cur->size) {
			char x[VMCFG_FMT_BUF];
			if (w[i].offset != cur->hpa - cur->gpa)
				return vmcfg_vm_fail(b, VMCFG_EOVERLAP,
					       "passthrough '%s' and '%s' overlap at GPA %s but map it "
					       "to different host addresses",
					       cur->name, w[i].name, vmcfg_fmt_hex(x, w[i].gpa));
			if (w[i].end > cur->gpa + cur->size)
				cur->size = w[i].end - cur->gpa;
			cur->merged++;
			continue;
		}
		out[count++] = (struct vmcfg_vm_pt_window){ w[i].name, w[i].gpa, w[i].gpa + w[i].offset,
						      w[i].end - w[i].gpa, 0 };
	}
	for (size_t i = 0; i < count; i++) {
		int err = map_window(b, &out[i]);
		if (err)
			return err;
	}
	vm->pt_window_count = count;
	return 0;
}

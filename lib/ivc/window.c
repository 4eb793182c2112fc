/* SPDX-License-Identifier: MIT */
/*
 * Guest windows: channels are mapped into the VM's IVC window (the
 * emulated device of type IVCChannel), allocated best-fit so small
 * channels do not fragment the room large ones need, and released when the
 * mapping goes (the reference never released them). One bit per page.
 */
#include "internal.h"
#include "../base/libc.h"

static bool page_used(const struct vmcfg_ivc_member *m, size_t i)
{
	return (m->window_used[i / 64] >> (i % 64)) & 1;
}

static void mark(struct vmcfg_ivc_member *m, size_t first, size_t count, bool used)
{
	for (size_t i = first; i < first + count; i++) {
		uint64_t bit = 1ull << (i % 64);
		if (used)
			m->window_used[i / 64] |= bit;
		else
			m->window_used[i / 64] &= ~bit;
	}
}

static size_t bitmap_bytes(size_t pages)
{
	return (pages + 63) / 64 * sizeof(uint64_t);
}

int vmcfg_ivc_window_init(struct vmcfg_ivc_registry *reg, struct vmcfg_ivc_member *m)
{
	m->window_pages = (size_t)(m->vm->ivc_window_size / VMCFG_PAGE_SIZE);
	m->window_used = NULL;
	if (!m->window_pages)
		return 0;
	m->window_used = reg->alloc.fn(reg->alloc.ud, NULL, 0, bitmap_bytes(m->window_pages));
	if (!m->window_used)
		return VMCFG_ENOMEM;
	memset(m->window_used, 0, bitmap_bytes(m->window_pages));
	return 0;
}

void vmcfg_ivc_window_release(struct vmcfg_ivc_registry *reg, struct vmcfg_ivc_member *m)
{
	if (m->window_used)
		reg->alloc.fn(reg->alloc.ud, m->window_used, bitmap_bytes(m->window_pages), 0);
	m->window_used = NULL;
}

int vmcfg_ivc_window_alloc(struct vmcfg_ivc_member *m, uint64_t size, uint64_t *gpa)
{
	uint64_t need = size / VMCFG_PAGE_SIZE;
	size_t best = 0, best_len = SIZE_MAX;

	/* Smallest free run that fits; the lowest one among equals. */
	for (size_t i = 0; i < m->window_pages;) {
		if (page_used(m, i)) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < m->window_pages && !page_used(m, i))
			i++;
		size_t len = i - start;
		if (len >= need && len < best_len) {
			best = start;
			best_len = len;
			if (len == need)
				break;
		}
	}
	if (best_len == SIZE_MAX)
		return VMCFG_ENOSPC;
	mark(m, best, (size_t)need, true);
	*gpa = m->vm->ivc_window_gpa + (uint64_t)best * VMCFG_PAGE_SIZE;
	return 0;
}

int vmcfg_ivc_window_claim(struct vmcfg_ivc_member *m, uint64_t size, uint64_t gpa)
{
	uint64_t need = size / VMCFG_PAGE_SIZE, first;

	if (gpa % VMCFG_PAGE_SIZE)
		return VMCFG_EALIGN;
	if (gpa < m->vm->ivc_window_gpa)
		return VMCFG_ENOSPC;
	first = (gpa - m->vm->ivc_window_gpa) / VMCFG_PAGE_SIZE;
	if (first > m->window_pages || need > m->window_pages - first)
		return VMCFG_ENOSPC;
	for (size_t i = (size_t)first; i < first + need; i++)
		if (page_used(m, i))
			return VMCFG_ENOSPC;
	mark(m, (size_t)first, (size_t)need, true);
	return 0;
}

void vmcfg_ivc_window_free(struct vmcfg_ivc_member *m, uint64_t gpa, uint64_t size)
{
	mark(m, (size_t)((gpa - m->vm->ivc_window_gpa) / VMCFG_PAGE_SIZE),
	     (size_t)(size / VMCFG_PAGE_SIZE), false);
}

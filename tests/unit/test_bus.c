/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the device bus: sorted half-open ranges, overlap refusal,
 * binary-search lookup checked against a linear scan, and errors (never a
 * crash) for accesses no device claims.
 */
#include "vm_fixture.h"

/* A device that records the last access and answers its own base plus offset. */
struct probe {
	uint64_t base, last_off, last_value;
	unsigned last_width;
};

static int probe_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	struct probe *p = dev;
	p->last_off = off;
	p->last_width = width;
	*value = p->base + off;
	return 0;
}

static int probe_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	struct probe *p = dev;
	p->last_off = off;
	p->last_width = width;
	p->last_value = value;
	return 0;
}

static const struct vmcfg_vm_device_ops probe_ops = { .read = probe_read, .write = probe_write };

static int refuse_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return VMCFG_EPERM;
}

static const struct vmcfg_vm_device_ops refuse_ops = { .read = refuse_read, .write = probe_write };

static void test_register_and_overlap(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_bus bus;
	struct probe p[4] = { { 0x1000, 0, 0, 0 }, { 0x3000, 0, 0, 0 }, { 0x2000, 0, 0, 0 }, { 0, 0, 0, 0 } };
	(void)state;
	vmcfg_vm_bus_init(&bus, &a);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x1000, 0x1000, "a", &probe_ops, &p[0]), 0);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x3000, 0x1000, "b", &probe_ops, &p[1]), 0);
	/* Adjacent on both sides is fine (half-open ranges). */
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x2000, 0x1000, "c", &probe_ops, &p[2]), 0);
	/* Overlaps: the left neighbour's tail, the right one's head, containing, contained. */
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x1fff, 2, "x", &probe_ops, NULL), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x0800, 0x801, "x", &probe_ops, NULL), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x0, 0x10000, "x", &probe_ops, NULL), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x2100, 0x10, "x", &probe_ops, NULL), VMCFG_EOVERLAP);
	assert_int_equal(vmcfg_vm_bus_count(&bus, VMCFG_VM_BUS_MMIO), 3);
	/* Sorted by base whatever the registration order. */
	assert_int_equal(vmcfg_vm_bus_entry_at(&bus, VMCFG_VM_BUS_MMIO, 0)->base, 0x1000);
	assert_int_equal(vmcfg_vm_bus_entry_at(&bus, VMCFG_VM_BUS_MMIO, 1)->base, 0x2000);
	assert_int_equal(vmcfg_vm_bus_entry_at(&bus, VMCFG_VM_BUS_MMIO, 2)->base, 0x3000);
	assert_null(vmcfg_vm_bus_entry_at(&bus, VMCFG_VM_BUS_MMIO, 3));
	/* Bad arguments. */
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x9000, 0, "x", &probe_ops, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_SPACE_COUNT, 0x9000, 1, "x", &probe_ops, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x9000, 1, "x", NULL, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, UINT64_MAX, 2, "x", &probe_ops, NULL), VMCFG_ERANGE);
	/* Spaces are independent. */
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_PIO, 0x1000, 8, "pio", &probe_ops, &p[3]), 0);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_SYSREG, 0x1000, 1, "reg", &probe_ops, &p[3]), 0);
	assert_ptr_equal(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_PIO, 0x1007)->dev, &p[3]);
	assert_null(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_SYSREG, 0x1001));
	/* Unregister. */
	assert_int_equal(vmcfg_vm_bus_unregister(&bus, VMCFG_VM_BUS_MMIO, 0x2000), 0);
	assert_int_equal(vmcfg_vm_bus_unregister(&bus, VMCFG_VM_BUS_MMIO, 0x2000), VMCFG_ENOENT);
	assert_int_equal(vmcfg_vm_bus_unregister(&bus, VMCFG_VM_BUS_MMIO, 0x1800), VMCFG_ENOENT);
	assert_null(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_MMIO, 0x2000));
	assert_int_equal(vmcfg_vm_bus_count(&bus, VMCFG_VM_BUS_MMIO), 2);
	vmcfg_vm_bus_release(&bus);
	assert_int_equal(st.in_use, 0);
}

static void test_dispatch(void **state)
{
	struct vmcfg_vm_bus bus;
	struct probe p = { 0x5000, 0, 0, 0 };
	uint64_t v = 99;
	(void)state;
	vmcfg_vm_bus_init(&bus, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x5000, 0x100, "p", &probe_ops, &p), 0);
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x6000, 0x100, "r", &refuse_ops, &p), 0);
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x5010, 4, &v), 0);
	assert_int_equal(v, 0x5010);
	assert_int_equal(p.last_off, 0x10);
	assert_int_equal(p.last_width, 4);
	/* A write is cut to its width; a read is masked to it. */
	assert_int_equal(vmcfg_vm_bus_write(&bus, VMCFG_VM_BUS_MMIO, 0x50fe, 2, 0x12345678), 0);
	assert_int_equal(p.last_value, 0x5678);
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x50ff, 1, &v), 0);
	assert_int_equal(v, 0xff);
	/* The last byte is inside, the end is not, nor is an access running past it. */
	v = 99;
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x5100, 1, &v), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x50fc, 8, &v), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x4fff, 1, &v), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, UINT64_MAX, 8, &v), VMCFG_EFAULT);
	assert_int_equal(vmcfg_vm_bus_write(&bus, VMCFG_VM_BUS_MMIO, 0, 4, 1), VMCFG_EFAULT);
	assert_int_equal(v, 99); /* untouched on failure */
	/* Widths other than 1, 2, 4, 8. */
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x5000, 3, &v), VMCFG_EINVAL);
	assert_int_equal(vmcfg_vm_bus_write(&bus, VMCFG_VM_BUS_MMIO, 0x5000, 16, 0), VMCFG_EINVAL);
	/* A device's own refusal reaches the caller. */
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, 0x6000, 4, &v), VMCFG_EPERM);
	assert_int_equal(v, 99);
	/* An empty space. */
	assert_int_equal(vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_PIO, 0x5000, 1, &v), VMCFG_EFAULT);
	assert_null(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_SPACE_COUNT, 0));
	vmcfg_vm_bus_release(&bus);
}

/* xorshift64: a fixed pseudo-random sequence. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_many_devices_match_linear_scan(void **state)
{
	enum { N = 4096 };
	static uint64_t base[N], size[N];
	struct vmcfg_vm_bus bus;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	(void)state;
	vmcfg_vm_bus_init(&bus, &vmcfg_host_allocator);
	/* Random disjoint ranges: slot i owns [i * 0x10000, +0x10000), a device takes part of it. */
	for (size_t i = 0; i < N; i++) {
		base[i] = i * 0x10000 + (next_rand(&seed) % 0x100) * 0x10;
		size[i] = 1 + next_rand(&seed) % 0x8000;
	}
	for (size_t k = 0; k < N; k++) { /* register in a shuffled order */
		size_t i = (k * 2654435761u) % N;
		assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, base[i], size[i], "d",
						 &probe_ops, &base[i]),
				 0);
	}
	for (int t = 0; t < 20000; t++) {
		uint64_t addr = next_rand(&seed) % ((uint64_t)N * 0x10000 + 0x1000);
		const struct vmcfg_vm_bus_entry *e = vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_MMIO, addr);
		const void *want = NULL;
		for (size_t i = 0; i < N && !want; i++)
			if (addr >= base[i] && addr - base[i] < size[i])
				want = &base[i];
		assert_ptr_equal(e ? e->dev : NULL, want);
	}
	vmcfg_vm_bus_release(&bus);
}

static void test_growth_failure_leaves_bus_intact(void **state)
{
	struct vmcfg_counting_alloc st = { 0 };
	struct vmcfg_allocator a = vmcfg_counting_allocator(&st);
	struct vmcfg_vm_bus bus;
	(void)state;
	vmcfg_vm_bus_init(&bus, &a);
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, i * 0x100, 0x100, "d", &probe_ops, NULL), 0);
	st.fail_at = st.calls + 1; /* the ninth needs the array to grow */
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x800, 0x100, "d", &probe_ops, NULL), VMCFG_ENOMEM);
	assert_int_equal(vmcfg_vm_bus_count(&bus, VMCFG_VM_BUS_MMIO), 8);
	for (uint64_t i = 0; i < 8; i++)
		assert_non_null(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_MMIO, i * 0x100 + 0x80));
	assert_null(vmcfg_vm_bus_find(&bus, VMCFG_VM_BUS_MMIO, 0x880));
	st.fail_at = 0;
	assert_int_equal(vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, 0x800, 0x100, "d", &probe_ops, NULL), 0);
	vmcfg_vm_bus_release(&bus);
	assert_int_equal(st.in_use, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_overlap),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_many_devices_match_linear_scan),
		cmocka_unit_test(test_growth_failure_leaves_bus_intact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

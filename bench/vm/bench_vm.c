/* SPDX-License-Identifier: MIT */
/*
 * bench/vm: what the VM layer costs at run time and at creation.
 *
 * 1. MMIO dispatch: vmcfg_vm_bus_read over N devices (binary search in a sorted
 *    array) against the reference's approach, a linear scan of the device
 *    list, both ending in the same device call, for N = 4 … 4096.
 * 2. vmcfg_vm_create of a VM with 1 GiB of MapAlloc RAM (eager: every frame
 *    zeroed) against memset of 1 GiB over the same, already faulted-in,
 *    host memory: zeroing is the floor, the ratio is the overhead of
 *    tables and bookkeeping. The simulated HAL zeroes through its
 *    zero_frames hook (a memset per contiguous run lib/mm hands it).
 *
 *   bench_vm                 both, wall clock (best of 5) and page faults
 *   bench_vm --create-once   one vm_create, one destroy and one memset of
 *                            1 GiB, for callgrind: instructions per step with
 *                            --toggle-collect=vmcfg_vm_create,
 *                            --toggle-collect=vmcfg_bench_memset (bench/vm/bench.mk)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmcfg/host.h"
#include "vmcfg/vm.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long minor_faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The floor, as its own function so callgrind can count it alone. */
__attribute__((noinline)) void vmcfg_bench_memset(void *p, size_t n);
__attribute__((noinline)) void vmcfg_bench_memset(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ volatile("" ::"r"(p) : "memory");
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int dev_read(void *dev, uint64_t off, unsigned width, uint64_t *value)
{
	(void)width;
	*value = (uint64_t)(uintptr_t)dev + off;
	return 0;
}

static int dev_write(void *dev, uint64_t off, unsigned width, uint64_t value)
{
	(void)dev, (void)off, (void)width, (void)value;
	return 0;
}

static const struct vmcfg_vm_device_ops ops = { .read = dev_read, .write = dev_write };

/* The reference's lookup: the first device in the list whose range holds addr. */
struct linear_dev {
	uint64_t base, end;
	void *dev;
};

static int linear_read(const struct linear_dev *d, size_t n, uint64_t addr, uint64_t *value)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= d[i].base && addr < d[i].end)
			return ops.read(d[i].dev, addr - d[i].base, 4, value);
	return VMCFG_EFAULT;
}

#define DEV_STRIDE 0x10000ull
#define DEV_SIZE 0x1000ull

static void bench_dispatch(void)
{
	static const size_t counts[] = { 4, 16, 64, 256, 1024, 4096 };
	printf("MMIO dispatch (4-byte reads at random device addresses)\n");
	printf("  devices   bus ns/access   linear ns/access   speed-up\n");
	for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
		size_t n = counts[c];
		struct vmcfg_vm_bus bus;
		struct linear_dev *lin = malloc(n * sizeof *lin);
		uint64_t *addrs = malloc(4096 * sizeof *addrs), seed = 0x9e3779b97f4a7c15ull, sink = 0, v;
		vmcfg_vm_bus_init(&bus, &vmcfg_host_allocator);
		for (size_t i = 0; i < n; i++) {
			/* Registered in a scrambled order; the linear list keeps that order. */
			size_t slot = (i * 2654435761u) % n;
			lin[i] = (struct linear_dev){ slot * DEV_STRIDE, slot * DEV_STRIDE + DEV_SIZE,
						      (void *)(uintptr_t)(slot + 1) };
			if (vmcfg_vm_bus_register(&bus, VMCFG_VM_BUS_MMIO, lin[i].base, DEV_SIZE, "d", &ops, lin[i].dev))
				abort();
		}
		for (size_t i = 0; i < 4096; i++)
			addrs[i] = (next_rand(&seed) % n) * DEV_STRIDE + (next_rand(&seed) % DEV_SIZE & ~3ull);
		/* Enough accesses for ~0.1 s of the slower one. */
		size_t iters = n >= 1024 ? 200000 : 2000000;
		double t0 = now();
		for (size_t i = 0; i < iters; i++) {
			if (vmcfg_vm_bus_read(&bus, VMCFG_VM_BUS_MMIO, addrs[i & 4095], 4, &v))
				abort();
			sink += v;
		}
		double t1 = now();
		for (size_t i = 0; i < iters; i++) {
			if (linear_read(lin, n, addrs[i & 4095], &v))
				abort();
			sink += v;
		}
		double t2 = now();
		double bus_ns = (t1 - t0) * 1e9 / (double)iters, lin_ns = (t2 - t1) * 1e9 / (double)iters;
		printf("  %7zu   %13.1f   %16.1f   %7.1fx%s\n", n, bus_ns, lin_ns, lin_ns / bus_ns,
		       sink == 42 ? " " : "");
		vmcfg_vm_bus_release(&bus);
		free(lin);
		free(addrs);
	}
}

static const char vm_1g[] =
	"[base]\nid = 1\nname = \"big\"\nvm_type = 2\ncpu_num = 1\n"
	"[kernel]\nentry_point = 0x4008_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4008_0000\n"
	"memory_regions = [[0x4000_0000, 0x4000_0000, 0x7, 0]]\n"
	"[devices]\nemu_devices = []\npassthrough_devices = []\n";

static void bench_create(int rounds)
{
	const size_t guest = 1ull << 30, host = guest + (64u << 20);
	uint8_t *ram = aligned_alloc(1u << 21, host);
	size_t words = VMCFG_SIM_BITMAP_WORDS(host);
	uint64_t *bitmap = calloc(words, sizeof *bitmap);
	struct vmcfg_diags d;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_vm_config *cfg = NULL;
	if (!ram || !bitmap)
		abort();
	memset(ram, 0xa5, host); /* fault every page in: both sides run on warm memory */
	/* The config's allocator is the VM's bookkeeping allocator: count it. */
	struct vmcfg_counting_alloc heap = { 0 };
	struct vmcfg_allocator counted = vmcfg_counting_allocator(&heap);
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	if (vmcfg_vm_spec_load(vm_1g, sizeof vm_1g - 1, "big.toml", &vmcfg_host_allocator, &d, &spec) ||
	    !spec || d.errors || vmcfg_vm_config_from_spec(spec, &counted, &cfg))
		abort();
	size_t heap_config = heap.in_use, heap_create = 0;

	double best_create = 1e9, best_destroy = 1e9, best_memset = 1e9;
	long faults_create = 0, faults_memset = 0;
	unsigned tables = 0;
	uint64_t zero_calls = 0;
	for (int round = 0; round < rounds; round++) {
		struct vmcfg_sim_mem sim;
		if (vmcfg_sim_mem_init(&sim, ram, host, 0x1000000000ull, bitmap, words, false))
			abort();
		struct vmcfg_hal hal = vmcfg_sim_mem_hal(&sim);
		struct vmcfg_vm_create_opts o = { .arch = VMCFG_ARCH_AARCH64 };
		struct vmcfg_vm *vm = NULL;
		long f0 = minor_faults();
		double t0 = now();
		heap.peak = heap.in_use;
		if (vmcfg_vm_create(cfg, NULL, &hal, &o, &vm))
			abort();
		double t1 = now();
		faults_create = minor_faults() - f0;
		heap_create = heap.peak - heap_config;
		tables = (unsigned)vm->aspace.stats.table_pages;
		zero_calls = sim.zero_calls;
		if (vmcfg_vm_destroy(vm))
			abort();
		double t2 = now();
		f0 = minor_faults();
		vmcfg_bench_memset(ram, guest);
		double t3 = now();
		faults_memset = minor_faults() - f0;
		if (t1 - t0 < best_create)
			best_create = t1 - t0;
		if (t2 - t1 < best_destroy)
			best_destroy = t2 - t1;
		if (t3 - t2 < best_memset)
			best_memset = t3 - t2;
	}
	printf("\nvm_create, 1 GiB MapAlloc (eager, zeroed), best of %d\n", rounds);
	printf("  memset 1 GiB                   %8.1f ms  (%ld page faults)\n", best_memset * 1e3,
	       faults_memset);
	printf("  vmcfg_vm_create                %8.1f ms  (%.2fx memset; %ld page faults; "
	       "%u page-table pages; %llu zero_frames calls; %zu bytes of heap)\n",
	       best_create * 1e3, best_create / best_memset, faults_create, tables,
	       (unsigned long long)zero_calls, heap_create);
	printf("  vmcfg_vm_destroy (scrub+free)  %8.1f ms  (%.2fx memset)\n", best_destroy * 1e3,
	       best_destroy / best_memset);
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&d);
	free(bitmap);
	free(ram);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--create-once")) {
		bench_create(1);
		return 0;
	}
	bench_dispatch();
	bench_create(5);
	return 0;
}

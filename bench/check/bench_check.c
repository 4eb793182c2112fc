/*
 * Checker benchmark: a generated system of N VMs (8 identity-mapped RAM
 * regions, 2 emulated devices and 2 passthrough windows each, no conflicts)
 * on a platform with one large RAM bank. Decoding is done first and not
 * timed; the timed part is vmcfg_check_system (best of R runs).
 *
 *   bench_check N [R]   prints "vms=N ranges=… errors=… best_ms=…"
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vmcfg/check.h"
#include "vmcfg/host.h"

/* VM i's file: every host range distinct from every other VM's. */
static int format_vm(char *buf, size_t size, unsigned i)
{
	unsigned long long ram = 0x100000000ull + (unsigned long long)i * 0x1000000ull;
	unsigned long long hpa = 0x20000000000ull + (unsigned long long)i * 0x10000ull;
	int n = snprintf(buf, size,
			 "[base]\nid = %u\nname = \"vm%u\"\nvm_type = 1\ncpu_num = 1\n\n"
			 "[kernel]\nentry_point = %#llx\nkernel_path = \"k.bin\"\nkernel_load_addr = %#llx\n"
			 "memory_regions = [\n",
			 i + 1, i, ram, ram);
	for (unsigned r = 0; r < 8; r++)
		n += snprintf(buf + n, size - (size_t)n, "  [%#llx, 0x100000, 0x7, 1],\n",
			      ram + r * 0x200000ull);
	n += snprintf(buf + n, size - (size_t)n,
		      "]\n\n[devices]\ninterrupt_mode = \"emu\"\nemu_devices = [\n"
		      "  [\"console\", 0x9000000, 0x1000, 33, 0x02, []],\n"
		      "  [\"ivc\", 0x10000000, 0x10000, 0, 0x0A, []],\n]\n"
		      "passthrough_devices = [\n"
		      "  [\"dev0\", 0xa000000, %#llx, 0x1000, 0],\n"
		      "  [\"dev1\", 0xa001000, %#llx, 0x1000, 0],\n]\n",
		      hpa, hpa + 0x1000);
	return n;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	const struct vmcfg_allocator *alloc = &vmcfg_host_allocator;
	struct vm_spec **specs = calloc(n, sizeof *specs);
	struct vmcfg_diags decode;
	char text[4096];
	vmcfg_diags_init(&decode, alloc);
	for (unsigned i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "vm%u.toml", i);
		int len = format_vm(text, sizeof text, i);
		if (vm_spec_load(text, (size_t)len, name, alloc, &decode, &specs[i]) || !specs[i]) {
			fprintf(stderr, "bench_check: decode failed\n");
			return 1;
		}
	}
	if (decode.errors) {
		fprintf(stderr, "bench_check: generated VMs have %zu decode errors\n", decode.errors);
		return 1;
	}
	const struct vmcfg_host_range ram = { NULL, 0x100000000ull, 1ull << 40, { 0, 0, 0, 0 } };
	struct vmcfg_platform platform = { 0 };
	platform.arch = VMCFG_ARCH_AARCH64;
	platform.cpu_num = 8;
	platform.ipa_bits = 48;
	platform.ram = &ram;
	platform.ram_count = 1;

	double best = 1e300;
	size_t errors = 0;
	for (int r = 0; r < runs; r++) {
		struct vmcfg_diags d;
		vmcfg_diags_init(&d, alloc);
		double t0 = now_ms();
		int rc = vmcfg_check_system(NULL, &platform, (const struct vm_spec *const *)specs, n,
					    NULL, &d);
		double t = now_ms() - t0;
		if (rc) {
			fprintf(stderr, "bench_check: %s\n", vmcfg_strerror(rc));
			return 1;
		}
		errors = d.errors + d.warnings;
		vmcfg_diags_free(&d);
		if (t < best)
			best = t;
	}
	printf("vms=%u ranges=%u findings=%zu best_ms=%.3f\n", n, n * 12, errors, best);
	for (unsigned i = 0; i < n; i++)
		vm_spec_free(specs[i]);
	free(specs);
	vmcfg_diags_free(&decode);
	return errors != 0;
}

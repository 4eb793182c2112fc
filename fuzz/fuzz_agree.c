/* SPDX-License-Identifier: MIT */
/*
 * Differential libFuzzer target for the contract of docs/diagnostics.md:
 * whatever `vmcfg check` passes, `vmcfg build` builds. Structure-aware: a
 * custom mutator rewrites the numbers of a real VM file (one to three
 * integer literals, to boundary values: 0, a page ± 1, 2^39, 2^40, 2^48,
 * 2^60, 2^63, 2^64 − 4 KiB, the GIC frames, …) or drops or doubles one
 * entry line, rather than flipping bytes, so inputs stay TOML and reach
 * the checker and vm_create.
 *
 * Per input: decode, check (vmcfg_check_system on the one VM, no
 * platform — what `vmcfg check FILE` runs); when check reports no error,
 * convert and build it as `vmcfg build FILE` does: vmcfg_vm_create with
 * the hypervisor's device models (vmcfg_vm_hv_model_factory) on the CLI's
 * simulated host (tools/vmcfg/sim_host.c, compiled in). A build that fails
 * is a disagreement: the input is printed with vm_create's reason and the
 * target aborts. `map` is not run: it draws a conflict only where the
 * checker reports a finding on both rows, by construction
 * (tools/vmcfg/map_model.c).
 *
 * Left out, as known gaps rather than findings (docs/diagnostics.md):
 * inputs whose allocated RAM exceeds 256 MiB (the simulated host takes
 * minutes to allocate hundreds of GiB), and files with device-tree-path
 * passthrough entries (neither side has a host DT here).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmcfg/check.h"
#include "vmcfg/config.h"
#include "vmcfg/host.h"
#include "vmcfg/vm.h"

#include "../tools/vmcfg/sim_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#define MAX_ALLOC_RAM (256ull << 20)

/* ---- the mutator ---- */

static const uint64_t boundary[] = {
	0, 1, 0xfff, 0x1000, 0x1001, 0x200, 0x10000, 0x20000, 1ull << 39, 1ull << 40, 1ull << 48,
	1ull << 60, 1ull << 63, UINT64_MAX - 0xfff, UINT64_MAX, 0x8000000, 0x80a0000, 0x9000000,
	0x40000000, 0x80000000, 0x100000, 0x3f8, 0x40, 8, 4, 0x17, 0x37, 0x13, 0x7, 3, 2, 1,
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* Start and end of the n-th integer literal outside comments and strings; false when none. */
static bool nth_number(const char *t, size_t len, size_t n, size_t *start, size_t *end)
{
	size_t seen = 0;
	bool comment = false, string = false;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (c == '\n') {
			comment = string = false;
			continue;
		}
		if (comment)
			continue;
		if (string) {
			string = c != '"';
			continue;
		}
		if (c == '#' || c == '"') {
			comment = c == '#';
			string = c == '"';
			continue;
		}
		bool boundary_before = i == 0 || !(t[i - 1] == '_' || t[i - 1] == '.' ||
						  (t[i - 1] >= '0' && t[i - 1] <= '9') ||
						  (t[i - 1] >= 'a' && t[i - 1] <= 'z') ||
						  (t[i - 1] >= 'A' && t[i - 1] <= 'Z'));
		if (!boundary_before || c < '0' || c > '9')
			continue;
		size_t j = i + 1;
		while (j < len && ((t[j] >= '0' && t[j] <= '9') || t[j] == '_' || t[j] == 'x' ||
				   (t[j] >= 'a' && t[j] <= 'f') || (t[j] >= 'A' && t[j] <= 'F')))
			j++;
		if (seen++ == n) {
			*start = i;
			*end = j;
			return true;
		}
		i = j - 1;
	}
	return false;
}

static size_t count_numbers(const char *t, size_t len)
{
	size_t n = 0, s, e;
	while (nth_number(t, len, n, &s, &e))
		n++;
	return n;
}

/* Replaces [start, end) of data (size bytes) by rep; returns the new size or 0 if it does not fit. */
static size_t splice(uint8_t *data, size_t size, size_t max, size_t start, size_t end, const char *rep,
		     size_t rlen)
{
	if (size - (end - start) + rlen > max)
		return 0;
	memmove(data + start + rlen, data + end, size - end);
	memcpy(data + start, rep, rlen);
	return size - (end - start) + rlen;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t s = seed | 1;
	size_t n = count_numbers((const char *)data, size);
	int edits = 1 + (int)(rnd(&s) % 3);
	for (int k = 0; k < edits; k++) {
		size_t start, end, out;
		if (rnd(&s) % 8 == 0) { /* an entry line dropped or doubled */
			size_t lines = 0;
			for (size_t i = 0; i < size; i++)
				lines += data[i] == '\n';
			if (!lines)
				continue;
			size_t want = rnd(&s) % lines, at = 0, line = 0;
			while (line < want && at < size)
				line += data[at++] == '\n';
			size_t stop = at;
			while (stop < size && data[stop] != '\n')
				stop++;
			if (stop < size)
				stop++;
			if (!(stop > at && data[at] == ' ')) /* entries of arrays are indented */
				continue;
			char line_copy[256];
			size_t ll = stop - at < sizeof line_copy ? stop - at : 0;
			if (!ll)
				continue;
			memcpy(line_copy, data + at, ll);
			out = rnd(&s) & 1 ? splice(data, size, max_size, at, stop, "", 0)
					  : splice(data, size, max_size, at, at, line_copy, ll);
			size = out ? out : size;
			n = count_numbers((const char *)data, size);
			continue;
		}
		if (!n || !nth_number((const char *)data, size, rnd(&s) % n, &start, &end))
			continue;
		uint64_t old = strtoull((const char *)data + start, NULL, 0), v;
		switch (rnd(&s) % 3) {
		case 0:
			v = boundary[rnd(&s) % (sizeof boundary / sizeof boundary[0])];
			break;
		case 1:
			v = old + (rnd(&s) & 1 ? 0x1000 : 1) * (rnd(&s) & 1 ? 1 : -1ull);
			break;
		default:
			v = old ^ (1ull << (rnd(&s) % 64));
			break;
		}
		char rep[32];
		int rl = snprintf(rep, sizeof rep, "0x%llx", (unsigned long long)v);
		out = splice(data, size, max_size, start, end, rep, (size_t)rl);
		size = out ? out : size;
	}
	return size;
}

/* ---- the target ---- */

static uint64_t alloc_ram(const struct vmcfg_vm_config *c)
{
	uint64_t total = 0;
	for (size_t i = 0; i < c->region_count; i++)
		if (c->regions[i].map_type == VMCFG_MAP_ALLOC)
			total += c->regions[i].size > MAX_ALLOC_RAM ? MAX_ALLOC_RAM + 1 : c->regions[i].size;
	return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcfg_diags diags;
	struct vmcfg_vm_spec *spec = NULL;
	struct vmcfg_vm_config *cfg = NULL;
	vmcfg_diags_init(&diags, &vmcfg_host_allocator);
	if (vmcfg_vm_spec_load((const char *)data, size, "fuzz.toml", &vmcfg_host_allocator, &diags,
			       &spec) || !spec || diags.errors)
		goto out;
	/* A device-tree path needs the host DT, which neither side has here (a known gap). */
	for (size_t i = 0; i < spec->devices.pt_count; i++)
		if (spec->devices.pt[i].is_dt_path)
			goto out;
	const struct vmcfg_vm_spec *specs[1] = { spec };
	if (vmcfg_check_system(NULL, NULL, specs, 1, NULL, &diags) || diags.errors)
		goto out;
	if (vmcfg_vm_config_from_spec(spec, &vmcfg_host_allocator, &cfg)) {
		fprintf(stderr, "fuzz_agree: check passed but the file does not convert\n%.*s\n",
			(int)size, (const char *)data);
		abort();
	}
	if (alloc_ram(cfg) > MAX_ALLOC_RAM)
		goto out;
	struct sim_host host;
	char err[256] = "";
	const struct vmcfg_vm_config *configs[1] = { cfg };
	if (sim_host_init(&host, configs, 1, NULL, err, sizeof err) == 0) {
		struct vmcfg_vm *vm = NULL;
		char why[256] = "";
		struct vmcfg_vm_create_opts co = { .arch = VMCFG_ARCH_AARCH64,
						   .device_factory = vmcfg_vm_hv_model_factory,
						   .error = why, .error_size = sizeof why };
		if (vmcfg_vm_create(cfg, NULL, &host.hal, &co, &vm)) {
			fprintf(stderr, "fuzz_agree: check passed, build refused: %s\n%.*s\n", why,
				(int)size, (const char *)data);
			abort();
		}
		vmcfg_vm_destroy(vm);
	}
	sim_host_free(&host);
out:
	vmcfg_vm_config_free(cfg);
	vmcfg_vm_spec_free(spec);
	vmcfg_diags_free(&diags);
	return 0;
}

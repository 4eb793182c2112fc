/* SPDX-License-Identifier: MIT */
/*
 * The simulated host `vmcfg build` builds VMs on: physical RAM banks, each
 * a vmcfg_sim_mem over an mmap'ed buffer (pages cost nothing until
 * touched), behind one HAL that dispatches by address.
 *
 * Which RAM: with a platform, exactly its RAM banks (and its hypervisor
 * memory reserved), so an identical region outside them falls back to a
 * linear mapping with the warning a real boot would give. Without one, a
 * bank per identical region (the configs say that memory is host RAM) and
 * a pool for allocations placed above every host address the configs
 * name. Either way frames outside identical regions are handed out first,
 * as a hypervisor that set those regions aside at boot would.
 */
#ifndef VMCFG_TOOLS_SIM_HOST_H
#define VMCFG_TOOLS_SIM_HOST_H

#include <stdio.h>

#include "vmcfg/check.h"
#include "vmcfg/config.h"
#include "vmcfg/hal.h"

/* A host physical range [base, end). */
struct sim_range {
	uint64_t base, end;
};

struct sim_bank {
	struct vmcfg_sim_mem sim;
	void *ram;
	size_t size;
	uint64_t *bitmap;
	bool identical; /* covers an identical region: allocations come here last */
};

/* One line the library logged, kept for the VM being built. */
struct sim_log_line {
	enum vmcfg_log_level level;
	char *text;
};

struct sim_host {
	struct sim_bank *banks; /* in allocation order */
	size_t bank_count;
	struct vmcfg_hal hal;
	struct sim_log_line *log;
	size_t log_count, log_cap;
};

/*
 * Builds the simulated host for configs (NULL entries skipped) and the
 * platform (may be NULL). Writes a reason to err and returns VMCFG_ENOMEM
 * (buffers), VMCFG_ELIMIT (more RAM than the simulation maps, 1 TiB) or
 * VMCFG_ERANGE (no room for the pool); 0 on success.
 */
int sim_host_init(struct sim_host *h, const struct vmcfg_vm_config *const *configs, size_t n,
		  const struct vmcfg_platform *platform, char *err, size_t err_size);

void sim_host_free(struct sim_host *h);

/* Forgets the logged lines (before building the next VM). */
void sim_host_clear_log(struct sim_host *h);

/*
 * The most RAM the simulated host holds (the platform's banks, or the pool
 * and identity RAM without a platform): beyond it sim_host_init fails with
 * VMCFG_ELIMIT, a limit of the tool (build exits 2), not of the configuration.
 */
#define SIM_HOST_MAX_BYTES (1ull << 42)

/*
 * The bytes of p's RAM that sim_host_init simulates: its banks page-rounded
 * inward, overlaps counted once; UINT64_MAX when memory ran out.
 */
uint64_t sim_host_platform_ram(const struct vmcfg_platform *p);

/*
 * Without a host device tree, the device-tree-path passthrough entries
 * (["/"], ["/pl011@9000000"]) cannot be resolved: removes them from cfg,
 * each named in a warning on h's log, so the VM is built without them, as
 * check's note (N0313) says. The hypervisor resolves them from its host
 * DTB at boot; check and build with --platform see what it sees.
 */
void sim_host_drop_dt_paths(struct sim_host *h, struct vmcfg_vm_config *cfg);

/* Frames in use over all banks. */
size_t sim_host_frames_in_use(const struct sim_host *h);

/* Describes the banks, one line each ("  [base, end) size role"). */
void sim_host_describe(const struct sim_host *h, FILE *out);

/*
 * The host's RAM as sorted [base, end) ranges, banks that touch joined
 * (the cuts at identical regions undone): the platform's RAM banks, or the
 * simulated ones without a platform. *out is malloc'ed (NULL and 0 when
 * memory ran out; the caller frees it).
 */
size_t sim_host_ram(const struct sim_host *h, struct sim_range **out);

#endif

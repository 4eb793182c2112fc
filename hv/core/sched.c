/* SPDX-License-Identifier: MIT */
/* Placement of vCPUs on physical CPUs and the per-CPU round-robin loop. */
#include "core/arch.h"
#include "core/console.h"
#include "core/sched.h"

/* Set by the boot CPU once every VM is created and placed. */
static bool go;

int sched_place(struct hv_vm *hv)
{
	uint32_t choice[HV_VM_MAX_VCPUS], load[HV_MAX_CPUS];

	for (uint32_t c = 0; c < HV_MAX_CPUS; c++)
		load[c] = cpus[c].runq_len;
	for (uint32_t i = 0; i < hv->vcpu_count; i++) {
		const struct vmcfg_vm_vcpu *plan = &hv->vm->vcpus[i];
		uint32_t best = HV_MAX_CPUS;

		for (uint32_t c = 0; c < HV_MAX_CPUS; c++) {
			bool allowed = !plan->has_mask || (c < 64 && (plan->pcpu_mask >> c & 1));

			if (allowed && __atomic_load_n(&cpus[c].online, __ATOMIC_ACQUIRE) &&
			    (best == HV_MAX_CPUS || load[c] < load[best]))
				best = c;
		}
		if (best == HV_MAX_CPUS) {
			hv_log("vm '%s': vCPU %u: phys_cpu_sets %#llx names no online CPU",
			       hv->vm->name, i, (unsigned long long)plan->pcpu_mask);
			return VMCFG_EINVAL;
		}
		if (load[best] == HV_CPU_MAX_VCPUS) {
			hv_log("vm '%s': vCPU %u: cpu%u runs %d vCPUs already", hv->vm->name, i,
			       best, HV_CPU_MAX_VCPUS);
			return VMCFG_ELIMIT;
		}
		choice[i] = best;
		load[best]++;
	}
	for (uint32_t i = 0; i < hv->vcpu_count; i++) {
		struct cpu *c = &cpus[choice[i]];

		hv->vcpus[i].pcpu = choice[i];
		c->runq[c->runq_len++] = &hv->vcpus[i];
	}
	return 0;
}

/* The next runnable vCPU of c after position *next, round-robin, or NULL. */
static struct vcpu *pick(struct cpu *c, uint32_t *next)
{
	for (uint32_t k = 0; k < c->runq_len; k++) {
		uint32_t at = (*next + k) % c->runq_len;
		struct vcpu *v = c->runq[at];

		if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNABLE &&
		    hv_vm_live(v->vm) && !hv_vm_resetting(v->vm)) {
			*next = (at + 1) % c->runq_len;
			return v;
		}
	}
	return NULL;
}

/* Parks this CPU's vCPUs whose VM is being reset (core/vm.c: the last one resets it). */
static void park_resetting(struct cpu *c)
{
	for (uint32_t k = 0; k < c->runq_len; k++) {
		struct vcpu *v = c->runq[k];
		struct hv_vm *hv = v->vm;

		uint32_t parked = __atomic_load_n(&hv->parked, __ATOMIC_ACQUIRE);

		if (hv_vm_resetting(hv) && !(parked >> v->id & 1))
			hv_vm_park(v);
	}
}

/* This CPU's loop: runs its vCPUs until no VM is live anywhere. */
static void schedule(void)
{
	struct cpu *c = this_cpu();
	uint32_t next = 0;

	while (hv_vm_live_count()) {
		struct vcpu *v;

		park_resetting(c);
		v = pick(c, &next);

		if (v) {
			vcpu_run(v);
		} else {
			/*
			 * Nothing to run here until a guest CPU_ON, a VM's reset or
			 * the last VM's end, each of which kicks this CPU. The loaded
			 * vCPU (of an ended VM) is put first: that silences its
			 * virtual timer, which would end every sleep.
			 */
			vcpu_put_current();
			hv_arch_idle();
		}
	}
	vcpu_put_current();
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
}

void sched_run_all(void)
{
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	/* go, and the stage-2 tables written so far, visible before the CPUs wake. */
	hv_arch_release();
	schedule();
	for (uint32_t i = 1; i < HV_MAX_CPUS; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE)) {
			/* One that came online after the release may sleep in hv_arch_wait: once is enough. */
			hv_arch_kick(i);
			while (!__atomic_load_n(&cpus[i].done, __ATOMIC_ACQUIRE))
				;
		}
}

void sched_secondary(void)
{
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		hv_arch_wait();
	schedule();
}

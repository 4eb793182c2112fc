/* The boot flow: select VMs, create them all, run them, report, pick the exit status. */
#include "core/console.h"
#include "core/frames.h"
#include "core/libc.h"
#include "core/panic.h"
#include "core/vm.h"
#include "core/vm_boot.h"

#define HV_MAX_VMS 8

static struct vm vms[HV_MAX_VMS];

/* Calls fn(name, len) for each non-empty comma-separated name of list; false if fn does. */
static bool each_name(const char *list, size_t len, bool (*fn)(const char *, size_t, void *),
		      void *ud)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++)
		if (i == len || list[i] == ',') {
			if (i > start && !fn(list + start, i - start, ud))
				return false;
			start = i + 1;
		}
	return true;
}

static bool same_name(const char *name, size_t len, const char *want)
{
	return want && strlen(want) == len && memcmp(name, want, len) == 0;
}

/* each_name callback: stops (false) at the VM name wanted. */
static bool not_this(const char *name, size_t len, void *want)
{
	return !same_name(name, len, want);
}

struct known {
	const struct hv_vm_source *src;
	size_t count;
	bool all_known;
};

/* each_name callback: reports a name no source has. */
static bool check_known(const char *name, size_t len, void *ud)
{
	struct known *k = ud;

	for (size_t i = 0; i < k->count; i++)
		if (same_name(name, len, k->src[i].config->name))
			return true;
	hv_log("vms=: no VM named '%.*s'", (int)len, name);
	k->all_known = false;
	return true; /* go on: report every unknown name */
}

static bool selected(const struct hv_vm_source *s, const char *select, size_t select_len)
{
	if (!select)
		return s->by_default;
	return !each_name(select, select_len, not_this, (void *)s->config->name);
}

int vm_boot(const struct hv_vm_source *src, size_t count, const char *select, size_t select_len)
{
	size_t created = 0, failed = 0, off = 0;

	if (select) {
		struct known k = { src, count, true };

		each_name(select, select_len, check_known, &k);
		failed += !k.all_known;
	}
	for (size_t i = 0; i < count; i++) {
		const struct vm_config *cfg = src[i].config;
		struct vm *vm;

		if (!selected(&src[i], select, select_len))
			continue;
		if (created == HV_MAX_VMS) {
			hv_log("vm '%s' (%s): not created: at most %d VMs", cfg->name,
			       src[i].origin, HV_MAX_VMS);
			failed++;
			continue;
		}
		/* VMID 0 stays unused: a VTTBR_EL2 never set up never aliases a VM. */
		vm = &vms[created];
		if (hv_vm_create(vm, cfg, (uint16_t)(created + 1), frames_hal())) {
			hv_log("vm '%s' (%s): not created", cfg->name, src[i].origin);
			failed++;
			continue;
		}
		hv_log("vm '%s' (id %llu, VMID %u, %s): %u vCPU(s), entry %#llx", vm->name,
		       (unsigned long long)vm->id, vm->vmid, src[i].origin, vm->vcpu_count,
		       (unsigned long long)vm->vcpus[0].regs.pc);
		created++;
	}

	/* One physical CPU runs the VMs in turn, each to its end (no scheduler yet). */
	for (size_t i = 0; i < created; i++) {
		hv_vm_run(&vms[i]);
		off += vms[i].state == VM_OFF;
		hv_vm_destroy(&vms[i]);
	}
	hv_log("%zu VM(s) ran: %zu powered off, %zu stopped by the hypervisor; %zu failed to start",
	       created, off, created - off, failed);
	if (created == 0 && failed == 0) {
		hv_log("no VM selected");
		return HV_EXIT_VM_FAILED;
	}
	return off == created && failed == 0 ? HV_EXIT_OK : HV_EXIT_VM_FAILED;
}

/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lib/ivc: channels between VMs built by vmcfg_vm_create, access
 * control from a system's [[ivc]] declarations, reference counting of the
 * shared frames, guest windows, quotas, the hypercall entry with hostile
 * pointers, and a model-based run of random operations from three VMs.
 */
#include "vm_fixture.h"
#include "vmcfg/check.h"
#include "vmcfg/ivc.h"

#define HOST_BASE 0x8000000000ull
#define HOST_SIZE (64u << 20)
#define WINDOW 0x10000000ull
#define WINDOW_SIZE 0x40000ull /* 64 pages */

#define IVC_VM(id, name)                                                                      \
	"[base]\nid = " #id "\nname = \"" name "\"\nvm_type = 1\ncpu_num = 1\n"                  \
	"[kernel]\nentry_point = 0x4000_0000\nkernel_path = \"k\"\nkernel_load_addr = 0x4000_0000\n" \
	"memory_regions = [[0x4000_0000, 0x10_0000, 0x7, 0], [0x4800_0000, 0x1000, 0x5, 0]]\n"  \
	"[devices]\nemu_devices = [[\"ivc\", 0x1000_0000, 0x4_0000, 0, 0xA, []]]\n"               \
	"passthrough_devices = []\n"

struct world {
	struct fixture f;
	struct vmcfg_vm_config *cfg[3];
	struct vmcfg_vm *vm[3];
	struct vmcfg_system *sys;
	struct vmcfg_ivc_registry reg;
	unsigned unmapped_calls;
};

static void on_unmapped(void *ud, struct vmcfg_vm *vm, uint64_t gpa, uint64_t size)
{
	struct world *w = ud;
	(void)gpa, (void)size;
	w->unmapped_calls++;
	vmcfg_aspace_release_retired(&vm->aspace); /* after the TLB invalidation an embedder does */
}

/*
 * The system of the tests that exercise the channels rather than the
 * access control: everything allowed, as it must be asked for.
 */
#define OPEN_SYSTEM "vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\nivc_policy = \"open\"\n"
/* world_init's system_toml for a registry with no system at all. */
static const char NO_SYSTEM[] = "";

/* system_toml NULL: OPEN_SYSTEM. */
static void world_init(struct world *w, const char *system_toml,
		       const struct vmcfg_ivc_limits *limits)
{
	static const char *const files[3] = { IVC_VM(1, "a"), IVC_VM(2, "b"), IVC_VM(3, "c") };
	char err[256];
	memset(w, 0, sizeof *w);
	fx_init(&w->f, HOST_BASE, HOST_SIZE, true);
	struct vmcfg_vm_create_opts o = fx_opts(err, sizeof err);
	for (int i = 0; i < 3; i++) {
		w->cfg[i] = fx_config(&w->f, files[i]);
		assert_int_equal(vmcfg_vm_create(w->cfg[i], NULL, &w->f.hal, &o, &w->vm[i]), 0);
	}
	if (!system_toml)
		system_toml = OPEN_SYSTEM;
	if (system_toml != NO_SYSTEM) {
		struct vmcfg_diags d;
		vmcfg_diags_init(&d, &vmcfg_host_allocator);
		assert_int_equal(vmcfg_system_load(system_toml, strlen(system_toml), "sys.toml",
						   &vmcfg_host_allocator, &d, &w->sys),
				 0);
		assert_int_equal(d.errors, 0);
		vmcfg_diags_free(&d);
	}
	assert_int_equal(vmcfg_ivc_init(&w->reg, &w->f.alloc, &w->f.hal, w->sys, limits,
					on_unmapped, w),
			 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(vmcfg_ivc_attach(&w->reg, w->vm[i]), 0);
}

/* Frames held by the VMs themselves (RAM and tables). */
static uint64_t vm_frames(const struct world *w)
{
	uint64_t n = 0;
	for (int i = 0; i < 3; i++) {
		struct vmcfg_aspace_stats st;
		vmcfg_aspace_stats(&w->vm[i]->aspace, &st);
		n += st.owned_frames + st.table_pages;
	}
	return n;
}

static void world_free(struct world *w)
{
	vmcfg_ivc_destroy(&w->reg);
	assert_int_equal(vm_frames(w), w->f.sim.in_use); /* every channel frame is back */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(w->vm[i]->ivc_attached, 0);
		assert_int_equal(vmcfg_vm_destroy(w->vm[i]), 0);
		vmcfg_vm_config_free(w->cfg[i]);
	}
	vmcfg_system_free(w->sys);
	assert_int_equal(w->f.sim.in_use, 0);
	assert_int_equal(w->f.counts.in_use, 0);
	fx_free(&w->f);
}

static void test_publish_subscribe_share(void **state)
{
	struct world w;
	uint64_t gpa, size, sgpa, ssize;
	bool rw;
	struct vmcfg_ivc_header h;
	char msg[32];
	(void)state;
	world_init(&w, NULL, NULL);
	/* Larger than a page (the reference capped the area at 4 KiB). */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 7, 0x2800, &gpa, &size), 0);
	assert_int_equal(size, 0x3000);
	assert_true(gpa >= WINDOW && gpa + size <= WINDOW + WINDOW_SIZE);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), 3);
	/* Zeroed past the header (the sim poisons free frames), header filled in. */
	assert_int_equal(vmcfg_aspace_read(&w.vm[0]->aspace, gpa, &h, sizeof h), 0);
	assert_int_equal(h.magic, VMCFG_IVC_MAGIC);
	assert_int_equal(h.publisher_id, 1);
	assert_int_equal(h.key, 7);
	assert_int_equal(h.size, 0x3000);
	uint8_t tail[64], zero[64] = { 0 };
	assert_int_equal(vmcfg_aspace_read(&w.vm[0]->aspace, gpa + 0x2fc0, tail, sizeof tail), 0);
	assert_memory_equal(tail, zero, sizeof tail);

	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 7, &sgpa, &ssize, &rw), 0);
	assert_int_equal(ssize, 0x3000);
	assert_true(rw); /* ivc_policy = "open": read-write, as the reference */
	/* A message on the second page goes across. */
	assert_int_equal(vmcfg_aspace_write(&w.vm[0]->aspace, gpa + 0x1800, "hello", 6), 0);
	assert_int_equal(vmcfg_aspace_read(&w.vm[1]->aspace, sgpa + 0x1800, msg, 6), 0);
	assert_string_equal(msg, "hello");

	/* Errors: not published, self, twice, unknown VM, no such channel. */
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 8, &sgpa, &ssize, NULL), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[0], 1, 7, &sgpa, &ssize, NULL), VMCFG_EINVAL);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 7, &sgpa, &ssize, NULL), VMCFG_EEXIST);
	assert_int_equal(vmcfg_ivc_unsubscribe(&w.reg, w.vm[2], 1, 7), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[1], 7), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 9, 0, &gpa, &size), VMCFG_EINVAL);
	/* A VM cannot be destroyed while the registry holds it. */
	assert_int_equal(vmcfg_vm_destroy(w.vm[1]), VMCFG_EBUSY);
	world_free(&w);
}

static void test_no_page_freed_while_mapped(void **state)
{
	struct world w;
	uint64_t gpa, size, sgpa, ssize, pgpa;
	struct vmcfg_translation t;
	(void)state;
	world_init(&w, NULL, NULL);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &pgpa, &size), 0);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 1, &sgpa, &ssize, NULL), 0);
	assert_int_equal(vmcfg_aspace_translate(&w.vm[1]->aspace, sgpa, &t), 0);
	uint64_t hpa = t.hpa;
	/* Re-publishing a live key is refused (the reference freed the mapped page). */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), VMCFG_EEXIST);
	/* Unpublish: the publisher's mapping goes, the subscriber's page stays. */
	unsigned calls = w.unmapped_calls;
	assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[0], 1), 0);
	assert_int_equal(w.unmapped_calls, calls + 1);
	assert_int_equal(vmcfg_aspace_translate(&w.vm[0]->aspace, pgpa, &t), VMCFG_EFAULT);
	assert_true(vmcfg_sim_mem_frame_in_use(&w.f.sim, hpa));
	assert_int_equal(vmcfg_aspace_write(&w.vm[1]->aspace, sgpa + 64, "still", 6), 0);
	/* Still alive: re-publish stays refused, a new subscriber finds nothing. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), VMCFG_EBUSY);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[2], 1, 1, &gpa, &size, NULL), VMCFG_ENOENT);
	/* The last subscriber leaves: now the frame goes back and the key is free. */
	assert_int_equal(vmcfg_ivc_unsubscribe(&w.reg, w.vm[1], 1, 1), 0);
	assert_false(vmcfg_sim_mem_frame_in_use(&w.f.sim, hpa));
	assert_int_equal(vmcfg_ivc_frames(&w.reg), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), 0);
	world_free(&w);
}

static void test_windows_released_best_fit(void **state)
{
	struct world w;
	uint64_t g[4], size;
	(void)state;
	world_init(&w, NULL, NULL);
	/* Far more channels over time than the window holds at once. */
	for (int i = 0; i < 200; i++) {
		assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 5, 0x8000, &g[0], &size), 0);
		assert_int_equal(g[0], WINDOW);
		assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[0], 5), 0);
	}
	/* Best fit: a 1-page hole and a 3-page hole; a 1-page channel takes the small one. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &g[0], &size), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 2, 0x1000, &g[1], &size), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 3, 0x3000, &g[2], &size), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 4, 0x1000, &g[3], &size), 0);
	assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[0], 3), 0); /* 3-page hole at +2 pages */
	assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[0], 1), 0); /* 1-page hole at +0 */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 6, 0x1000, &g[0], &size), 0);
	assert_int_equal(g[0], WINDOW);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 7, 0x2000, &g[0], &size), 0);
	assert_int_equal(g[0], WINDOW + 0x2000);
	/* A window too full: ENOSPC, nothing held. */
	uint64_t frames = vmcfg_ivc_frames(&w.reg);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 8, WINDOW_SIZE, &g[0], &size), VMCFG_ENOSPC);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), frames);
	world_free(&w);
}

static void test_quotas(void **state)
{
	struct world w;
	struct vmcfg_ivc_limits lim = { 2, 1, 0x3000, 0x2000 };
	uint64_t gpa, size;
	(void)state;
	world_init(&w, NULL, &lim);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x3000, &gpa, &size), VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x2000, &gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 2, 0x2000, &gpa, &size), VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 2, 0x1000, &gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 3, 0x1, &gpa, &size), VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 1, &gpa, &size, NULL), 0);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 2, &gpa, &size, NULL), VMCFG_ELIMIT);
	world_free(&w);
}

/*
 * Limits that cap nothing (the embedder's choice) and a size near 2^64: the
 * page rounding must not wrap to 0 and hand out an empty channel; a declared
 * size near 2^64 must not wrap either.
 */
static void test_huge_sizes_do_not_wrap(void **state)
{
	struct world w;
	struct vmcfg_ivc_limits lim = { 0, 0, UINT64_MAX, UINT64_MAX };
	uint64_t gpa = 0, size = 0;
	(void)state;
	world_init(&w, NULL, &lim);
	uint64_t frames = vmcfg_ivc_frames(&w.reg);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, UINT64_MAX, &gpa, &size),
			 VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, UINT64_MAX - 0xffe, &gpa, &size),
			 VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), frames);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), 0);
	assert_int_equal(size, 0x1000);
	world_free(&w);

	world_init(&w, "vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\n"
		       "[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0xffff_ffff_ffff_ffff\n",
		   &lim);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0, &gpa, &size), VMCFG_ELIMIT);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), frames);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), 0);
	assert_int_equal(size, 0x1000);
	world_free(&w);
}

#define ACL_SYSTEM                                                                            \
	"vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\n"                                            \
	"[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x2000\n"                                    \
	"subscribers = [{ vm = \"b\", access = \"rw\" }, { vm = \"c\", access = \"ro\" }]\n"     \
	"[[ivc]]\nkey = 2\npublisher = \"b\"\nsize = 0x1000\nsubscribers = [{ vm = \"a\", access = \"ro\" }]\n"

static void test_access_control(void **state)
{
	struct world w;
	uint64_t gpa, size;
	bool rw;
	struct vmcfg_translation t;
	(void)state;
	world_init(&w, ACL_SYSTEM, NULL);
	/* Undeclared publications are denied once anything is declared. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 3, 0x1000, &gpa, &size), VMCFG_EPERM);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[2], 1, 0x1000, &gpa, &size), VMCFG_EPERM);
	/* Larger than declared: denied. Size 0 takes the declared size. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x3000, &gpa, &size), VMCFG_EPERM);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0, &gpa, &size), 0);
	assert_int_equal(size, 0x2000);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[1], 2, 0x1000, &gpa, &size), 0);
	/* rw subscriber */
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 1, &gpa, &size, &rw), 0);
	assert_true(rw);
	assert_int_equal(vmcfg_aspace_translate(&w.vm[1]->aspace, gpa, &t), 0);
	assert_int_equal(t.flags, VMCFG_MEM_READ | VMCFG_MEM_WRITE);
	/* ro subscriber: a read-only mapping */
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[2], 1, 1, &gpa, &size, &rw), 0);
	assert_false(rw);
	assert_int_equal(vmcfg_aspace_translate(&w.vm[2]->aspace, gpa, &t), 0);
	assert_int_equal(t.flags, VMCFG_MEM_READ);
	/* Unauthorised: c is not granted b's channel 2 (the reference allowed any VM rw). */
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[2], 2, 2, &gpa, &size, &rw), VMCFG_EPERM);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[0], 2, 2, &gpa, &size, &rw), 0);
	assert_false(rw);
	world_free(&w);
}

/*
 * Nothing declared is nothing allowed: no system, a system without [[ivc]],
 * ivc_policy = "declared" written out. Only ivc_policy = "open" allows an
 * undeclared channel, read-write; a misspelt policy is an error, not open.
 */
static void test_nothing_declared_denied(void **state)
{
	static const char *const denying[] = {
		NO_SYSTEM,
		"vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\n",
		"vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\nivc_policy = \"declared\"\n",
	};
	struct world w;
	uint64_t gpa, size, x[5] = { 3, 7, 0x40000000, 0x40000008, 0 };
	bool rw = false;
	(void)state;
	for (size_t i = 0; i < sizeof denying / sizeof denying[0]; i++) {
		uint64_t ret = 0, want = 0x1000;
		world_init(&w, denying[i], NULL);
		assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 7, 0x1000, &gpa, &size),
				 VMCFG_EPERM);
		/* The guest's hypercall too (x0 3: publish key 7, results at 0x4000_0000). */
		assert_int_equal(vmcfg_aspace_write(&w.vm[0]->aspace, 0x40000008, &want, sizeof want), 0);
		assert_int_equal(vmcfg_ivc_hypercall(&w.reg, w.vm[0], x, &ret), 0);
		assert_int_equal((int64_t)ret, VMCFG_EPERM);
		assert_int_equal(vmcfg_ivc_frames(&w.reg), 0);
		world_free(&w);
	}
	world_init(&w, OPEN_SYSTEM, NULL);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 7, 0x1000, &gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[2], 1, 7, &gpa, &size, &rw), 0);
	assert_true(rw);
	world_free(&w);

	struct vmcfg_diags d;
	struct vmcfg_system *sys = NULL;
	static const char typo[] = "vms = []\nivc_policy = \"opne\"\n";
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_system_load(typo, strlen(typo), "sys.toml", &vmcfg_host_allocator, &d,
					   &sys),
			 0);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.items[0].rule, VMCFG_R_BAD_ENUM);
	assert_non_null(strstr(d.items[0].hint, "`open`"));
	assert_false(sys->ivc_open);
	vmcfg_system_free(sys);
	vmcfg_diags_free(&d);
}

/* Static channels: key 3 is not static, so it takes no place; 4's 0x1001 bytes take two pages. */
#define STATIC_SYSTEM                                                                         \
	"vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\n"                                            \
	"[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x100\nstatic = true\n"                      \
	"subscribers = [{ vm = \"b\", access = \"rw\" }, { vm = \"c\", access = \"ro\" }]\n"     \
	"[[ivc]]\nkey = 2\npublisher = \"b\"\nsize = 0x2000\nstatic = true\n"                     \
	"subscribers = [{ vm = \"a\", access = \"ro\" }]\n"                                       \
	"[[ivc]]\nkey = 3\npublisher = \"c\"\nsize = 0x1000\n"                                    \
	"subscribers = [{ vm = \"a\", access = \"rw\" }]\n"                                       \
	"[[ivc]]\nkey = 4\npublisher = \"c\"\nsize = 0x1001\nstatic = true\n"                     \
	"subscribers = [{ vm = \"a\", access = \"rw\" }, { vm = \"b\", access = \"ro\" }]\n"

static struct vmcfg_system *load_system(const char *toml)
{
	struct vmcfg_system *sys = NULL;
	struct vmcfg_diags d;
	vmcfg_diags_init(&d, &vmcfg_host_allocator);
	assert_int_equal(vmcfg_system_load(toml, strlen(toml), "sys.toml", &vmcfg_host_allocator, &d,
					   &sys),
			 0);
	assert_int_equal(d.errors, 0);
	vmcfg_diags_free(&d);
	return sys;
}

static void expect_place(const struct vmcfg_ivc_placement *p, size_t decl, uint64_t key,
			 const char *publisher, uint64_t gpa, uint64_t size, bool publishes,
			 bool writable)
{
	assert_int_equal(p->decl, decl);
	assert_int_equal(p->key, key);
	assert_string_equal(p->publisher, publisher);
	assert_int_equal(p->gpa, gpa);
	assert_int_equal(p->size, size);
	assert_int_equal(p->publishes, publishes);
	assert_int_equal(p->writable, writable);
}

static void test_static_layout(void **state)
{
	struct vmcfg_system *sys = load_system(STATIC_SYSTEM);
	struct vmcfg_ivc_placement p[4], one;
	size_t n = 99;
	(void)state;
	/* Packed from the window's start in declaration order, page-rounded, each VM its own. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, WINDOW_SIZE, p, 4, &n), 0);
	assert_int_equal(n, 3);
	expect_place(&p[0], 0, 1, "a", WINDOW, 0x1000, true, true);
	expect_place(&p[1], 1, 2, "b", WINDOW + 0x1000, 0x2000, false, false);
	expect_place(&p[2], 3, 4, "c", WINDOW + 0x3000, 0x2000, false, true);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "b", WINDOW, WINDOW_SIZE, p, 4, &n), 0);
	assert_int_equal(n, 3);
	expect_place(&p[0], 0, 1, "a", WINDOW, 0x1000, false, true);
	expect_place(&p[1], 1, 2, "b", WINDOW + 0x1000, 0x2000, true, true);
	expect_place(&p[2], 3, 4, "c", WINDOW + 0x3000, 0x2000, false, false);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "c", 0x2000, 0x10000, p, 4, &n), 0);
	assert_int_equal(n, 2);
	expect_place(&p[0], 0, 1, "a", 0x2000, 0x1000, false, false);
	expect_place(&p[1], 3, 4, "c", 0x3000, 0x2000, true, true);
	/* A VM in no static channel has none. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "d", WINDOW, WINDOW_SIZE, p, 4, &n), 0);
	assert_int_equal(n, 0);
	/* Counting first (max 0), then too little room: the first max are written. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, WINDOW_SIZE, NULL, 0, &n),
			 VMCFG_ENOSPC);
	assert_int_equal(n, 3);
	memset(p, 0, sizeof p);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, WINDOW_SIZE, p, 2, &n),
			 VMCFG_ENOSPC);
	assert_int_equal(n, 3);
	expect_place(&p[1], 1, 2, "b", WINDOW + 0x1000, 0x2000, false, false);
	/* One declaration: the same entry; not static, not the VM's, or no such one: none. */
	assert_int_equal(vmcfg_ivc_static_find(sys, "a", WINDOW, WINDOW_SIZE, 3, &one), 0);
	expect_place(&one, 3, 4, "c", WINDOW + 0x3000, 0x2000, false, true);
	assert_int_equal(vmcfg_ivc_static_find(sys, "a", WINDOW, WINDOW_SIZE, 2, &one), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_static_find(sys, "c", WINDOW, WINDOW_SIZE, 1, &one), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_static_find(sys, "a", WINDOW, WINDOW_SIZE, 9, &one), VMCFG_ENOENT);
	/* Contract violations. */
	assert_int_equal(vmcfg_ivc_static_layout(NULL, "a", WINDOW, WINDOW_SIZE, p, 4, &n),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, WINDOW_SIZE, NULL, 4, &n),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW + 8, WINDOW_SIZE, p, 4, &n),
			 VMCFG_EINVAL);
	assert_int_equal(vmcfg_ivc_static_find(sys, NULL, WINDOW, WINDOW_SIZE, 0, &one),
			 VMCFG_EINVAL);
	vmcfg_system_free(sys);
}

static void test_static_layout_does_not_fit(void **state)
{
	struct vmcfg_system *sys = load_system(STATIC_SYSTEM);
	struct vmcfg_ivc_placement p[4], one;
	size_t n;
	(void)state;
	/* 0x3000 holds channels 1 and 2 exactly; 4 (two pages) does not fit. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, 0x3000, p, 4, &n), VMCFG_ERANGE);
	assert_int_equal(n, 2);
	expect_place(&p[1], 1, 2, "b", WINDOW + 0x1000, 0x2000, false, false);
	expect_place(&p[2], 3, 4, "c", WINDOW + 0x3000, 0x2000, false, true);
	/* One page short of the rounded size: 0x1001 bytes need two pages, not one. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, 0x4000, p, 4, &n), VMCFG_ERANGE);
	assert_int_equal(n, 2);
	assert_int_equal(vmcfg_ivc_static_layout(sys, "a", WINDOW, 0x5000, p, 4, &n), 0);
	assert_int_equal(n, 3);
	/* find reports the channel that does not fit, even for a later declaration. */
	assert_int_equal(vmcfg_ivc_static_find(sys, "a", WINDOW, 0x3000, 3, &one), VMCFG_ERANGE);
	expect_place(&one, 3, 4, "c", WINDOW + 0x3000, 0x2000, false, true);
	assert_int_equal(vmcfg_ivc_static_find(sys, "a", WINDOW, 0x3000, 1, &one), 0);
	/* No window at all: the first channel does not fit. */
	assert_int_equal(vmcfg_ivc_static_layout(sys, "b", 0, 0, p, 4, &n), VMCFG_ERANGE);
	assert_int_equal(n, 0);
	expect_place(&p[0], 0, 1, "a", 0, 0x1000, false, true);
	vmcfg_system_free(sys);
}

/* Set up as the hypervisor does: each mapping exactly where the placement rule says. */
static void test_static_setup_at_placement(void **state)
{
	struct world w;
	struct vmcfg_ivc_placement p[3];
	struct vmcfg_translation t;
	uint64_t size, gpa;
	size_t n;
	bool rw;
	(void)state;
	world_init(&w, STATIC_SYSTEM, NULL);
	/* Publishers first, subscribers in the other order: the places do not depend on it. */
	assert_int_equal(vmcfg_ivc_static_find(w.sys, "c", WINDOW, WINDOW_SIZE, 3, &p[0]), 0);
	assert_int_equal(vmcfg_ivc_publish_at(&w.reg, w.vm[2], 4, 0, p[0].gpa, &size), 0);
	assert_int_equal(size, 0x2000);
	assert_int_equal(vmcfg_ivc_static_find(w.sys, "b", WINDOW, WINDOW_SIZE, 1, &p[0]), 0);
	assert_int_equal(vmcfg_ivc_publish_at(&w.reg, w.vm[1], 2, 0, p[0].gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_static_find(w.sys, "a", WINDOW, WINDOW_SIZE, 0, &p[0]), 0);
	assert_int_equal(vmcfg_ivc_publish_at(&w.reg, w.vm[0], 1, 0, p[0].gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_static_layout(w.sys, "a", WINDOW, WINDOW_SIZE, p, 3, &n), 0);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[0], 3, 4, p[2].gpa, &size, &rw), 0);
	assert_true(rw);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[0], 2, 2, p[1].gpa, &size, &rw), 0);
	assert_false(rw);
	/* The access control is the registry's: a read-only mapping where the rule said ro. */
	assert_int_equal(vmcfg_aspace_translate(&w.vm[0]->aspace, p[1].gpa, &t), 0);
	assert_int_equal(t.flags, VMCFG_MEM_READ);
	assert_int_equal(vmcfg_aspace_translate(&w.vm[0]->aspace, WINDOW + 0x4000, &t), 0);
	assert_int_equal(t.flags, VMCFG_MEM_READ | VMCFG_MEM_WRITE);
	/* Taken, misaligned, outside the window, undeclared: refused, nothing changed. */
	assert_int_equal(vmcfg_ivc_static_find(w.sys, "c", WINDOW, WINDOW_SIZE, 0, &p[0]), 0);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 1, 1, WINDOW + 0x1000, &size, &rw),
			 VMCFG_ENOSPC);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 1, 1, p[0].gpa + 8, &size, &rw),
			 VMCFG_EALIGN);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 1, 1, WINDOW + WINDOW_SIZE, &size,
						&rw),
			 VMCFG_ENOSPC);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 1, 1, WINDOW - 0x1000, &size, &rw),
			 VMCFG_ENOSPC);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 2, 2, WINDOW + 0x8000, &size, &rw),
			 VMCFG_EPERM);
	assert_int_equal(vmcfg_ivc_subscribe_at(&w.reg, w.vm[2], 1, 1, p[0].gpa, &size, &rw), 0);
	assert_false(rw);
	/* A dynamic channel goes after the static ones: the allocator sees their pages taken. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[2], 3, 0, &gpa, &size), 0);
	assert_int_equal(gpa, WINDOW + 0x3000);
	world_free(&w);
}

static void test_hypercalls(void **state)
{
	struct world w;
	uint64_t ret = 0, gpa, size;
	(void)state;
	world_init(&w, NULL, NULL);
	struct vmcfg_vm *a = w.vm[0], *b = w.vm[1];
	uint64_t want = 0x1800;
	assert_int_equal(vmcfg_aspace_write(&a->aspace, 0x40000108, &want, 8), 0);
	/* publish: x1 key, x2 base_ptr, x3 size_ptr (holding the requested size) */
	uint64_t pub[5] = { VMCFG_HVC_IVC_PUBLISH, 9, 0x40000100, 0x40000108, 0 };
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, a, pub, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(vmcfg_aspace_read(&a->aspace, 0x40000100, &gpa, 8), 0);
	assert_int_equal(vmcfg_aspace_read(&a->aspace, 0x40000108, &size, 8), 0);
	assert_int_equal(gpa, WINDOW);
	assert_int_equal(size, 0x2000);

	/* subscribe: x1 publisher id, x2 key, x3 base_ptr, x4 size_ptr */
	uint64_t sub[5] = { VMCFG_HVC_IVC_SUBSCRIBE, 1, 9, 0x40000200, 0x40000208 };
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, b, sub, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(vmcfg_aspace_read(&b->aspace, 0x40000208, &size, 8), 0);
	assert_int_equal(size, 0x2000);

	/* Hostile pointers: misaligned, outside RAM, read-only RAM, inside the IVC mapping. */
	uint64_t frames = vmcfg_ivc_frames(&w.reg);
	static const uint64_t bad_ptr[] = { 0x40000104, 0x3ffffff8, 0x48000000, WINDOW, UINT64_MAX - 7 };
	static const int64_t bad_err[] = { VMCFG_EALIGN, VMCFG_EFAULT, VMCFG_EFAULT, VMCFG_EFAULT,
					   VMCFG_EFAULT };
	for (size_t i = 0; i < sizeof bad_ptr / sizeof bad_ptr[0]; i++) {
		uint64_t x[5] = { VMCFG_HVC_IVC_PUBLISH, 10, bad_ptr[i], 0x40000108, 0 };
		assert_int_equal(vmcfg_ivc_hypercall(&w.reg, a, x, &ret), 0);
		assert_int_equal((int64_t)ret, bad_err[i]);
		uint64_t y[5] = { VMCFG_HVC_IVC_SUBSCRIBE, 3, 1, 0x40000200, bad_ptr[i] };
		assert_int_equal(vmcfg_ivc_hypercall(&w.reg, b, y, &ret), 0);
		assert_int_equal((int64_t)ret, bad_err[i]);
	}
	assert_int_equal(vmcfg_ivc_frames(&w.reg), frames); /* nothing half-done */

	/* unsubscribe / unpublish */
	uint64_t unsub[5] = { VMCFG_HVC_IVC_UNSUBSCRIBE, 1, 9, 0, 0 };
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, b, unsub, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, b, unsub, &ret), 0);
	assert_int_equal((int64_t)ret, VMCFG_ENOENT);
	uint64_t unpub[5] = { VMCFG_HVC_IVC_UNPUBLISH, 9, 0, 0, 0 };
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, a, unpub, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), 0);
	/* Not an IVC call: left to the hypervisor. */
	uint64_t other[5] = { 2, 0, 0, 0, 0 };
	ret = 77;
	assert_int_equal(vmcfg_ivc_hypercall(&w.reg, a, other, &ret), VMCFG_ENOSYS);
	assert_int_equal(ret, 77);
	world_free(&w);
}

static void test_detach_and_oom(void **state)
{
	struct world w;
	uint64_t gpa, size;
	(void)state;
	world_init(&w, NULL, NULL);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[1], 1, 1, &gpa, &size, NULL), 0);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[1], 1, 0x1000, &gpa, &size), 0);
	assert_int_equal(vmcfg_ivc_subscribe(&w.reg, w.vm[0], 2, 1, &gpa, &size, NULL), 0);
	/* Detaching a unpublishes its channel (b keeps the pages) and drops its subscription. */
	assert_int_equal(vmcfg_ivc_detach(&w.reg, w.vm[0]), 0);
	assert_int_equal(vmcfg_ivc_detach(&w.reg, w.vm[0]), VMCFG_ENOENT);
	assert_int_equal(w.vm[0]->ivc_attached, 0);
	assert_int_equal(vmcfg_ivc_frames(&w.reg), 2);
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), VMCFG_ENOENT);
	assert_int_equal(vmcfg_ivc_attach(&w.reg, w.vm[0]), 0);
	assert_int_equal(vmcfg_ivc_attach(&w.reg, w.vm[0]), VMCFG_EEXIST);
	/* a's old key 1 is still mapped by b: re-publishing it is refused. */
	assert_int_equal(vmcfg_ivc_publish(&w.reg, w.vm[0], 1, 0x1000, &gpa, &size), VMCFG_EBUSY);

	/* Out of frames / bookkeeping at each step of a publish: nothing changes. */
	for (uint64_t k = 1; k <= 3; k++) {
		uint64_t frames = vmcfg_ivc_frames(&w.reg);
		size_t in_use = w.f.sim.in_use;
		w.f.sim.calls = 0;
		w.f.sim.fail_at = k;
		int rc = vmcfg_ivc_publish(&w.reg, w.vm[2], 5, 0x1000, &gpa, &size);
		w.f.sim.fail_at = 0;
		if (rc == 0) {
			assert_int_equal(vmcfg_ivc_unpublish(&w.reg, w.vm[2], 5), 0);
		} else {
			assert_int_equal(rc, VMCFG_ENOMEM);
		}
		assert_int_equal(vmcfg_ivc_frames(&w.reg), frames);
		assert_int_equal(w.f.sim.in_use, in_use);
	}
	for (uint64_t k = 1; k <= 2; k++) {
		w.f.counts.calls = 0;
		w.f.counts.fail_at = k;
		int rc = vmcfg_ivc_subscribe(&w.reg, w.vm[2], 2, 1, &gpa, &size, NULL);
		w.f.counts.fail_at = 0;
		if (rc == 0)
			assert_int_equal(vmcfg_ivc_unsubscribe(&w.reg, w.vm[2], 2, 1), 0);
		else
			assert_int_equal(rc, VMCFG_ENOMEM);
	}
	world_free(&w);
}

/* ---- the model ---- */

enum { VMS = 3, KEYS = 4 };

struct model_chan {
	bool live, published;
	uint64_t size;
	uint64_t pub_gpa;
	bool sub[VMS];
	uint64_t sub_gpa[VMS];
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Declared: every VM may publish keys 1..3; key k of VM p grants VM (p + k) % 3, ro when k is 3. */
static const char model_system[] =
	"vms = [\"a.toml\", \"b.toml\", \"c.toml\"]\n"
	"[[ivc]]\nkey = 1\npublisher = \"a\"\nsize = 0x3000\nsubscribers = [{ vm = \"b\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 2\npublisher = \"a\"\nsize = 0x3000\nsubscribers = [{ vm = \"c\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 3\npublisher = \"a\"\nsize = 0x3000\nsubscribers = [{ vm = \"a\", access = \"ro\" }]\n"
	"[[ivc]]\nkey = 1\npublisher = \"b\"\nsize = 0x3000\nsubscribers = [{ vm = \"c\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 2\npublisher = \"b\"\nsize = 0x3000\nsubscribers = [{ vm = \"a\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 3\npublisher = \"b\"\nsize = 0x3000\nsubscribers = [{ vm = \"b\", access = \"ro\" }]\n"
	"[[ivc]]\nkey = 1\npublisher = \"c\"\nsize = 0x3000\nsubscribers = [{ vm = \"a\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 2\npublisher = \"c\"\nsize = 0x3000\nsubscribers = [{ vm = \"b\", access = \"rw\" }]\n"
	"[[ivc]]\nkey = 3\npublisher = \"c\"\nsize = 0x3000\nsubscribers = [{ vm = \"c\", access = \"ro\" }]\n";

static bool granted(int pub, int key, int sub)
{
	return key >= 1 && key <= 3 && (pub + key) % VMS == sub;
}

static void check_model(struct world *w, struct model_chan m[VMS][KEYS + 1])
{
	uint64_t pages = 0;
	for (int p = 0; p < VMS; p++) {
		for (int k = 1; k <= KEYS; k++) {
			struct model_chan *c = &m[p][k];
			if (!c->live)
				continue;
			pages += c->size / VMCFG_PAGE_SIZE;
			struct vmcfg_ivc_header h;
			if (c->published) {
				assert_int_equal(vmcfg_aspace_read(&w->vm[p]->aspace, c->pub_gpa, &h, sizeof h), 0);
				assert_int_equal(h.publisher_id, (uint64_t)p + 1);
				assert_int_equal(h.key, (uint64_t)k);
			}
			for (int s = 0; s < VMS; s++) {
				if (!c->sub[s])
					continue;
				assert_int_equal(vmcfg_aspace_read(&w->vm[s]->aspace, c->sub_gpa[s], &h, sizeof h), 0);
				assert_int_equal(h.publisher_id, (uint64_t)p + 1);
				assert_int_equal(h.key, (uint64_t)k);
			}
		}
	}
	assert_int_equal(vmcfg_ivc_frames(&w->reg), pages);
	assert_int_equal(w->f.sim.in_use, vm_frames(w) + pages);
}

static void test_model(void **state)
{
	struct world w;
	struct model_chan m[VMS][KEYS + 1];
	uint64_t seed = 0x2545f4914f6cdd1dull;
	(void)state;
	world_init(&w, model_system, NULL);
	memset(m, 0, sizeof m);
	for (int step = 0; step < 4000; step++) {
		int op = (int)(rnd(&seed) % 4), me = (int)(rnd(&seed) % VMS);
		int pub = (int)(rnd(&seed) % VMS), key = 1 + (int)(rnd(&seed) % KEYS);
		uint64_t size = (1 + rnd(&seed) % 3) * 0x1000 - (rnd(&seed) % 2) * 0x800;
		struct model_chan *c;
		uint64_t gpa, got;
		int rc, want;
		switch (op) {
		case 0: /* publish */
			c = &m[me][key];
			want = key > 3 ? VMCFG_EPERM
			       : c->live ? (c->published ? VMCFG_EEXIST : VMCFG_EBUSY)
					 : 0;
			rc = vmcfg_ivc_publish(&w.reg, w.vm[me], (uint64_t)key, size, &gpa, &got);
			assert_int_equal(rc, want);
			if (!rc) {
				assert_int_equal(got, (size + 0xfff) & ~0xfffull);
				*c = (struct model_chan){ .live = true, .published = true, .size = got,
							  .pub_gpa = gpa };
			}
			break;
		case 1: /* subscribe */
			c = &m[pub][key];
			want = !c->published	       ? VMCFG_ENOENT
			       : pub == me	       ? VMCFG_EINVAL
			       : c->sub[me]	       ? VMCFG_EEXIST
			       : !granted(pub, key, me) ? VMCFG_EPERM
							: 0;
			rc = vmcfg_ivc_subscribe(&w.reg, w.vm[me], (uint64_t)pub + 1, (uint64_t)key, &gpa,
						 &got, NULL);
			assert_int_equal(rc, want);
			if (!rc) {
				assert_int_equal(got, c->size);
				c->sub[me] = true;
				c->sub_gpa[me] = gpa;
			}
			break;
		case 2: /* unpublish */
			c = &m[me][key];
			rc = vmcfg_ivc_unpublish(&w.reg, w.vm[me], (uint64_t)key);
			assert_int_equal(rc, c->published ? 0 : VMCFG_ENOENT);
			if (!rc) {
				c->published = false;
				c->live = c->sub[0] || c->sub[1] || c->sub[2];
			}
			break;
		default: /* unsubscribe */
			c = &m[pub][key];
			rc = vmcfg_ivc_unsubscribe(&w.reg, w.vm[me], (uint64_t)pub + 1, (uint64_t)key);
			assert_int_equal(rc, c->sub[me] ? 0 : VMCFG_ENOENT);
			if (!rc) {
				c->sub[me] = false;
				c->live = c->published || c->sub[0] || c->sub[1] || c->sub[2];
			}
			break;
		}
		check_model(&w, m);
	}
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_subscribe_share),
		cmocka_unit_test(test_no_page_freed_while_mapped),
		cmocka_unit_test(test_windows_released_best_fit),
		cmocka_unit_test(test_quotas),
		cmocka_unit_test(test_huge_sizes_do_not_wrap),
		cmocka_unit_test(test_access_control),
		cmocka_unit_test(test_nothing_declared_denied),
		cmocka_unit_test(test_static_layout),
		cmocka_unit_test(test_static_layout_does_not_fit),
		cmocka_unit_test(test_static_setup_at_placement),
		cmocka_unit_test(test_hypercalls),
		cmocka_unit_test(test_detach_and_oom),
		cmocka_unit_test(test_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

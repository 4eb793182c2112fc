/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/check.h — the checker: rules over decoded VM files (vm_spec), alone
 * and as a system sharing one host platform, with diagnostics that point
 * at the TOML values involved (both of them for conflicts).
 *
 * Three inputs, each optional beyond the VM specs:
 *   - the VM specs (vmcfg/spec.h), decoded by vmcfg_vm_spec_decode/vmcfg_vm_spec_load;
 *   - a platform: the host's CPUs, RAM banks, the hypervisor's own memory,
 *     the IPA width and reserved frames (interrupt controller, IOMMU). It
 *     comes from a system file (below) or, later, from a host device tree,
 *     so its values may come without spans;
 *   - a system: the system file, naming the VM files that run together,
 *     an optional platform and the static IVC channels.
 *
 * Rules and codes are in the catalogue of vmcfg/diag.h (E02xx/W02xx one VM,
 * E03xx/W03xx a system) and documented in docs/diagnostics.md; the system
 * file format in docs/system-file.md. Rules the decoder enforces already
 * (cpu_num 0, cpu list length, flag bits, vm_type, image_location, a path
 * without its address, unknown keys) are not repeated here.
 *
 * Freestanding: no global state; scratch memory comes from the diagnostics
 * list's allocator (diags->alloc) and is returned before each call ends.
 * Checking is O(n log n) in the number of declared ranges: overlaps and
 * duplicates are found by sorting, never pairwise.
 */
#ifndef VMCFG_CHECK_H
#define VMCFG_CHECK_H

#include "vmcfg/aspace.h"
#include "vmcfg/spec.h"

VMCFG_BEGIN_DECLS

enum vmcfg_arch {
	VMCFG_ARCH_UNKNOWN = 0,
	VMCFG_ARCH_AARCH64,
	VMCFG_ARCH_RISCV64,
	VMCFG_ARCH_X86_64
};

/* "aarch64", "riscv64", "x86_64"; NULL for VMCFG_ARCH_UNKNOWN. */
const char *vmcfg_arch_name(enum vmcfg_arch arch);

/* The arch vmcfg_arch_name calls name (NUL-terminated) into *out; false (out untouched) when none. */
bool vmcfg_arch_by_name(const char *name, enum vmcfg_arch *out);

/*
 * What a host interrupt routed to a passthrough-mode VM is on arch, as
 * messages name it: "PLIC source" on riscv64, "SPI" (the GIC's) elsewhere.
 */
const char *vmcfg_arch_host_irq_name(enum vmcfg_arch arch);

/*
 * A named host physical range [base, base + size). name may be NULL
 * (RAM banks); span.line is 0 when the range has no source (device tree).
 */
struct vmcfg_host_range {
	const char *name;
	uint64_t base, size;
	struct vmcfg_span span;
};

/*
 * The reference hypervisor's limits (hv/), which the checker, the CLI's
 * simulated host and the hypervisor share so that a system check passes
 * is one the hypervisor boots: at most VMCFG_HV_MAX_VMS VMs of at most
 * VMCFG_HV_MAX_VM_VCPUS vCPUs each; its emulated GICv3 (an
 * InterruptController emu device) takes a distributor window of at least
 * VMCFG_VGIC_GICD_SIZE and puts one VMCFG_VGIC_GICR_FRAME redistributor
 * per vCPU at VMCFG_VGIC_GICR_BASE (QEMU virt's frames), for at most
 * VMCFG_VGIC_MAX_VCPUS vCPUs. An aarch64 VM with interrupt_mode
 * "passthrough" gets the same vGIC without declaring it, at QEMU virt's
 * GIC (distributor at VMCFG_VGIC_GICD_BASE): the hypervisor keeps the
 * physical GIC and delivers the VM's SPIs through it (hv/README.md).
 */
#define VMCFG_HV_MAX_VMS 8
#define VMCFG_HV_MAX_VM_VCPUS 4
#define VMCFG_VGIC_MAX_VCPUS 4
#define VMCFG_VGIC_GICD_SIZE 0x10000ull
#define VMCFG_VGIC_GICD_BASE 0x08000000ull
#define VMCFG_VGIC_GICR_BASE 0x080a0000ull
#define VMCFG_VGIC_GICR_FRAME 0x20000ull
#define VMCFG_VGIC_NR_SPIS 64 /* INTIDs 32..95: host SPIs beyond are not delivered */

/*
 * Whether irq_id (an INTID, as passthrough devices give it) is an SPI
 * (32..1019): in interrupt_mode "passthrough" that host SPI, irq_id - 32,
 * is the VM's (lib/vm adds it to vm->spis; the checker counts it for E0309).
 */
static inline bool vmcfg_irq_id_is_spi(uint64_t irq_id)
{
	return irq_id >= 32 && irq_id < 1020;
}

/*
 * The riscv64 guests' interrupt controller: the virtual PLIC that the guest
 * DT describes (lib/fdt) and the riscv64 hypervisor emulates, at QEMU
 * virt's place and layout unless the VM has an InterruptController emu
 * device (then at its base_gpa, VMCFG_VPLIC_SIZE unless its length says
 * otherwise): sources 1..VMCFG_VPLIC_NDEV; two contexts per vCPU in DT
 * order, 2k for vCPU k's M-mode (described, never used by a guest) and
 * 2k + 1 for its S-mode, the one the guest programs.
 */
#define VMCFG_VPLIC_BASE 0x0c000000ull
#define VMCFG_VPLIC_SIZE 0x600000ull
#define VMCFG_VPLIC_NDEV 96
#define VMCFG_VPLIC_CONTEXTS_PER_HART 2
/*
 * Its registers: a context's threshold and claim at VMCFG_VPLIC_CONTEXT_BASE
 * + VMCFG_VPLIC_CONTEXT_STRIDE × context. The hypervisor serves at most
 * VMCFG_VPLIC_MAX_CONTEXTS contexts, so a VM with a PLIC has at most
 * VMCFG_VPLIC_MAX_CONTEXTS / VMCFG_VPLIC_CONTEXTS_PER_HART vCPUs, and an
 * InterruptController device's window must reach its VM's last context:
 * VMCFG_VPLIC_MIN_SIZE(vCPUs) bytes (the checker's E0229 otherwise).
 */
#define VMCFG_VPLIC_CONTEXT_BASE 0x200000ull
#define VMCFG_VPLIC_CONTEXT_STRIDE 0x1000ull
#define VMCFG_VPLIC_MAX_CONTEXTS 8
#define VMCFG_VPLIC_MIN_SIZE(vcpus) \
	(VMCFG_VPLIC_CONTEXT_BASE + VMCFG_VPLIC_CONTEXT_STRIDE * VMCFG_VPLIC_CONTEXTS_PER_HART * (uint64_t)(vcpus))
/* The guests' timebase (the guest DT's /cpus timebase-frequency when the host DT has none): QEMU virt's. */
#define VMCFG_RISCV_TIMEBASE_HZ 10000000ull

/* The MPIDR_EL1 affinity fields (Aff3, Aff2..Aff0): an aarch64 vCPU's physical id lies in them. */
#define VMCFG_MPIDR_AFFINITY_MASK 0xff00ffffffull

/*
 * The guest-physical width vmcfg_vm_create gives a VM of arch when neither
 * its options nor the platform name one: 40 bits (aarch64, and for
 * VMCFG_ARCH_UNKNOWN, which `vmcfg build` takes as aarch64), 41 (riscv64),
 * 48 (x86_64).
 */
unsigned vmcfg_arch_default_ipa_bits(enum vmcfg_arch arch);

/*
 * The stage-2 format vmcfg_vm_create picks for arch and a guest-physical
 * width of ipa_bits when its options name none: aarch64 (and
 * VMCFG_ARCH_UNKNOWN) 3 levels up to 42 bits, else 4; riscv64 Sv39x4 up to
 * 41 bits, else Sv48x4; x86_64 EPT.
 */
enum vmcfg_pt_kind vmcfg_arch_pt_kind(enum vmcfg_arch arch, unsigned ipa_bits);

/*
 * Whether an emulated device lives in the x86 port I/O space rather than
 * guest-physical memory, as vmcfg_vm_create places it for arch: a Console
 * (0x02) whose cfg_list[0] is 3 (16550 on ports), or 0 / no cfg_list on
 * x86_64; the X86Pit (0x24, the i8254 at ports 0x40-0x43). cfg0 is
 * cfg_list[0] when has_cfg0. Port ranges never overlap RAM.
 */
bool vmcfg_emu_device_is_pio(uint64_t emu_type, bool has_cfg0, uint64_t cfg0, enum vmcfg_arch arch);

/*
 * Whether the reference hypervisor (hv/) builds emulated devices of
 * emu_type: Dummy, Console and IVCChannel (lib/vm) and InterruptController
 * (its vGIC). The other AxVisor types (GPPT*, PPPT, FwCfg, X86IoApic,
 * X86Pit, LoongArchPchPic, Virtio*) it does not emulate (W0233; the GPPT
 * ones are refused outright: vmcfg_emu_type_is_gppt).
 */
bool vmcfg_emu_type_built(uint64_t emu_type);

/*
 * Whether emu_type is one of AxVisor's GIC pass-through frames
 * (GPPTRedistributor 0x20, GPPTDistributor 0x21, GPPTITS 0x22). The
 * reference hypervisor keeps the physical GIC, shared by all VMs, and
 * gives each VM its vGIC instead, so it refuses them and so does `vmcfg
 * build` (vmcfg_vm_hv_model_factory: VMCFG_ENOSYS); the checker reports
 * them as E0229.
 */
bool vmcfg_emu_type_is_gppt(uint64_t emu_type);

/*
 * The host-physical width the stage-2 descriptors of arch can address:
 * 48 bits (aarch64, VMCFG_ARCH_UNKNOWN), 56 (riscv64), 52 (x86_64 EPT).
 * A passthrough window's host range must end at or below 2^that.
 */
unsigned vmcfg_arch_max_pa_bits(enum vmcfg_arch arch);

/* Physical CPUs are numbered 0..cpu_num-1: bit n of phys_cpu_sets is pCPU n. */
#define VMCFG_MAX_PCPUS 64

/*
 * The host platform. Zero-initialised means "nothing known"; every field is
 * optional except cpu_num (0 skips the CPU rules). A device-tree reader fills
 * it without spans (file NULL); the system decoder fills it with spans into
 * file. Arrays are borrowed: the platform does not own them.
 */
struct vmcfg_platform {
	const char *file; /* where the spans point, NULL when none */
	enum vmcfg_arch arch;
	uint32_t cpu_num;                /* 0..VMCFG_MAX_PCPUS */
	const uint64_t *phys_cpu_ids;    /* cpu_num ids (MPIDR on ARM) or NULL */
	uint32_t ipa_bits;               /* guest-physical address width; 0 = unknown */
	const struct vmcfg_host_range *ram; /* RAM banks */
	size_t ram_count;
	const struct vmcfg_host_range *hv_memory; /* memory the hypervisor keeps */
	size_t hv_memory_count;
	const struct vmcfg_host_range *reserved; /* GIC, ITS, IOMMU frames, … */
	size_t reserved_count;
	struct vmcfg_span cpu_num_span, ipa_bits_span; /* line 0 when none */
};

/* One subscriber of an IVC channel: a VM by name and its access. */
struct vmcfg_ivc_subscriber {
	struct vmcfg_spec_str vm;
	bool writable;           /* access = "rw" (else "ro") */
	struct vmcfg_span span;  /* the whole entry */
};

/* A static IVC channel: [[ivc]] key, publisher, size, subscribers. */
struct vmcfg_ivc_channel {
	struct vmcfg_spec_u64 key;
	struct vmcfg_spec_str publisher;
	struct vmcfg_spec_u64 size;
	struct vmcfg_ivc_subscriber *subscribers;
	size_t subscriber_count;
	struct vmcfg_span span; /* the [[ivc]] header or inline table */
	/*
	 * static = true: the hypervisor publishes and subscribes it when it
	 * creates the VMs, for guests that make no hypercalls, where
	 * vmcfg_ivc_static_layout (below) places it in each VM's IVC
	 * window; else it is the access control of the guests' own publish
	 * and subscribe calls.
	 */
	bool is_static;
};

/* A decoded system file (docs/system-file.md). */
struct vmcfg_system {
	const char *file;         /* the system file's name as given */
	struct vmcfg_arena arena; /* owns everything below */
	bool has_platform;        /* a [platform] table was given and decoded */
	struct vmcfg_platform platform;
	struct vmcfg_spec_str platform_dt; /* platform = "host.dts": a host device tree instead */
	struct vmcfg_spec_str *vms;     /* VM file paths as written (relative to file) */
	size_t vm_count;
	struct vmcfg_ivc_channel *ivc;
	size_t ivc_count;
	/*
	 * ivc_policy = "open": IVC calls of channels no [[ivc]] declares are
	 * allowed (any VM may publish any key and subscribe read-write to any
	 * channel). Default "declared": only what [[ivc]] declares is.
	 */
	bool ivc_open;
	struct vmcfg_span ivc_policy_span; /* line 0 when not written */
};

/*
 * Decodes a parsed system file. Every problem (unknown key with a hint,
 * wrong type, out-of-range value, missing key, wrong arity) becomes a
 * diagnostic in diags and decoding goes on; a wrong value is left unset
 * (a platform range with an unset field is dropped). Returns 0 when *out
 * was produced — even if diags holds errors — or VMCFG_ENOMEM/VMCFG_EINVAL
 * (*out is NULL). file is copied. Free with vmcfg_system_free.
 */
int vmcfg_system_decode(const struct vmcfg_toml_doc *doc, const char *file,
			const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
			struct vmcfg_system **out);

/*
 * Parses text as TOML (64-bit integers allowed) and decodes it. A syntax
 * error becomes one VMCFG_R_TOML_SYNTAX diagnostic and *out stays NULL
 * (return 0). Returns 0, VMCFG_ENOMEM or VMCFG_EINVAL.
 */
int vmcfg_system_load(const char *text, size_t len, const char *file,
		      const struct vmcfg_allocator *alloc, struct vmcfg_diags *diags,
		      struct vmcfg_system **out);

/* Frees a system and everything it owns. NULL is allowed. */
void vmcfg_system_free(struct vmcfg_system *sys);

/*
 * Writes the path of VM file i as the host should open it: relative paths
 * are taken relative to the system file's folder, absolute ones as is.
 * Writes at most size bytes (NUL-terminated when size > 0) and returns the
 * length the full path has, like snprintf; 0 when i is out of range or the
 * entry was invalid.
 */
size_t vmcfg_system_vm_path(const struct vmcfg_system *sys, size_t i, char *buf, size_t size);

/*
 * Like vmcfg_system_vm_path for the host device tree the system names
 * (platform = "host.dts"); 0 when it names none.
 */
size_t vmcfg_system_platform_dt_path(const struct vmcfg_system *sys, char *buf, size_t size);

/* Which image of [kernel] an image-size query is about. */
enum vmcfg_image_kind { VMCFG_IMAGE_KERNEL, VMCFG_IMAGE_BIOS, VMCFG_IMAGE_DTB, VMCFG_IMAGE_RAMDISK };

/*
 * What the checker cannot know in the freestanding core; all optional
 * (a NULL opts or NULL callbacks mean "unknown").
 */
struct vmcfg_check_opts {
	/*
	 * The size of an image file (kernel_path etc. of spec). Returns false
	 * when unknown (no such file): then only the load address is checked.
	 */
	bool (*image_size)(void *ud, const struct vmcfg_vm_spec *spec, enum vmcfg_image_kind kind,
			   const char *path, uint64_t *size);
	/*
	 * The host SPIs routed to a VM (from its passthrough device-tree nodes).
	 * Returns false when unknown. The array must stay valid during the call.
	 */
	bool (*vm_spis)(void *ud, const struct vmcfg_vm_spec *spec, const uint32_t **spis, size_t *n);
	void *ud;
	/*
	 * The architecture the VMs are built for (`--arch`, as vmcfg_vm_create_opts.arch):
	 * it wins over the platform's arch. VMCFG_ARCH_UNKNOWN takes the platform's,
	 * else aarch64 (as `vmcfg build` does). The arch-dependent rules follow it:
	 * address widths (E0208, E0228), MPIDR ids (E0230), port I/O devices and
	 * ports (E0211, E0235), the interrupt controller the hypervisor builds (E0229).
	 */
	enum vmcfg_arch arch;
	/*
	 * The VMCFG_ASPACE_* options the VMs' address spaces are built with
	 * (vmcfg_vm_create_opts.aspace_options): E0315 counts the stage-2 tables
	 * of that shape (VMCFG_ASPACE_4K_ONLY: 4 KiB leaves only, many more).
	 */
	unsigned aspace_options;
};

/*
 * Runs every per-VM rule on spec (E02xx/W02xx), with the platform rules
 * (IPA width, CPU masks and ids) when platform is not NULL. Values the
 * decoder left unset are skipped silently (decode reported them). Emits no
 * "platform rules skipped" note: vmcfg_check_system does, once.
 * Returns 0, VMCFG_ENOMEM (diags->oom set, findings may be missing) or
 * VMCFG_EINVAL (NULL spec or diags).
 */
int vmcfg_check_vm(const struct vmcfg_vm_spec *spec, const struct vmcfg_platform *platform,
		   const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags);

/*
 * Checks VMs that run together: every per-VM rule on each spec, then the
 * system rules (E03xx) across them — duplicate ids and names, host-side
 * overlaps of identity/reserved RAM and passthrough windows with each other
 * and with the hypervisor's memory and reserved frames, RAM outside host
 * RAM, physical CPUs pinned by two VMs, SPIs routed twice, and sys's IVC
 * channels against the VMs (matched by base.name). specs[i] may be NULL (a
 * file that did not load). sys and platform may be NULL; without platform,
 * its rules are skipped with one note (VMCFG_R_PLATFORM_SKIPPED). The
 * usual call passes sys->has_platform ? &sys->platform : NULL.
 * Returns 0, VMCFG_ENOMEM or VMCFG_EINVAL.
 */
int vmcfg_check_system(const struct vmcfg_system *sys, const struct vmcfg_platform *platform,
		       const struct vmcfg_vm_spec *const *specs, size_t n,
		       const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags);

/*
 * Scratch memory kept between checks, for callers that check again and
 * again (a language server after each edit, a tool checking many systems
 * in one process). The system rules gather, sort and sweep arrays of a few
 * dozen bytes per VM (ids, names, host ranges, pinned CPUs, SPIs; about
 * 5 MB at 10,000 VMs); vmcfg_check_system takes them from the diagnostics
 * list's allocator and returns them, so with an allocator that hands large
 * blocks back to the system every call faults them in anew.
 * vmcfg_check_system_scratch takes them from this arena instead and, at
 * its end, empties it but keeps its chunks for the next call. One scratch
 * serves one call at a time; it holds nothing between calls that the
 * caller reads. Initialize it once, release it when done.
 */
struct vmcfg_check_scratch {
	struct vmcfg_arena arena;
};

/* Prepares an empty scratch on alloc (which must outlive it). Cannot fail: nothing is allocated yet. */
void vmcfg_check_scratch_init(struct vmcfg_check_scratch *s, const struct vmcfg_allocator *alloc);

/* Returns every chunk the scratch holds to its allocator. NULL is allowed. */
void vmcfg_check_scratch_release(struct vmcfg_check_scratch *s);

/*
 * vmcfg_check_system with its scratch memory from scratch (NULL: from
 * diags' allocator, exactly vmcfg_check_system). The findings are the
 * same; they and their strings still go to diags. Returns 0,
 * VMCFG_ENOMEM or VMCFG_EINVAL, as vmcfg_check_system; the scratch is
 * emptied (its chunks kept) whatever the result.
 */
int vmcfg_check_system_scratch(const struct vmcfg_system *sys, const struct vmcfg_platform *platform,
			       const struct vmcfg_vm_spec *const *specs, size_t n,
			       const struct vmcfg_check_opts *opts, struct vmcfg_check_scratch *scratch,
			       struct vmcfg_diags *diags);

/*
 * The platform a system file declares ([platform]) against the machine's,
 * as read from its device tree (vmcfg_fdt_platform_open's, or the
 * embedder's own reading of RAM banks, cpu_num and phys_cpu_ids): a W0409
 * warning for each declared RAM bank that is not all RAM of the machine,
 * for a cpu_num above the machine's, and for phys_cpu_ids its CPUs do not
 * have (compared only where machine gives them: a machine without RAM
 * banks or CPU ids skips that part). The platform rules rest on the
 * declared platform, so such a finding means their conclusions may not hold
 * on the machine. what names the machine's source in the messages ("the
 * host device tree"). Machine RAM the platform leaves out is no finding.
 * Returns 0, VMCFG_EINVAL (a NULL argument) or VMCFG_ENOMEM.
 */
int vmcfg_check_platform_machine(const struct vmcfg_platform *declared,
				 const struct vmcfg_platform *machine, const char *what,
				 struct vmcfg_diags *d);

/*
 * Static channels ([[ivc]] static = true): where each lies in a VM's IVC
 * window. A property of the system file alone, so it lives here: one rule,
 * used by the checker (W0314), by the hypervisor that maps the channels
 * there (vmcfg_ivc_publish_at / _subscribe_at, vmcfg/ivc.h) and by the
 * guest DT writer that describes them (vmcfg/fdt.h), so all agree.
 */
struct vmcfg_ivc_placement {
	size_t decl;           /* its declaration: sys->ivc[decl] */
	uint64_t key;
	const char *publisher; /* the publisher's name (NUL-terminated; sys owns it) */
	uint64_t gpa, size;    /* in the VM's IVC window; size = the declared size page-rounded */
	bool publishes;        /* the VM is the channel's publisher (else a subscriber) */
	bool writable;         /* the publisher, or a subscriber granted "rw" */
};

/*
 * The static channels of VM `name` (its base.name) in system sys: every
 * declaration with static = true and its key, publisher and size set that
 * names the VM as publisher or subscriber — once, as the publisher when it
 * is both. They are packed from window_gpa in declaration order, each
 * taking its size rounded up to whole pages (VMCFG_PAGE_SIZE); window_gpa
 * must be page-aligned. The result depends only on sys and the window,
 * not on which other VMs exist or run: a guest DT written at build time
 * and the hypervisor at boot agree.
 * Writes at most max placements to out (out may be NULL when max is 0) and
 * sets *count to how many the VM has. Returns 0; VMCFG_EINVAL (NULL sys,
 * name or count, out NULL with max > 0, window_gpa not page-aligned);
 * VMCFG_ERANGE when a channel does not fit: it would end beyond window_gpa
 * + window_size (a VM without a window has size 0) — the layout stops
 * there, *count is its position and out[*count], when *count < max,
 * describes it (gpa where it would start); VMCFG_ENOSPC when every channel
 * fits but *count > max (out holds the first max).
 */
int vmcfg_ivc_static_layout(const struct vmcfg_system *sys, const char *name,
			    uint64_t window_gpa, uint64_t window_size,
			    struct vmcfg_ivc_placement *out, size_t max, size_t *count);

/*
 * The placement of one declaration, sys->ivc[decl], in VM `name`'s window:
 * the entry vmcfg_ivc_static_layout would give for it. Returns 0;
 * VMCFG_ENOENT when it is no static channel of that VM (decl out of range,
 * not static, a key, publisher or size unset, or the VM not named in it);
 * VMCFG_ERANGE when it, or a channel of the VM before it, does not fit the
 * window (*out then describes the channel that does not fit);
 * VMCFG_EINVAL as vmcfg_ivc_static_layout.
 */
int vmcfg_ivc_static_find(const struct vmcfg_system *sys, const char *name,
			  uint64_t window_gpa, uint64_t window_size, size_t decl,
			  struct vmcfg_ivc_placement *out);

VMCFG_END_DECLS

#endif /* VMCFG_CHECK_H */

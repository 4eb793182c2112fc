/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/vm.h — building and running-state bookkeeping of one VM (the
 * reference's AxVM::new() and its device dispatch), done all-or-nothing:
 * vmcfg_vm_create either returns a complete VM — address space with stage-2
 * tables, vCPUs, device bus, passthrough windows, loaded images — or fails
 * with every frame and every byte of bookkeeping returned.
 *
 * Also here: the emulated device bus (MMIO, port I/O, system registers)
 * that the hypervisor dispatches guest accesses to, and the boot-image
 * helpers (the arm64 `Image` header).
 *
 * Reporting: warnings (a DEVICE-flagged region skipped, a passthrough
 * window whose page rounding exposes neighbouring bytes, an identical
 * region that fell back to a linear mapping) go to the HAL's log sink at
 * VMCFG_LOG_WARN, each line starting "vm <id> <name>: " (the identical
 * fallback line is the address space's own, logged once per region). The
 * reason of a failure goes to the log at VMCFG_LOG_ERROR and is also
 * written to vm_create_opts.error when the caller gives a buffer, so an
 * embedder without a log still learns why.
 *
 * Freestanding; no global state. Bookkeeping comes from the allocator of
 * the config (cfg->alloc), frames from the HAL. Not thread-safe: the
 * embedder serialises calls on one VM (bus dispatch included).
 */
#ifndef VMCFG_VM_H
#define VMCFG_VM_H

#include "vmcfg/aspace.h"
#include "vmcfg/check.h"
#include "vmcfg/config.h"

VMCFG_BEGIN_DECLS

/* ---------------------------------------------------------------------
 * The device bus
 * ------------------------------------------------------------------- */

/* The address spaces a guest access can target. */
enum vmcfg_vm_bus_space {
	VMCFG_VM_BUS_MMIO,   /* guest physical addresses (stage-2 data aborts) */
	VMCFG_VM_BUS_PIO,    /* x86 port I/O */
	VMCFG_VM_BUS_SYSREG, /* trapped system registers, by an embedder-chosen encoding */
	VMCFG_VM_BUS_SPACE_COUNT
};

/*
 * A device model. offset is relative to the device's base; width is 1, 2,
 * 4 or 8 and the access lies inside the device. A model returns 0, or an
 * error the bus hands back to the caller unchanged (e.g. VMCFG_EFAULT for
 * an access the device refuses) — never a crash. read sets *value.
 */
struct vmcfg_vm_device_ops {
	int (*read)(void *dev, uint64_t offset, unsigned width, uint64_t *value);
	int (*write)(void *dev, uint64_t offset, unsigned width, uint64_t value);
	/* Optional (NULL: the device keeps no state): back to its power-on state (vmcfg_vm_reset). */
	void (*reset)(void *dev);
};

/* One registered device: the half-open range [base, end). */
struct vmcfg_vm_bus_entry {
	uint64_t base, end;
	const char *name; /* borrowed; must outlive the registration */
	const struct vmcfg_vm_device_ops *ops;
	void *dev;
};

/*
 * Per space, entries sorted by base and pairwise disjoint, so a lookup is
 * one binary search. Fields are private; use the functions below.
 */
struct vmcfg_vm_bus {
	struct vmcfg_allocator alloc;
	struct vmcfg_vm_bus_entry *entries[VMCFG_VM_BUS_SPACE_COUNT];
	size_t count[VMCFG_VM_BUS_SPACE_COUNT], cap[VMCFG_VM_BUS_SPACE_COUNT];
};

/* An empty bus whose arrays come from alloc. Allocates nothing yet. */
void vmcfg_vm_bus_init(struct vmcfg_vm_bus *bus, const struct vmcfg_allocator *alloc);

/* Returns the arrays to the allocator; the bus is empty and reusable. */
void vmcfg_vm_bus_release(struct vmcfg_vm_bus *bus);

/*
 * Registers ops/dev for [base, base + size) in space (O(n) to keep the
 * array sorted). Returns 0; VMCFG_EINVAL for an unknown space, size 0 or
 * ops without read or write; VMCFG_ERANGE when base + size passes 2^64
 * (the end must be representable); VMCFG_EOVERLAP when any byte is
 * claimed already; VMCFG_ENOMEM. Nothing changes on failure.
 */
int vmcfg_vm_bus_register(struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t base, uint64_t size,
		    const char *name, const struct vmcfg_vm_device_ops *ops, void *dev);

/* Removes the device registered at exactly base. 0 or VMCFG_ENOENT. */
int vmcfg_vm_bus_unregister(struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t base);

/*
 * Calls the reset op of every device registered in any space, once per
 * registration, in space and then address order (devices without one are
 * skipped).
 */
void vmcfg_vm_bus_reset(const struct vmcfg_vm_bus *bus);

/* The device whose range holds addr (binary search), or NULL. */
const struct vmcfg_vm_bus_entry *vmcfg_vm_bus_find(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space,
				       uint64_t addr);

/* Devices registered in space (for listing, in address order via vmcfg_vm_bus_entry_at). */
size_t vmcfg_vm_bus_count(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space);
const struct vmcfg_vm_bus_entry *vmcfg_vm_bus_entry_at(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space,
					   size_t i);

/*
 * Dispatches a guest access of width bytes (1, 2, 4, 8) at addr to the
 * device that claims it. Returns the device's result; VMCFG_EINVAL for a
 * bad width or space; VMCFG_EFAULT when no device claims addr or the
 * access runs past the device's end (the hypervisor reports it and stops
 * that VM; nothing else happens). read sets *value only on success.
 */
int vmcfg_vm_bus_read(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t addr, unsigned width,
		uint64_t *value);
int vmcfg_vm_bus_write(const struct vmcfg_vm_bus *bus, enum vmcfg_vm_bus_space space, uint64_t addr, unsigned width,
		 uint64_t value);

/* ---------------------------------------------------------------------
 * Boot images
 * ------------------------------------------------------------------- */

/* The bytes of one image, supplied by the caller (the core opens no files). */
struct vmcfg_vm_image_data {
	enum vmcfg_image_kind kind;
	const void *data;
	size_t len;
};

/* The header of an arm64 Linux `Image` (Documentation/arch/arm64/booting.rst). */
struct vmcfg_vm_arm64_image {
	uint64_t text_offset; /* the image goes text_offset bytes past a 2 MiB boundary */
	uint64_t image_size;  /* bytes the kernel needs from its load address (bss included) */
	uint64_t flags;       /* bit 0: big-endian; bits 1-2: page size; bit 3: placement */
};

#define VMCFG_VM_ARM64_IMAGE_MAGIC_OFFSET 56
#define VMCFG_VM_ARM64_IMAGE_HEADER_SIZE 64
#define VMCFG_VM_ARM64_IMAGE_ALIGN (2ull << 20)
/* Legacy images (image_size 0) are loaded at this text offset and have no known size. */
#define VMCFG_VM_ARM64_IMAGE_LEGACY_TEXT_OFFSET 0x80000ull

/*
 * Reads the header of an arm64 Image: magic "ARM\x64" at offset 56,
 * text_offset at 8, image_size at 16, flags at 24 (little-endian). A
 * legacy header (image_size 0) reads as text_offset 0x80000 and
 * image_size = len. Returns 0; VMCFG_ENOENT when data is shorter than the
 * header or has no magic (not an arm64 Image: a raw binary).
 */
int vmcfg_vm_arm64_image_parse(const void *data, size_t len, struct vmcfg_vm_arm64_image *out);

/* ---------------------------------------------------------------------
 * VMs
 * ------------------------------------------------------------------- */

/*
 * Lifecycle. vmcfg_vm_create returns a VM in VMCFG_VM_LOADED. Legal transitions:
 * LOADING → LOADED (vmcfg_vm_create), LOADED → RUNNING, RUNNING ⇄ SUSPENDED,
 * RUNNING/SUSPENDED → LOADED (vmcfg_vm_reset), RUNNING/SUSPENDED → STOPPING,
 * STOPPING → STOPPED. Nothing else.
 */
enum vmcfg_vm_state { VMCFG_VM_LOADING, VMCFG_VM_LOADED, VMCFG_VM_RUNNING, VMCFG_VM_SUSPENDED, VMCFG_VM_STOPPING, VMCFG_VM_STOPPED };

/* "loading", "loaded", …; NULL for an unknown value. */
const char *vmcfg_vm_state_name(enum vmcfg_vm_state s);

/* What a vCPU needs at its first entry. */
struct vmcfg_vm_vcpu {
	uint32_t id;
	bool has_mask;
	uint64_t pcpu_mask; /* physical CPUs it may run on (when has_mask) */
	uint64_t phys_id;   /* from the affinity contract */
	uint64_t entry;     /* bsp_entry for vCPU 0, ap_entry for the others */
	/*
	 * aarch64: MPIDR the guest reads (VMPIDR_EL2): phys_id's affinity
	 *          fields and the RES1 bit 31;
	 * riscv64: the hart id (phys_id);
	 * x86_64:  the local APIC id (phys_id).
	 */
	uint64_t arch_id;
	/*
	 * Boot registers: aarch64 x0 = DTB GPA (x1..x3 = 0); riscv64 a0 = hart
	 * id, a1 = DTB GPA; x86_64 none (the BSP starts at its entry in the
	 * mode the firmware expects; regs all 0). The DTB GPA is 0 when the
	 * config has no dtb load address.
	 */
	uint64_t regs[4];
};

/* An emulated device as the VM built it (for listing). */
struct vmcfg_vm_device_info {
	const char *name;
	uint32_t emu_type;
	enum vmcfg_vm_bus_space space;
	uint64_t base, length;
	uint32_t irq_id;
	const char *model; /* "pl011", "16550-mmio", "16550-pio", "dummy", "ivc-window", or the embedder's */
	bool read_shadow;  /* its first page is a read shadow (opts.console_read_shadow) */
};

/* A passthrough window as mapped (page-rounded; merged windows carry the first one's name). */
struct vmcfg_vm_pt_window {
	const char *name; /* the passthrough device's name, or "passthrough_addresses[i]" */
	uint64_t gpa, hpa, size;
	unsigned merged;  /* how many declared windows were merged into this one, minus 1 */
};

/* An image as loaded. */
struct vmcfg_vm_loaded_image {
	bool loaded;
	uint64_t gpa, len;
	bool arm64_header;        /* the kernel carried an arm64 Image header */
	struct vmcfg_vm_arm64_image arm64;
};

struct vmcfg_vm;
struct vmcfg_vm_console;

/* Sink for what the guest writes to an emulated console (one call per byte run). */
typedef void (*vmcfg_vm_console_fn)(void *ud, const struct vmcfg_vm *vm, const char *s, size_t len);

/*
 * Builds devices this build does not emulate (an interrupt controller,
 * virtio): the embedder registers them on vm->bus and returns 0, or
 * returns VMCFG_ENOSYS when it cannot either (then vmcfg_vm_create fails naming
 * the device and its type). Any other error fails vmcfg_vm_create too.
 */
typedef int (*vmcfg_vm_device_factory_fn)(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/*
 * A device factory that builds what the reference hypervisor builds
 * through its own (hv/'s vGIC): for an InterruptController device, the
 * GICv3 distributor at base_gpa (VMCFG_VGIC_GICD_SIZE) and one
 * redistributor frame per vCPU at VMCFG_VGIC_GICR_BASE, as register-less
 * models (reads 0, writes ignored). Any other known AxVisor type
 * (vmcfg_emu_type_name, which the hypervisor does not emulate: W0233 of
 * the checker) becomes the inert window of vmcfg_vm_inert_device, as on
 * the hypervisor. For `vmcfg build` and
 * tests on a simulated host; ud is unused. Returns VMCFG_ENOSYS for an
 * unknown type, one of length 0, or a GIC pass-through type
 * (vmcfg_emu_type_is_gppt: the hypervisor refuses them); VMCFG_EINVAL when a GIC window is
 * below 64 KiB or the VM has more than VMCFG_VGIC_MAX_VCPUS vCPUs; the
 * bus's errors (VMCFG_EOVERLAP for a second GIC or a device over the
 * redistributors).
 */
int vmcfg_vm_hv_model_factory(void *ud, struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

/*
 * What the reference hypervisor's factory and vmcfg_vm_hv_model_factory
 * both do with a known AxVisor device type the hypervisor does not emulate
 * (vmcfg_emu_type_name knows it, vmcfg_emu_type_built says no: the
 * checker's W0233): registers dev as an inert window of its length — on
 * ports where vmcfg_emu_device_is_pio says, else MMIO — whose registers
 * read as 0 and ignore writes, and logs a warning. The VM builds and
 * starts; a guest driver for the device finds nothing behind it.
 * Returns 0; VMCFG_ENOSYS for an unknown type, an InterruptController
 * (the factory's own) or length 0; the bus's errors (VMCFG_EOVERLAP,
 * VMCFG_ERANGE, VMCFG_ENOMEM).
 */
int vmcfg_vm_inert_device(struct vmcfg_vm *vm, const struct vmcfg_vm_emu_device *dev);

struct vmcfg_vm_create_opts {
	/*
	 * The guest architecture: VMCFG_ARCH_UNKNOWN takes the system's
	 * platform arch; without either vmcfg_vm_create fails (VMCFG_EINVAL).
	 */
	enum vmcfg_arch arch;
	/*
	 * Stage-2 format: when !has_pt_kind, picked from arch and ipa_bits
	 * (aarch64: 3 levels up to 42 bits, else 4; riscv64: Sv39x4 up to 41
	 * bits, else Sv48x4; x86_64: EPT).
	 */
	bool has_pt_kind;
	enum vmcfg_pt_kind pt_kind;
	/* Guest-physical width: 0 takes the platform's ipa_bits, else 40 (aarch64), 41 (riscv64), 48 (x86). */
	unsigned ipa_bits;
	/* Host physical width for vmcfg_vm_stage2_regs: 0 picks the smallest the format accepts >= ipa_bits. */
	unsigned pa_bits;
	/* VMCFG_ASPACE_* options of the VM's address space (vmcfg/aspace.h); usually 0. */
	unsigned aspace_options;
	/* MapAlloc regions get frames on first touch instead of at creation. */
	bool lazy_alloc;
	/*
	 * MapAlloc regions get their frames at creation but each leaf is zeroed
	 * on its first touch (vmcfg_aspace_map_alloc_deferred): by an image
	 * written into it, or by the guest through the embedder's stage-2 fault
	 * handler, which must call vmcfg_aspace_fault_in. Ignored with lazy_alloc.
	 */
	bool defer_zeroing;
	/*
	 * Each PL011 console whose window starts on a page boundary and spans
	 * at least a page gets a read shadow: a frame mapped read-only (device
	 * memory) over the window's first page, holding what every register
	 * there reads — rewritten after each write dispatched to the console
	 * and at vmcfg_vm_reset. Guest reads of it (the driver's FR poll
	 * before every byte) then never exit; writes still do, as stage-2
	 * permission faults, which the embedder dispatches with
	 * vmcfg_vm_mmio_write like other device writes (vmcfg_vm_read_shadowed
	 * tells them apart). A page cannot show a receive FIFO that reads
	 * drain, so such a console takes no input (vmcfg_vm_console_input
	 * returns VMCFG_EBUSY) until vmcfg_vm_console_unshadow removes the
	 * shadow; from then on its reads exit too.
	 */
	bool console_read_shadow;
	/* Images to load; each kind at most once. */
	const struct vmcfg_vm_image_data *images;
	size_t image_count;
	vmcfg_vm_console_fn console;
	void *console_ud;
	vmcfg_vm_device_factory_fn device_factory;
	void *device_factory_ud;
	/* Where the failure reason goes (NUL-terminated, cut to fit); may be NULL. */
	char *error;
	size_t error_size;
};

/*
 * A VM. The public fields are read-only to the embedder (vmcfg_vm_set_state and
 * the functions below change them); vcpus, devices and name live as long
 * as the VM.
 */
struct vmcfg_vm {
	uint64_t id;
	const char *name;
	enum vmcfg_arch arch;
	enum vmcfg_vm_state state;
	struct vmcfg_aspace aspace; /* the stage-2 tables; translate/read/write freely */
	unsigned pa_bits;
	struct vmcfg_vm_vcpu *vcpus;
	uint32_t vcpu_count;
	struct vmcfg_vm_bus bus;
	struct vmcfg_vm_device_info *devices;
	size_t device_count;
	struct vmcfg_vm_pt_window *pt_windows; /* ascending GPA */
	size_t pt_window_count;
	uint64_t ivc_window_gpa, ivc_window_size; /* size 0: no IVC window */
	enum vmcfg_irq_mode irq_mode;
	const uint32_t *spis; /* host interrupts routed to the VM: GIC SPIs, riscv64 PLIC sources */
	size_t spi_count;
	struct vmcfg_vm_loaded_image images[4]; /* by enum vmcfg_image_kind */
	uint32_t warnings;                /* warnings logged while building */
	unsigned ivc_attached;            /* IVC registries holding this VM (vmcfg/ivc.h) */

	/* private */
	struct vmcfg_vm_mem_region *ram; /* the RAM regions (DEVICE-flagged ones left out), copied */
	size_t ram_count;
	struct vmcfg_vm_console *consoles; /* emulated consoles, newest first (input goes to the first built) */
	struct vmcfg_hal hal; /* for reporting, usable before the aspace exists */
	struct vmcfg_arena arena;
	struct vmcfg_allocator alloc;
	vmcfg_vm_console_fn console;
	void *console_ud;
};

/*
 * Builds the VM cfg describes, for the platform of sys (may be NULL) on
 * hal. In order: vCPUs from vmcfg_vm_config_vcpu_affinities; the address space;
 * RAM regions per map type (MapAlloc: zeroed frames, eager unless
 * opts->lazy_alloc or opts->defer_zeroing; MapIdentical: reserved from the
 * HAL, or — outside the HAL's memory — mapped linearly with a warning,
 * refused with VMCFG_EBUSY when already owned; MapReserved: linear, never
 * allocated; DEVICE-flagged regions skipped with a warning); passthrough
 * windows (below); emulated devices on the bus; the SPI list and interrupt
 * mode; the images, each bounds-checked against RAM before a byte is
 * copied. Returns 0 with *out
 * in VMCFG_VM_LOADED. On failure *out is NULL, the reason is reported (see the
 * top of this file), every frame is back with the HAL and every byte with
 * the allocator. Errors:
 *   VMCFG_EINVAL   NULL arguments, no architecture, a vCPU physical id
 *                  with bits outside the MPIDR affinity fields (aarch64),
 *                  two IVC windows, an image without load address or
 *                  given twice, a big-endian arm64 Image, passthrough_ports
 *                  on an arch other than x86_64 or past port 0xffff;
 *   VMCFG_ENOSYS   a passthrough entry naming a device-tree path (it needs
 *                  a host device tree to resolve), an emu_type this build
 *                  cannot emulate and no factory could build;
 *   VMCFG_EOVERLAP two guest ranges (RAM, windows, devices) collide, two
 *                  port ranges (passthrough_ports, port I/O devices) do, or
 *                  two passthrough windows overlap with different
 *                  GPA→HPA offsets;
 *   VMCFG_EALIGN   a region not page-aligned; a passthrough window whose
 *                  GPA and HPA differ in their page offset; an arm64
 *                  kernel not at text_offset past a 2 MiB boundary;
 *   VMCFG_ERANGE   a range that wraps or exceeds the IPA width; an image
 *                  outside RAM or running past it;
 *   VMCFG_EBUSY    an identical region owned already;
 *   VMCFG_ENOMEM   the HAL or the allocator ran out;
 *   other errors of the address space (vmcfg/aspace.h) as they come.
 *
 * Passthrough windows (passthrough_devices with a length, and
 * passthrough_addresses as identity windows) map GPA [align_down(base),
 * align_up(base + length)) to the HPA at the same offset from base_hpa,
 * read/write, device memory, never executable. Windows that overlap are
 * merged when their GPA→HPA offsets agree. A warning names the bytes the
 * rounding exposes. A passthrough entry whose base_gpa, base_hpa and
 * length are all 0 is a device-tree path (the name-only form). Any other
 * entry of length 0 is skipped with a warning.
 *
 * Emulated devices: Dummy (RAZ/WI), Console, IVCChannel (the IVC window:
 * at most one; accesses to unmapped parts of it are refused with
 * VMCFG_EFAULT), anything else through opts->device_factory. The console
 * model is chosen by cfg_list[0] when given — 0 arch default, 1 PL011,
 * 2 16550 on MMIO (byte registers), 3 16550 on port I/O — else by arch:
 * aarch64 PL011 (MMIO), riscv64 16550 (MMIO), x86_64 16550 (port I/O at
 * base_gpa). Every device is also on the bus; its window must not overlap
 * RAM or a passthrough window. An aarch64 VM of at most VMCFG_VGIC_MAX_VCPUS
 * vCPUs with irq_mode VMCFG_IRQ_PASSTHROUGH also gets, when there is a
 * factory, an InterruptController ("vGIC") at VMCFG_VGIC_GICD_BASE without
 * an emu_devices entry, its redistributors held to the same rule
 * (vmcfg/check.h: the hypervisor keeps the physical GIC); a factory that
 * answers VMCFG_ENOSYS there fails the VM like any other.
 */
int vmcfg_vm_create(const struct vmcfg_vm_config *cfg, const struct vmcfg_system *sys,
	      const struct vmcfg_hal *hal, const struct vmcfg_vm_create_opts *opts, struct vmcfg_vm **out);

/*
 * Scrubs (zeroes) every frame the VM owns — allocated RAM and reserved
 * identical RAM; memory the host set aside (MapReserved, identical
 * fallback) is the host's and keeps its contents — then returns every
 * frame and table page to the HAL and the bookkeeping to the allocator.
 * vm may be NULL (returns 0). Refused with VMCFG_ESTATE while the VM is
 * RUNNING, SUSPENDED or STOPPING (vCPUs may still use the tables) and with
 * VMCFG_EBUSY while an IVC registry holds it (vmcfg_ivc_detach first);
 * then nothing changes.
 */
int vmcfg_vm_destroy(struct vmcfg_vm *vm);

/*
 * Resets vm in place, as a warm reset resets a machine, so the embedder can
 * start it again (PSCI SYSTEM_RESET): every device on its bus with a reset
 * op returns to its power-on state, and each image of images[0..count) is
 * written again where vmcfg_vm_create loaded it (pass what vmcfg_vm_create got; every
 * kind given must be one the VM loaded). The rest of its RAM keeps its
 * contents, as RAM does across a warm reset (it is the VM's own: nothing
 * of another VM's is exposed, and a guest may keep a crash log there);
 * mappings, passthrough windows and IVC channels stay. The embedder must
 * have stopped every vCPU first, and restarts them from vm->vcpus[] (their
 * boot registers are part of the plan). Moves RUNNING or SUSPENDED to
 * LOADED. Returns 0; VMCFG_EINVAL (vm NULL, images NULL with count > 0, an
 * image of a kind the VM did not load); VMCFG_ESTATE (vm neither RUNNING
 * nor SUSPENDED: nothing changes); an error of vmcfg_vm_load_image, when the VM
 * is left LOADED with that image not rewritten (do not run it).
 */
int vmcfg_vm_reset(struct vmcfg_vm *vm, const struct vmcfg_vm_image_data *images, size_t count);

/*
 * Moves vm to state `to` when the lifecycle above allows it. Returns 0 or
 * VMCFG_ESTATE (nothing changes).
 */
int vmcfg_vm_set_state(struct vmcfg_vm *vm, enum vmcfg_vm_state to);

/*
 * Loads an image into guest memory: [gpa, gpa + len) must lie inside the
 * VM's RAM (checked before copying); for an aarch64 kernel with an Image
 * header, gpa - text_offset must be 2 MiB aligned and [gpa, gpa +
 * image_size) must be RAM too. Allowed in VMCFG_VM_LOADING and VMCFG_VM_LOADED (images
 * may be replaced before the first start). An earlier image of the same
 * kind is forgotten; a new image may not overlap one of another kind.
 * Returns 0; VMCFG_ESTATE; VMCFG_EINVAL (unknown kind, big-endian kernel);
 * VMCFG_ERANGE; VMCFG_EALIGN; VMCFG_EOVERLAP; VMCFG_EFAULT (RAM the HAL
 * cannot show). The error reason is logged through the HAL.
 */
int vmcfg_vm_load_image(struct vmcfg_vm *vm, enum vmcfg_image_kind kind, uint64_t gpa, const void *data,
		  size_t len);

/*
 * Guest accesses the hypervisor trapped, dispatched to vm's bus (see
 * vmcfg_vm_bus_read). An access nothing claims returns VMCFG_EFAULT.
 */
int vmcfg_vm_mmio_read(struct vmcfg_vm *vm, uint64_t gpa, unsigned width, uint64_t *value);
int vmcfg_vm_mmio_write(struct vmcfg_vm *vm, uint64_t gpa, unsigned width, uint64_t value);

/*
 * Whether gpa lies in the read shadow of one of vm's devices
 * (opts.console_read_shadow): a write there arrives as a stage-2
 * permission fault and is the device's, for vmcfg_vm_mmio_write.
 */
bool vmcfg_vm_read_shadowed(const struct vmcfg_vm *vm, uint64_t gpa);

/*
 * Queues bytes for the guest to read from its emulated console: the first
 * one its configuration declares (a FIFO of 16 bytes per console, as a
 * PL011's; bytes beyond its room are not taken). Returns the number
 * queued (0 when the FIFO is full: offer the rest after the guest's next
 * read), VMCFG_ENOENT when the VM has no console, or VMCFG_EBUSY while
 * that console has a read shadow (opts.console_read_shadow; see
 * vmcfg_vm_console_unshadow).
 */
int vmcfg_vm_console_input(struct vmcfg_vm *vm, const char *s, size_t len);

/*
 * Removes the read shadow of the console vmcfg_vm_console_input feeds, so
 * that the guest's reads of it exit and can drain a receive FIFO: the page
 * is unmapped from stage 2 and *gpa set to its guest address. The embedder
 * must then invalidate that page's stage-2 TLB entries on every CPU before
 * queueing input (a vCPU may read the old page until then; its frame stays
 * allocated until vmcfg_vm_destroy, so that read sees only register values),
 * then call vmcfg_aspace_release_retired(&vm->aspace) to free the page
 * tables the unmap left empty.
 * Returns 0; VMCFG_ENOENT when that console has no shadow (or the VM no
 * console): nothing to do; an error of vmcfg_aspace_unmap (shadow kept).
 */
int vmcfg_vm_console_unshadow(struct vmcfg_vm *vm, uint64_t *gpa);

/*
 * The interrupt output of vm's emulated console at base, read without side
 * effects: a PL011's UARTMIS != 0, a 16550's IIR identifying an interrupt
 * (received data with IER.RDI; transmitter empty with IER.THRI, until the
 * guest reads that IIR or writes THR). For the embedder's interrupt
 * controller, after each guest access to the console. Returns 0 and sets
 * *line, or VMCFG_ENOENT when no console starts at base.
 */
int vmcfg_vm_console_irq(const struct vmcfg_vm *vm, uint64_t base, bool *line);

/* The stage-2 registers for vm's tables (vmcfg_aspace_regs with vm->pa_bits). */
int vmcfg_vm_stage2_regs(const struct vmcfg_vm *vm, struct vmcfg_pt_regs *out);

/*
 * Whether [gpa, gpa + len) lies in the VM's RAM (its non-DEVICE memory
 * regions, across adjacent ones). len 0 never does. Never overflows.
 */
bool vmcfg_vm_range_is_ram(const struct vmcfg_vm *vm, uint64_t gpa, uint64_t len);

VMCFG_END_DECLS

#endif /* VMCFG_VM_H */

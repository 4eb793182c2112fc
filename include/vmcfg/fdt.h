/* SPDX-License-Identifier: MIT */
/*
 * vmcfg/fdt.h — device trees, host side only (libfdt; not in the
 * freestanding core): the host's device tree as the platform description,
 * device-tree-path passthrough, the checks against the host DT, and the
 * generation of a guest device tree for a VM.
 *
 * Vocabulary. A *window* is a host physical range [base, base + size) of a
 * node's `reg`, translated through every parent's `ranges`. An *SPI* is a
 * GIC shared peripheral interrupt number n (INTID 32 + n). A node's
 * *dependencies* are the nodes its phandle properties name (clocks,
 * resets, power-domains, pinctrl-N, phys, dmas, …).
 *
 * Errors are vmcfg codes (vmcfg/base.h); findings about the user's files
 * and the host DT are diagnostics (rules E04xx/W04xx of vmcfg/diag.h,
 * documented in docs/diagnostics.md; the behaviour in docs/device-tree.md).
 * Blobs returned to the caller are malloc'ed: free them with free().
 */
#ifndef VMCFG_FDT_H
#define VMCFG_FDT_H

#include "vmcfg/check.h"
#include "vmcfg/config.h"

VMCFG_BEGIN_DECLS

/* ---------------------------------------------------------------- loading */

/*
 * Runs `dtc -q -I in_format -O out_format` ("dts", "dtb") on in_len bytes
 * of in and returns its output in *out (malloc'ed, *out_len bytes plus a
 * NUL). dtc's error messages go to standard error.
 * Returns 0; VMCFG_EINVAL for a NULL argument or an unknown format;
 * VMCFG_EIO when dtc cannot be run or fails (e.g. a DTS syntax error);
 * VMCFG_ENOMEM. On failure *out is NULL.
 */
int vmcfg_fdt_dtc(const char *in_format, const char *out_format, const void *in, size_t in_len,
		  char **out, size_t *out_len);

/*
 * Reads a device tree file: a DTB (it starts with the FDT magic) as is,
 * anything else compiled as DTS with dtc. *blob is malloc'ed.
 * Returns 0, VMCFG_EIO (unreadable file, or dtc failed), VMCFG_ELIMIT (over
 * VMCFG_MAX_INPUT), VMCFG_EINVAL (a device or directory, or a NULL
 * argument: see vmcfg_read_file), VMCFG_ENOMEM.
 */
int vmcfg_fdt_read(const char *path, char **blob, size_t *size);

/* ------------------------------------------------------- the host platform */

/* A host physical window of a node's `reg`. */
struct vmcfg_fdt_window {
	uint64_t base, size;
};

enum vmcfg_fdt_irq_kind {
	VMCFG_FDT_IRQ_SPI,  /* GIC type 0: INTID 32 + n */
	VMCFG_FDT_IRQ_PPI,  /* GIC type 1: INTID 16 + n */
	VMCFG_FDT_IRQ_ESPI, /* GICv3.1 type 2: INTID 4096 + n */
	VMCFG_FDT_IRQ_EPPI, /* GICv3.1 type 3: INTID 1056 + n */
	VMCFG_FDT_IRQ_OTHER, /* the controller is neither a GIC nor a PLIC (e.g. a GPIO controller) */
	VMCFG_FDT_IRQ_PLIC   /* a RISC-V PLIC's source n (1..1023; riscv,plic0, sifive,plic-1.0.0) */
};

/* One decoded interrupt specifier. */
struct vmcfg_fdt_irq {
	enum vmcfg_fdt_irq_kind kind;
	uint32_t number;  /* n of the GIC kinds; the PLIC source; the first specifier cell for OTHER */
	uint32_t intid;   /* the GIC INTID; 0 for PLIC and OTHER */
	uint32_t flags;   /* the third GIC cell (trigger type, GICv2 CPU mask); 0 for PLIC and OTHER */
	int controller;   /* DT offset of the interrupt controller */
};

enum vmcfg_fdt_gic {
	VMCFG_FDT_GIC_NONE = 0,
	VMCFG_FDT_GIC_V2 = 2,
	VMCFG_FDT_GIC_V3 = 3
};

struct vmcfg_fdt_index; /* the node table (paths, parents, phandles); internal */

/*
 * A host DT read as a platform. `platform` is what the checker takes
 * (vmcfg/check.h); its arrays point into this object, which owns them:
 *   arch         aarch64 when the CPUs or the interrupt controller are ARM's,
 *                riscv64 for RISC-V CPUs, else unknown;
 *   cpu_num, phys_cpu_ids
 *                the enabled /cpus/cpu@* nodes in DT order, ids from `reg`
 *                (MPIDR affinity on ARM): pCPU n is the n-th such node;
 *   ram          the `reg` windows of the device_type = "memory" nodes minus
 *                the memory reservation block and every /reserved-memory
 *                child's `reg`, sorted; reserved memory is thus not host
 *                RAM to the checker (E0307 flags identity RAM over it);
 *   reserved     the interrupt controller frames: GICD, GICR (v3), GICC,
 *                GICH, GICV, and the ITS / v2m frames of its children;
 *   ipa_bits     0 (a DT does not say); hv_memory: none.
 * Node offsets in this API are offsets into `fdt`.
 */
struct vmcfg_fdt_platform {
	struct vmcfg_platform platform;
	const char *file;        /* the name given at open (platform.file too) */
	const void *fdt;         /* the blob (an owned copy) */
	size_t size;
	enum vmcfg_fdt_gic gic;  /* the root interrupt controller's version */
	int gic_node;            /* its offset; -1 when there is no GIC */
	uint32_t gic_phandle;    /* its phandle; 0 when it has none */
	const char *psci_method; /* "smc" / "hvc" of /psci; NULL without PSCI */
	int timer_node;          /* the arm,armv8-timer node; -1 when none */
	struct vmcfg_arena arena;
	struct vmcfg_fdt_index *index;
};

/*
 * Reads a DTB (size bytes; it is copied) as a platform. file names it in
 * diagnostics (copied; may be NULL). A blob libfdt rejects (fdt_check_full)
 * or a tree deeper than 64 levels is one E0401 finding and VMCFG_ESYNTAX.
 * Problems with single nodes (a `reg` that cannot be read or translated, a
 * CPU without a valid id, more than VMCFG_MAX_PCPUS CPUs) are warnings
 * (W0404, W0408) located at file; the node is left out and reading goes on.
 * Returns 0, VMCFG_ESYNTAX, VMCFG_ENOMEM or VMCFG_EINVAL (NULL blob, out
 * or diags); *out is NULL on failure. Free with vmcfg_fdt_platform_free.
 */
int vmcfg_fdt_platform_open(const void *blob, size_t size, const char *file,
			    struct vmcfg_fdt_platform **out, struct vmcfg_diags *diags);

/*
 * vmcfg_fdt_read + vmcfg_fdt_platform_open: a .dtb or .dts file as the
 * platform. An unreadable file or a DTS that dtc rejects is one E0401
 * finding and VMCFG_EIO. Otherwise as vmcfg_fdt_platform_open.
 */
int vmcfg_fdt_platform_load(const char *path, struct vmcfg_fdt_platform **out,
			    struct vmcfg_diags *diags);

/* Frees a platform and everything it owns. NULL is allowed. */
void vmcfg_fdt_platform_free(struct vmcfg_fdt_platform *host);

/*
 * The offset of the node at path (a full path, or an alias as libfdt
 * resolves it); VMCFG_ENOENT when there is none.
 */
int vmcfg_fdt_find(const struct vmcfg_fdt_platform *host, const char *path);

/* The full path of the node at offset; NULL when offset is not a node. */
const char *vmcfg_fdt_path(const struct vmcfg_fdt_platform *host, int offset);

/*
 * The `reg` windows of node, translated to host physical addresses: each
 * address goes up through every parent bus, by the bus's `ranges` (empty =
 * identity) under its #address-cells / #size-cells (defaults 2 and 1).
 * A node without `reg`, or whose parent has #size-cells = 0 (CPUs, I2C or
 * SCMI children: not memory-mapped), has no windows (0, *count = 0).
 * Writes at most max windows to out (out may be NULL when max is 0) and
 * sets *count to how many the node has. On error *why (when why is not
 * NULL) is a static English reason. Returns 0; VMCFG_ENOSPC when count >
 * max; VMCFG_ENOENT when node is not a node; VMCFG_ESYNTAX for a malformed
 * `reg`/`ranges`/cells property; VMCFG_ERANGE when an address cannot be
 * translated (a parent without `ranges`, an address no range covers, a
 * window crossing a range's end, more than 2 address cells, beyond 2^64).
 */
int vmcfg_fdt_node_windows(const struct vmcfg_fdt_platform *host, int node,
			   struct vmcfg_fdt_window *out, size_t max, size_t *count,
			   const char **why);

/*
 * The interrupts of node, from `interrupts-extended` when present, else
 * from `interrupts` with the interrupt parent found through
 * `interrupt-parent` (inherited from the nearest ancestor that has one;
 * the tree parent when none has). Specifiers are split per the
 * controller's #interrupt-cells; a GIC's are decoded (type, number,
 * flags). Same out/max/count/why contract as vmcfg_fdt_node_windows.
 * Returns 0; VMCFG_ENOSPC; VMCFG_ENOENT (not a node); VMCFG_ESYNTAX (a
 * length that is no multiple of the cells, a bad #interrupt-cells, a GIC
 * specifier with fewer than 3 cells or an unknown type); VMCFG_ERANGE (an
 * interrupt parent that does not exist or is an interrupt-map nexus, which
 * this reader does not translate).
 */
int vmcfg_fdt_node_irqs(const struct vmcfg_fdt_platform *host, int node, struct vmcfg_fdt_irq *out,
			size_t max, size_t *count, const char **why);

/* ------------------------------------------------- DT-path passthrough */

/* A device-tree path and where the user wrote it (span line 0: nowhere). */
struct vmcfg_fdt_path {
	const char *path;
	struct vmcfg_loc loc;
};

/*
 * How a dependency relates to the passthrough set:
 *   PASSED       the target is passed through itself;
 *   DESCRIPTION  the target has no windows (a fixed clock, a fixed
 *                regulator): it is copied into the guest DT as a pure
 *                description, never mapped;
 *   OUTSIDE      the target is hardware the VM does not get (a clock or
 *                reset controller, a pin controller, …): its windows are
 *                NOT passed through — sharing it with the host is unsafe —
 *                and the guest DT drops the referencing property (W0406).
 */
enum vmcfg_fdt_dep_kind {
	VMCFG_FDT_DEP_PASSED,
	VMCFG_FDT_DEP_DESCRIPTION,
	VMCFG_FDT_DEP_OUTSIDE
};

/* node's property names target (paths point into the expansion). */
struct vmcfg_fdt_dep {
	const char *node, *property, *target;
	enum vmcfg_fdt_dep_kind kind;
};

/* A node the expansion selected. */
struct vmcfg_fdt_node {
	int offset;
	const char *path;
	bool dependency;     /* a DESCRIPTION dependency, not passed through */
	struct vmcfg_loc loc; /* the passthrough entry that brought it in */
};

/* A passthrough window: GPA = HPA = hpa (identity). */
struct vmcfg_fdt_pt_window {
	const char *node; /* the node's path */
	uint64_t hpa, size;
};

/*
 * A host interrupt routed to the VM; node is the first node that raises it.
 * On a GIC host spi is the SPI number and intid its INTID (32 + spi); on a
 * PLIC host (riscv64) spi is the PLIC source and intid is 0.
 */
struct vmcfg_fdt_spi {
	uint32_t spi, intid;
	const char *node;
};

/*
 * What DT-path passthrough entries mean on a host. The expansion owns its
 * arrays; node paths, property names and offsets point into host, which
 * must outlive it.
 */
struct vmcfg_fdt_expansion {
	const struct vmcfg_fdt_platform *host;
	struct vmcfg_arena arena;
	struct vmcfg_fdt_node *nodes;      /* ascending offset (DT order) */
	size_t node_count;
	struct vmcfg_fdt_pt_window *windows; /* in DT order */
	size_t window_count;
	struct vmcfg_fdt_spi *spis;        /* ascending, each SPI once */
	size_t spi_count;
	struct vmcfg_fdt_dep *deps;        /* transitive closure, each (node, property, target) once */
	size_t dep_count;
};

/*
 * Expands paths[0..n) against host: each path's node and all its
 * descendants, minus the subtrees of excluded[0..m), minus every node
 * whose `status` is set and is neither "okay" nor "ok" (with its subtree),
 * minus the nodes that are not devices (/cpus, /chosen, /aliases,
 * /reserved-memory, device_type = "memory" nodes, overlay metadata, and
 * the root GIC with its children, or a PLIC, below a path: the hypervisor
 * keeps it; a path naming it itself selects it).
 * Every selected node gives its windows (never a window the DT does not
 * have) and its GIC SPIs or PLIC sources; then the phandle dependencies of the selected
 * nodes are followed transitively and classified (enum vmcfg_fdt_dep_kind).
 * Findings, located at the path's loc: E0402 no such node (hint: the
 * nearest existing path), W0403 the path names a disabled node (nothing
 * selected), W0404 a window that cannot be translated, W0405 interrupts
 * that cannot be decoded or routed, W0407 an excluded path that does not
 * exist. Returns 0 (with *out, even when findings were reported),
 * VMCFG_ENOMEM or VMCFG_EINVAL; *out is NULL on failure.
 */
int vmcfg_fdt_expand(const struct vmcfg_fdt_platform *host, const struct vmcfg_fdt_path *paths,
		     size_t n, const struct vmcfg_fdt_path *excluded, size_t m,
		     struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out);

/*
 * vmcfg_fdt_expand over the DT-path entries (name only) and the
 * excluded_devices of a decoded VM file, located at their TOML values.
 */
int vmcfg_fdt_expand_spec(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_spec *spec,
			  struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out);

/*
 * vmcfg_fdt_expand over the DT-path entries (length 0 and no addresses)
 * and the excluded paths of a runtime config; findings have no location.
 */
int vmcfg_fdt_expand_config(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			    struct vmcfg_diags *diags, struct vmcfg_fdt_expansion **out);

/* Frees an expansion. NULL is allowed. */
void vmcfg_fdt_expansion_free(struct vmcfg_fdt_expansion *exp);

/*
 * Makes cfg buildable: removes its DT-path passthrough entries and adds
 * one passthrough device per window of exp (name = node path, base_gpa =
 * base_hpa = hpa, length = size, irq_id 0) and exp's SPIs. Returns 0 or
 * VMCFG_ENOMEM (cfg may then hold part of the additions).
 */
int vmcfg_fdt_expansion_apply(const struct vmcfg_fdt_expansion *exp, struct vmcfg_vm_config *cfg);

/*
 * vmcfg_fdt_expand_config, then vmcfg_fdt_expansion_apply: cfg's DT-path
 * entries (and excluded_devices) resolved against host into the windows
 * and SPIs that `vmcfg build --platform` and the hypervisor build. The
 * expansion's own findings are dropped: vmcfg_fdt_check reports them at
 * the TOML values. Returns 0, VMCFG_ENOMEM or VMCFG_EINVAL (NULL host or
 * cfg); on VMCFG_ENOMEM cfg may hold part of the additions.
 */
int vmcfg_fdt_resolve_config(const struct vmcfg_fdt_platform *host, struct vmcfg_vm_config *cfg);

/* ------------------------------------------------ checks against the DT */

/*
 * Checks VMs against a host DT: expands each spec's DT paths (the E04xx
 * findings of vmcfg_fdt_expand_spec, at the TOML values), then runs
 * vmcfg_check_system(sys, &host->platform, specs, n, …) so that the
 * platform rules (E0221 CPU masks, E0225 physical CPU ids that are not
 * CPUs of the host, E0306 reserved GIC frames, E0307 identity RAM outside
 * host RAM, E0309 an SPI routed to two VMs) use the DT. The windows the
 * DT paths select are held to the rules of explicit passthrough windows
 * (E0305, E0306, E0211 against the VM's RAM and emulated devices, W0224
 * unaligned), reported at the entry that selected them. A [platform]
 * table sys also gives is compared with the DT's (W0409,
 * vmcfg_check_platform_machine) and otherwise not used. opts may be NULL;
 * its image_size is kept and its vm_spis replaced by the expansions'.
 * specs[i] may be NULL; sys may be NULL. Returns 0, VMCFG_ENOMEM or
 * VMCFG_EINVAL.
 */
int vmcfg_fdt_check(const struct vmcfg_fdt_platform *host, const struct vmcfg_system *sys,
		    const struct vmcfg_vm_spec *const *specs, size_t n,
		    const struct vmcfg_check_opts *opts, struct vmcfg_diags *diags);

/* --------------------------------------------------- guest DT generation */

struct vmcfg_fdt_guest_opts {
	uint64_t ramdisk_size; /* bytes; 0 = unknown (no linux,initrd-* then) */
	/*
	 * The system the VM runs in, or NULL: its static IVC channels that
	 * name the VM (by cfg->name) are described under /reserved-memory.
	 */
	const struct vmcfg_system *system;
	/*
	 * The guest's architecture: VMCFG_ARCH_UNKNOWN (0) takes the host
	 * DT's (host->platform.arch), and aarch64 when that is unknown.
	 */
	enum vmcfg_arch arch;
};

/*
 * Builds the guest DT of cfg. aarch64: root #address-cells = #size-cells
 * = 2, compatible (the host's) and model (the VM's name); /memory@GPA per
 * RAM region that is not DEVICE; /cpus with cpu@ID per vCPU (reg = the
 * physical id's MPIDR affinity bits, enable-method "psci"); the interrupt
 * controller — for emu and passthrough the vGIC, a GICv3 at the emulated
 * frames (GPPT distributor/redistributor or InterruptController device,
 * else QEMU virt's 0x08000000/0x080a0000, where a passthrough-mode VM's
 * vGIC is), never the host's GIC node; none for no_irq (then no timer
 * and no interrupt properties); the timer
 * (the host's, or PPIs 13/14/11/10); per emulated PL011 console (a
 * Console device of model 0 or 1) a pl011@BASE node (arm,pl011 +
 * arm,primecell; its irq_id as a level-high SPI when the guest has a GIC;
 * "uartclk" and "apb_pclk" both from one generated 24 MHz fixed-clock,
 * /emu-uart-clk); /psci (arm,psci-0.2, "hvc"); /chosen (bootargs =
 * cmdline, or the host's /chosen bootargs for a VM without a cmdline whose
 * DT paths include the root, ["/"], as the reference copies the host's
 * /chosen into such a guest; linux,initrd-start/end from the ramdisk's load address and
 * opts->ramdisk_size when both are known; stdout-path = the host's when
 * that node is in the guest, else the first emulated PL011); /reserved-memory
 * with no-map nodes ivc@GPA tiling each IVC window: with opts->system, one
 * per static channel of the VM in its (first) window, placed by
 * vmcfg_ivc_static_layout as the hypervisor places them (compatible
 * "vmcfg,ivc-channel", vmcfg,key (u64), vmcfg,publisher (the publisher's
 * name), vmcfg,read-only when the VM's access is "ro"), then one for the
 * rest of the window (compatible "vmcfg,ivc-window"); the nodes of exp (may be NULL) with their
 * properties, under copies of their bus ancestors' addressing properties.
 * A phandle property whose target is not in the guest is dropped (W0406,
 * at the entry that brought the node in): no phandle dangles.
 * interrupt-parent is fixed up to the guest's GIC. *blob is malloc'ed.
 * riscv64: the same root, memory, /chosen, /reserved-memory and copied
 * nodes; /cpus with timebase-frequency (the host's, else
 * VMCFG_RISCV_TIMEBASE_HZ) and cpu@HARTID per vCPU (reg = the physical id,
 * compatible "riscv", riscv,isa = the host CPU's without the H extension
 * and Sstc — the guest gets neither: no nested virtualization, the timer
 * through SBI TIME — else "rv64imafdc_zicsr_zifencei"; mmu-type the host's,
 * else riscv,sv39), each with its local interrupt controller
 * (riscv,cpu-intc); unless no_irq, the virtual PLIC (vmcfg/check.h's
 * VMCFG_VPLIC_*: sifive,plic-1.0.0 + riscv,plic0, interrupts-extended to
 * each vCPU's M (11) and S (9) external interrupt; no root interrupt-parent:
 * every node with interrupts names the PLIC); per emulated 16550 console (a Console device of model 0 or 2) a
 * serial@BASE node (ns16550a, clock-frequency 3686400, its irq_id as a PLIC
 * source when the guest has a PLIC); no timer or PSCI node (the SBI is the
 * firmware interface). Copied nodes' interrupts are fixed up to the PLIC.
 * Returns 0, VMCFG_ENOMEM, VMCFG_EINVAL (NULL host, cfg, diags or blob),
 * VMCFG_ENOSYS (opts->arch is neither aarch64 nor riscv64),
 * VMCFG_ELIMIT (libfdt refused the tree, e.g. a name too long),
 * VMCFG_ERANGE (a static channel does not fit the VM's IVC window, or the
 * VM has none: the system check reports it as E0311), VMCFG_EALIGN (with
 * opts->system, an IVC window that is not page-aligned).
 */
int vmcfg_fdt_guest_build(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			  const struct vmcfg_fdt_expansion *exp,
			  const struct vmcfg_fdt_guest_opts *opts, struct vmcfg_diags *diags,
			  char **blob, size_t *size);

/*
 * The guest DT of a VM file with a dtb_path: given (given_size bytes, the
 * DTB the file names) fixed up for cfg as the reference fixes up a DTB it
 * is given (AxVisor's update_cpu_node and update_fdt); the rest of the tree
 * is copied as it is, in its order, with its memory reservation block:
 *   /cpus        replaced by the host's /cpus with only the cpu nodes whose
 *                `reg` (MPIDR affinity) is a physical CPU id of the VM
 *                (vmcfg_vm_config_vcpu_affinities); when a host CPU is left
 *                out, the host's cpu-map goes too (its phandles would name
 *                missing nodes); added when given has no /cpus;
 *   memory       every root child named memory or memory@… or with
 *                device_type "memory" removed; one /memory appended at the
 *                end of the root (device_type "memory", `reg` = the VM's RAM
 *                regions that are not DEVICE, in the root's #address-cells
 *                and #size-cells, defaults 2 and 1);
 *   /chosen      linux,initrd-start/end removed (the reference drops them);
 *                linux,initrd-start/end set again from the ramdisk's load
 *                address and opts->ramdisk_size when both are known, and
 *                bootargs = cmdline when the VM has one (an addition of
 *                this project: the file's cmdline and ramdisk are not
 *                silently ignored); /chosen is added for those when given
 *                has none. Everything else in /chosen stays.
 * Phandles of the copied host CPU nodes are the host's: a given tree that
 * names its own CPU nodes by other phandles (a PMU's interrupt-affinity)
 * is not rewritten. opts may be NULL (ramdisk size unknown); its system is
 * not used. *blob is malloc'ed. Returns 0, VMCFG_EINVAL (NULL host, cfg,
 * given, blob or size), VMCFG_ESYNTAX (given is no valid DTB, or its root
 * cells are 0 or above 2), VMCFG_ERANGE (a RAM region does not fit the
 * root's cells), VMCFG_ELIMIT (libfdt refused the tree), VMCFG_ENOMEM.
 */
int vmcfg_fdt_guest_fixup(const struct vmcfg_fdt_platform *host, const struct vmcfg_vm_config *cfg,
			  const void *given, size_t given_size,
			  const struct vmcfg_fdt_guest_opts *opts, char **blob, size_t *size);

VMCFG_END_DECLS

#endif /* VMCFG_FDT_H */

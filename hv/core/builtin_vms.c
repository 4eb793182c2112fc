/*
 * TEMPORARY: the VM descriptions, hard-coded, until the hypervisor embeds
 * the TOML files and parses them with the library (see vm_boot.h). Each is
 * what examples/demo/hello.toml says, with its own name, id and image:
 * 1 vCPU, 64 MiB of RAM at GPA 0x4000_0000 (MapAlloc), the emulated console
 * at the PL011 address 0x0900_0000, the kernel loaded and entered at
 * 0x4008_0000.
 */
#include "core/vm_boot.h"

#define GUEST_RAM_GPA 0x40000000ull
#define GUEST_RAM_SIZE 0x4000000ull
#define GUEST_ENTRY 0x40080000ull
#define GUEST_CONSOLE_GPA 0x09000000ull

static struct vm_mem_region guest_ram[] = { {
	.gpa = GUEST_RAM_GPA,
	.size = GUEST_RAM_SIZE,
	.flags = VMCFG_MEM_READ | VMCFG_MEM_WRITE | VMCFG_MEM_EXECUTE,
	.map_type = VMCFG_MAP_ALLOC,
} };

static struct vm_emu_device guest_console[] = { {
	.name = "console",
	.base_gpa = GUEST_CONSOLE_GPA,
	.length = 0x1000,
	.emu_type = VMCFG_EMU_CONSOLE,
} };

#define GUEST(id_, name_)                                                                 \
	{                                                                                 \
		.id = id_, .name = name_, .vm_type = 1, .cpu_num = 1,                     \
		.bsp_entry = GUEST_ENTRY, .ap_entry = GUEST_ENTRY,                        \
		.kernel = { .present = true, .path = name_ ".bin", .load_gpa = GUEST_ENTRY, \
			    .has_load_gpa = true },                                       \
		.image_location = VMCFG_IMAGE_MEMORY, .regions = guest_ram,               \
		.region_count = 1, .region_cap = 1, .emu = guest_console, .emu_count = 1, \
		.emu_cap = 1, .irq_mode = VMCFG_IRQ_NONE,                                 \
	}

static const struct vm_config configs[] = {
	GUEST(1, "hello"),     /* prints, powers off: the demo */
	GUEST(2, "uart"),      /* exercises the emulated console's registers */
	GUEST(3, "psci"),      /* PSCI through HVC and SMC, ends with CPU_OFF */
	GUEST(4, "fault"),     /* reads an unmapped address: stopped with the IPA */
	GUEST(5, "mmio-pair"), /* stp to the console: refused (ISV = 0) */
};

const struct hv_vm_source hv_builtin_vms[] = {
	{ "builtin", &configs[0], true },
	{ "builtin", &configs[1], true },
	{ "builtin", &configs[2], false },
	{ "builtin", &configs[3], false },
	{ "builtin", &configs[4], false },
};

const size_t hv_builtin_vm_count = sizeof hv_builtin_vms / sizeof hv_builtin_vms[0];

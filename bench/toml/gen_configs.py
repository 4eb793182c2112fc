#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a large TOML file shaped like real AxVisor VM configs, deterministically.

    gen_configs.py OUT [--size BYTES] [--seed N] [--dense]

Each VM N becomes [vmN.base], [vmN.kernel] and [vmN.devices] tables with the
keys, value kinds and comments of tests/data/axvisor-configs/*.toml: ids, names,
cpu lists, hex integers grouped with '_', path strings, memory_regions and
device lists as arrays of arrays of hex integers (one-line and exploded
forms), empty arrays and commented-out entries. The same seed and size give
the same bytes. --dense writes the same VMs without comments, blank lines
and indentation (as many as fill the size): values only, the parser's
worst case for memory per input byte.
"""
import argparse
import random


def hexu(v, rng):
    """Hex as the real files write it: mostly grouped by 4 digits with '_'."""
    digits = f"{v:x}"
    if rng.random() < 0.8 and len(digits) > 4:
        groups = []
        while digits:
            groups.insert(0, digits[-4:])
            digits = digits[:-4]
        digits = "_".join(groups)
    return "0x" + digits


OSES = ["linux", "arceos", "nimbos", "rtthread", "zephyr", "freertos"]
BOARDS = ["qemu", "rk3568", "rk3588", "e2000", "phytiumpi", "imx8mp"]
DEVICES = ["uart", "gpio", "i2c", "spi", "mmc", "eth", "usb", "pcie", "gpu", "sram",
           "ramoops", "timer", "watchdog", "rtc", "dma", "can", "pwm", "saradc"]


def vm(rng, n):
    os_ = rng.choice(OSES)
    board = rng.choice(BOARDS)
    ncpu = rng.choice([1, 1, 2, 2, 4, 8])
    ram = rng.choice([0x4000_0000, 0x8000_0000, 0x1000_0000, 0xd550_0000, 0x2000_0000])
    ram_base = rng.choice([0x8000_0000, 0x4000_0000, 0x20_4000_0000, 0x940_0000])
    entry = ram_base + rng.choice([0x8_0000, 0x20_0000, 0x0])
    out = []
    w = out.append
    w("# Vm base info configs\n#\n")
    w(f"[vm{n}.base]\n")
    w("# Guest vm id.\n")
    w(f"id = {n}\n")
    w("# Guest vm name.\n")
    w(f'name = "{os_}-{board}-vm{n}"\n')
    w("# Virtualization type.\n")
    w("vm_type = 1\n")
    w("# The number of virtual CPUs.\n")
    w(f"cpu_num = {ncpu}\n")
    cpus = sorted(rng.sample(range(8), ncpu))
    if rng.random() < 0.5:
        w("# Guest vm physical cpu sets.\n")
        w("phys_cpu_sets = [" + ", ".join(str(1 << c) for c in cpus) + "]\n")
    w("# Guest vm physical cpu ids.\n")
    w("phys_cpu_ids = [" + ", ".join(f"0x{c * 0x100:02x}" for c in cpus) + "]\n")
    w("\n#\n# Vm kernel configs\n#\n")
    w(f"[vm{n}.kernel]\n")
    w("# The entry point of the kernel image.\n")
    w(f"entry_point = {hexu(entry, rng)}\n")
    w('# The location of image: "memory" | "fs".\n')
    loc = rng.choice(["memory", "memory", "fs"])
    w(f'image_location = "{loc}"\n')
    w("# The file path of the kernel image.\n")
    w(f'kernel_path = "/tmp/axvisor/{board}_{os_}/{os_}-{board}-smp{ncpu}.bin"\n')
    w("# The load address of the kernel image.\n")
    w(f"kernel_load_addr = {hexu(entry, rng)}\n")
    if rng.random() < 0.7:
        w("# The file path of the device tree blob (DTB).\n")
        w(f'dtb_path = "/tmp/axvisor/{board}_{os_}/{board}.dtb"\n')
    else:
        w(f'#dtb_path = "path/{os_}-aarch64-{board}-smp{ncpu}.dtb"\n')
    w("# The load address of the device tree blob (DTB).\n")
    w(f"dtb_load_addr = {hexu(ram_base, rng)}\n")
    w('\n## The file path of the ramdisk image.\n# ramdisk_path = ""\n'
      "## The load address of the ramdisk image.\n# ramdisk_load_addr = 0\n"
      '## The path of the disk image.\n# disk_path = "disk.img"\n\n')
    w("# Memory regions with format (`base_paddr`, `size`, `flags`, `map_type`).\n")
    w("# For `map_type`, 0 means `MAP_ALLOC`, 1 means `MAP_IDENTICAL`.\n")
    w("memory_regions = [\n")
    w(f"  [{hexu(ram_base, rng)}, {hexu(ram, rng)}, 0x7, 1], # System RAM MAP_IDENTICAL\n")
    for _ in range(rng.randrange(0, 3)):
        b = rng.randrange(0x100, 0x10000) << 16
        w(f"  [{hexu(b, rng)}, {hexu(rng.choice([0x1000, 0x2000, 0x10_0000]), rng)}, "
          f"{hexu(rng.choice([0x7, 0xf, 0x3]), rng)}, {rng.choice([0, 1, 2])}],\n")
    if rng.random() < 0.3:
        w("  # [0xa000_0000, 0x2000_0000, 0x7, 1], # System RAM 1G MAP_IDENTICAL\n")
    w("]\n")
    w("\n#\n# Device specifications\n#\n")
    w(f"[vm{n}.devices]\n")
    w("# Emu_devices.\n# Name Base-Ipa Ipa_len Alloc-Irq Emu-Type EmuConfig.\n")
    if rng.random() < 0.4:
        w("emu_devices = []\n")
    else:
        w("emu_devices = [\n")
        w('  ["gppt-gicd", 0x0800_0000, 0x1_0000, 0, 0x21, []],\n')
        w(f'  ["gppt-gicr", 0x080a_0000, 0x2_0000, 0, 0x20, [{ncpu}, 0x2_0000, 0]],'
          f" # {ncpu} vcpu, stride 0x20000\n")
        w('  ["gppt-gits", 0x0808_0000, 0x2_0000, 0, 0x22, [0x0808_0000]], # host_gits_base\n')
        if rng.random() < 0.5:
            w(f'  ["ivc-{n}", {hexu(0x9000_0000 + n * 0x1000, rng)}, 0x1000, 0, 0x30, []],\n')
        w("]\n")
    w("\n")
    w('interrupt_mode = "passthrough"\n')
    w("# Pass-through devices.\n# Name Base-Ipa Base-Pa Length Alloc-Irq.\n")
    w("passthrough_devices = [\n")
    exploded = rng.random() < 0.5
    for _ in range(rng.randrange(3, 12)):
        name = rng.choice(DEVICES) + str(rng.randrange(10))
        base = rng.randrange(0x100, 0x10000) << 12
        length = rng.choice([0x1000, 0x1_0000, 0x10_0000, 0x200_0000])
        irq = rng.randrange(0x1, 0x200)
        if exploded:
            w(f'    [\n        "{name}",\n        {hexu(base, rng)},\n        {hexu(base, rng)},\n'
              f"        {hexu(length, rng)},\n        {hexu(irq, rng)},\n    ],\n")
        else:
            w(f'    ["{name}", {hexu(base, rng)}, {hexu(base, rng)}, {hexu(length, rng)}, '
              f"{hexu(irq, rng)}],\n")
    if rng.random() < 0.3:
        w('    #["/timer"],\n')
    w("]\n")
    w("\n# Passthrough addresses.\n# Base-GPA  Length.\n")
    w("passthrough_addresses = [\n")
    if rng.random() < 0.5:
        w("    #[0x28041000, 0x100_0000]\n")
    else:
        w(f"    [{hexu(0x2804_1000, rng)}, 0x100_0000],\n")
    w("]\n\n")
    w("# Devices that are not desired to be passed through to the guest\n")
    w("excluded_devices = [\n")
    if rng.random() < 0.5:
        w('    ["/pcie@10000000"],\n')
    else:
        w('   # ["/gic-v3"],\n')
    w("]\n\n")
    return "".join(out)


def densify(text):
    """The VM's text without comments, blank lines and indentation (no '#' is inside a string)."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line + "\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=10 * 1024 * 1024, help="target bytes")
    ap.add_argument("--seed", type=int, default=20240527)
    ap.add_argument("--dense", action="store_true", help="no comments, blank lines, indentation")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    parts, total, n = [], 0, 0
    while total < args.size:
        n += 1
        s = vm(rng, n)
        if args.dense:
            s = densify(s)
        parts.append(s)
        total += len(s)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(parts))
    print(f"{args.out}: {total} bytes, {n} VMs")


if __name__ == "__main__":
    main()

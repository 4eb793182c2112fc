# SPDX-License-Identifier: MIT
"""Systems for the map's rendering test: the repository's and generated ones.

repo_systems() lists every system file of examples/ (a top-level `vms` key).
generate(folder, n) writes a system of n VMs on a QEMU-virt-like platform:
each VM has MapAlloc RAM of a different size, a console, an IVC window and a
channel to the next VM (a ring), and on purpose two conflicts the map must
draw side by side: identity-mapped RAM of vm0 and vm1 overlapping by 128 MiB
(E0303), and from 5 VMs on, vm3's identity-mapped RAM over the hypervisor's
memory (E0305).
"""
import os
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def repo_systems():
    found = []
    for folder, _, names in os.walk(os.path.join(ROOT, "examples")):
        for name in sorted(names):
            path = os.path.join(folder, name)
            if not name.endswith(".toml"):
                continue
            try:
                with open(path, "rb") as f:
                    doc = tomllib.load(f)
            except tomllib.TOMLDecodeError:
                continue
            if "vms" in doc and "base" not in doc:
                found.append(path)
    return sorted(found)


def _vm(i, n):
    ram = [f"  [0x4000_0000, 0x{(16 << (i % 3)) * 0x10_0000:x}, 0x7, 0], # MapAlloc RAM"]
    if i == 0:
        ram.append("  [0x5000_0000, 0x1000_0000, 0x7, 1], # identity-mapped, overlaps vm1's")
    if i == 1:
        ram.append("  [0x5800_0000, 0x1000_0000, 0x7, 1], # identity-mapped, overlaps vm0's")
    if i == 3 and n >= 5:
        ram.append("  [0x4080_0000, 0x100_0000, 0x7, 1], # over the hypervisor's memory")
    return "\n".join([
        "[base]",
        f"id = {i + 1}",
        f'name = "vm{i}"',
        "vm_type = 1",
        "cpu_num = 1",
        "phys_cpu_ids = [0x0]",
        f"phys_cpu_sets = [0x{1 << (i % 8):x}]",
        "",
        "[kernel]",
        "entry_point = 0x4008_0000",
        f'kernel_path = "vm{i}.bin"',
        "kernel_load_addr = 0x4008_0000",
        "memory_regions = [",
        *ram,
        "]",
        "",
        "[devices]",
        "emu_devices = [",
        '  ["console", 0x900_0000, 0x1000, 0, 0x2, []],',
        '  ["ivc", 0x7000_0000, 0x10_0000, 0, 0xa, []],',
        "]",
        "passthrough_devices = []",
        'interrupt_mode = "no_irq"',
        "",
    ])


def generate(folder, n):
    """Writes vm0.toml … and system.toml into folder; returns the system file's path."""
    os.makedirs(folder, exist_ok=True)
    for i in range(n):
        with open(os.path.join(folder, f"vm{i}.toml"), "w") as f:
            f.write(_vm(i, n))
    lines = [
        "vms = [" + ", ".join(f'"vm{i}.toml"' for i in range(n)) + "]",
        "",
        "[platform]",
        'arch = "aarch64"',
        "cpu_num = 8",
        "phys_cpu_ids = [" + ", ".join(f"0x{c:x}" for c in range(8)) + "]",
        "ipa_bits = 40",
        "ram = [[0x4000_0000, 0x8000_0000]]",
        "hypervisor_memory = [[0x4000_0000, 0x100_0000]]",
        "",
        "[[platform.reserved]]",
        'name = "GIC distributor"',
        "base = 0x800_0000",
        "size = 0x1_0000",
    ]
    for i in range(n):
        lines += ["", "[[ivc]]", f"key = {i + 1}", f'publisher = "vm{i}"', "size = 0x2000",
                  f'subscribers = [{{ vm = "vm{(i + 1) % n}", access = "ro" }}]']
    path = os.path.join(folder, "system.toml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path

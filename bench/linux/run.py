#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/linux: Debian Linux booting as a VM against the same kernel on bare QEMU.

  run.py BUILD_LINUX_DIR [ROUNDS [BASELINE_ELF]]

Wall clock from starting QEMU to the line `vmcfg-linux: init of VM NAME
running` that the project's initramfs prints (guests/linux-init), for the
same kernel, initramfs and console output, in ROUNDS interleaved rounds
(default 10): on these shared machines the host's load moves a single boot
by a second, and interleaving exposes every pair to the same load. Each
round boots seven times:

  plain-1  QEMU -smp 1 -m 128M, the kernel at EL1 (no hypervisor)
  hv-1     QEMU -smp 1, the hypervisor with examples/linux/one-cpu.toml:
           the same one-vCPU, 128 MiB VM on a one-CPU host
  plain-2  QEMU -smp 2 -m 128M with maxcpus=1: Linux on one CPU of two
  hv-2     QEMU -smp 2, the hypervisor with examples/linux/one.toml: the VM's
           vCPU on cpu0, cpu1 idle
  dt-1     as plain-1, but with gic-version=3 and the VM's own device tree
           (-dtb BUILD_LINUX_DIR/linux.dtb, the DTB the hypervisor loads)
  elf-1    as dt-1, but the kernel and the initramfs in one ELF with a trampoline
           that enters the kernel as the boot protocol asks
           (BUILD_LINUX_DIR/plain-linux.elf, bench/linux/plain-elf.S): QEMU
           loads it as it loads the hypervisor's ELF, where its raw-Image
           -kernel path spends about 340 ms more before the first
           instruction for 32 MiB
  hv-pt-1  as hv-1 with examples/linux/one-cpu-pt.toml: the VM owns the
           PL011 (passed through), as plain Linux does, so the bytes it
           prints are stores to the device, not exits

The like-for-like ratios pair boots on the same emulated machine, the same
device tree and the same QEMU loader: hv-1 and hv-pt-1 with elf-1. plain-1
and plain-2 boot with QEMU's own DT, which lists PCIe, 32 virtio-mmio slots,
fw_cfg, flash, RTC and GPIO that Linux probes and the VM does not have, and
through QEMU's raw-Image loader; hv-1 / plain-1 and hv-2 / plain-2 are kept
for comparison with the figures recorded before (BENCHMARKS.md), as is
hv-2 / plain-1, which also charges the hypervisor for QEMU emulating a
second CPU. (The VM's DT lists one CPU; QEMU -smp 2 with it prints nothing,
so there is no two-CPU pair with the VM's DT.) Each ratio is taken per
round, then min/median/max are printed. For hv-1 the time to the
hypervisor's `entry` line (VM created) and the hypervisor's exits per class
are printed too.

With BASELINE_ELF (another build of build/linux/hv-linux.elf, e.g. of an
older commit), each round also boots it as hv-1 does ("base-1"), and
hv-1 / base-1 measures a change to the hypervisor side by side.
"""
import re
import statistics
import subprocess
import sys
import time

MARKER = "vmcfg-linux: init of VM"
HV_M = ["-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a72", "-m", "1G",
        "-nographic", "-net", "none", "-semihosting"]
PLAIN_M = ["-M", "virt", "-cpu", "cortex-a72", "-m", "128M", "-nographic", "-net", "none"]
DT_M = ["-M", "virt,gic-version=3"] + PLAIN_M[2:]


def boot(cmd):
    """(ms to the marker, ms to the hypervisor's entry line or None, whole output)."""
    start = time.perf_counter()
    proc = subprocess.Popen(["qemu-system-aarch64"] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    marker = entry = None
    out = []
    for line in proc.stdout:
        now = (time.perf_counter() - start) * 1000
        out.append(line)
        if entry is None and re.match(r"\[hv\] vm '[^']*' \(.*\): entry", line):
            entry = now
        if marker is None and MARKER in line:
            marker = now
    if proc.wait(timeout=120) != 0 or marker is None:
        sys.exit("bench-linux: boot failed: qemu-system-aarch64 " + " ".join(cmd) + "\n"
                 + "".join(out[-30:]))
    return marker, entry, "".join(out)


def spread(values):
    return f"{min(values):7.0f} {statistics.median(values):7.0f} {max(values):7.0f}"


def ratios(values):
    return f"{min(values):5.2f} {statistics.median(values):5.2f} {max(values):5.2f}"


def main():
    linux = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    baseline = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    elf = f"{linux}/hv-linux.elf"
    images = ["-kernel", f"{linux}/vmlinuz", "-initrd", f"{linux}/initrd.cpio"]
    plain = PLAIN_M + images
    dt = DT_M + images + ["-dtb", f"{linux}/linux.dtb"]
    runs = {
        "plain-1": plain + ["-smp", "1", "-append", "console=ttyAMA0 vm=plain"],
        "hv-1": HV_M + ["-smp", "1", "-kernel", elf, "-append",
                        "system=examples/linux/one-cpu.toml"],
        "plain-2": plain + ["-smp", "2", "-append", "console=ttyAMA0 vm=plain maxcpus=1"],
        "hv-2": HV_M + ["-smp", "2", "-kernel", elf, "-append",
                        "system=examples/linux/one.toml"],
        "dt-1": dt + ["-smp", "1", "-append", "console=ttyAMA0 vm=plain"],
        "elf-1": DT_M + ["-smp", "1", "-kernel", f"{linux}/plain-linux.elf",
                         "-dtb", f"{linux}/linux.dtb"],
        "hv-pt-1": HV_M + ["-smp", "1", "-kernel", elf, "-append",
                           "system=examples/linux/one-cpu-pt.toml"],
    }
    if baseline:
        runs["base-1"] = HV_M + ["-smp", "1", "-kernel", baseline, "-append",
                                 "system=examples/linux/one-cpu.toml"]
    ms = {name: [] for name in runs}
    entry, exits = [], ""
    for r in range(rounds):
        for name, cmd in runs.items():
            marker, at_entry, out = boot(cmd)
            ms[name].append(marker)
            if name == "hv-1":
                entry.append(at_entry)
                m = re.search(r"^\[hv\] exits: vm 'linux': (.*)$", out, re.M)
                exits = m.group(1) if m else "(no exits line)"
        print(f"round {r + 1}/{rounds}: " +
              ", ".join(f"{n} {v[-1]:.0f}" for n, v in ms.items()), flush=True)

    print(f"\nQEMU start to `{MARKER} ...`, ms, {rounds} interleaved rounds:")
    print(f"{'':28} {'min':>7} {'median':>7} {'max':>7}")
    for name, values in ms.items():
        print(f"{name:28} {spread(values)}")
    print(f"{'hv-1 VM created (entry line)':28} {spread(entry)}")
    print(f"\nper-round ratio {'':12} {'min':>5} {'median':>5} {'max':>5}")
    pairs = [("hv-1", "elf-1"), ("hv-pt-1", "elf-1"), ("hv-1", "dt-1"), ("elf-1", "dt-1"),
             ("hv-1", "plain-1"), ("hv-2", "plain-2"), ("hv-2", "plain-1")]
    if baseline:
        pairs += [("base-1", "plain-1"), ("hv-1", "base-1")]
    for a, b in pairs:
        print(f"{a + ' / ' + b:28} {ratios([x / y for x, y in zip(ms[a], ms[b])])}")
    print(f"\nexits of the hv-1 VM (last round): {exits}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/hv: the reference hypervisor's costs under QEMU TCG, as ratios.

  run.py [--arch riscv64] HV_ELF HELLO_ELF [RUNS]

1. guests/bench.c on the hypervisor (vms=bench of examples/qemu/system.toml,
   or of examples/qemu-riscv64/tests.toml) prints its counts in ticks of the
   guest's counter: OPS trapped MMIO reads (a Dummy device), OPS reads of the
   console's status (aarch64: the PL011's FR, its read shadow: no exit;
   riscv64: the 16550's LSR, an exit), OPS null hypercalls (an unknown PSCI
   function, an unknown SBI extension), OPS plain RAM reads (the scale),
   publishing a 1 MiB IVC channel, copying 1 MiB into it, copying 1 MiB in
   its own RAM. The best (lowest) of RUNS boots is kept per figure: TCG
   timings are noisy. Once more under -icount shift=0, where the virtual
   clock advances 1 ns per instruction executed, so ticks become
   instructions (16 a tick of aarch64's 62.5 MHz, 100 of riscv64's 10 MHz):
   each round trip's instruction path, guest and hypervisor, which the
   machine's load cannot move.
2. Boot: wall time from starting QEMU to the first guest line, for guests/hello
   on the hypervisor (vms=hello) and for the same program run bare-metal by
   QEMU (aarch64: at EL1, no virtualization, QEMU's own PSCI answers its
   SYSTEM_OFF; riscv64: in S-mode under OpenSBI), the two interleaved in each
   of RUNS rounds so both see the same load; median and best of each, and
   the median of the per-round ratios.
"""
import re
import statistics
import subprocess
import sys
import time

COMMON = ["-smp", "2", "-m", "1G", "-nographic", "-net", "none"]
ARCHES = {
    "aarch64": {
        "qemu": ["qemu-system-aarch64", "-cpu", "cortex-a72"] + COMMON,
        "hv_machine": ["-M", "virt,virtualization=on,gic-version=3", "-semihosting"],
        "bare_machine": ["-M", "virt,gic-version=3"],
        "system": "examples/qemu/system.toml",
        "status": "console FR read         ",
        "status_note": "(read shadow: no exit)",
        "icount": [],
    },
    "riscv64": {
        "qemu": ["qemu-system-riscv64"] + COMMON,
        "hv_machine": ["-M", "virt"],
        "bare_machine": ["-M", "virt"],
        "system": "examples/qemu-riscv64/tests.toml",
        "status": "console LSR read        ",
        "status_note": "(an exit)",
        # One hart under -icount: its round-robin TCG runs the boot hart's poll for the
        # other's start until its budget ends (seconds), and the bench VM has one vCPU.
        "icount": ["-smp", "1"],
    },
}
ARCH = ARCHES["aarch64"]


def first_line_ms(cmd, marker):
    """Milliseconds from starting cmd to its first output line containing marker."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    found = None
    for line in proc.stdout:
        if found is None and marker in line:
            found = (time.perf_counter() - start) * 1000
    proc.wait(timeout=30)
    if found is None:
        sys.exit(f"bench-hv: no line with {marker!r} from {' '.join(cmd)}")
    return found


def bench_counts(hv_elf, extra=()):
    """The bench guest's figures; QEMU is stopped once it printed them (under
    -icount an idle CPU can keep the machine from ever powering off)."""
    proc = subprocess.Popen(ARCH["qemu"] + list(extra) + ARCH["hv_machine"] +
                            ["-kernel", hv_elf, "-append", f"system={ARCH['system']} vms=bench"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    out, m = [], None
    for line in proc.stdout:
        out.append(line)
        m = re.match(r"^\[bench\] bench:(.*)$", line)
        if m:
            break
    proc.kill()
    proc.wait(timeout=30)
    if not m:
        sys.exit("bench-hv: the bench guest printed no result:\n" + "".join(out))
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}


def main():
    global ARCH
    args = sys.argv[1:]
    if args[:1] == ["--arch"]:
        ARCH = ARCHES[args[1]]
        args = args[2:]
    hv_elf, hello_elf = args[0], args[1]
    runs = int(args[2]) if len(args) > 2 else 5
    best = {}
    for _ in range(runs):
        for k, v in bench_counts(hv_elf).items():
            best[k] = min(best.get(k, v), v)
    icount = bench_counts(hv_elf, ["-icount", "shift=0"] + ARCH["icount"])
    hv_boots, bare_boots = [], []
    for _ in range(runs):
        hv_boots.append(first_line_ms(ARCH["qemu"] + ARCH["hv_machine"] + [
            "-kernel", hv_elf, "-append", f"system={ARCH['system']} vms=hello"], "[hello]"))
        bare_boots.append(first_line_ms(ARCH["qemu"] + ARCH["bare_machine"] + ["-kernel", hello_elf],
                                        "Hello from"))
    ratios = [h / b for h, b in zip(hv_boots, bare_boots)]

    ops, freq = best["ops"], best["freq"]
    keys = [k for k in ("mmio", "fr", "hvc", "ram") if k in best]  # no "fr": an older guest
    per = {k: best[k] / ops for k in keys}
    us = 1e6 / freq
    print(f"guest counter {freq} Hz; best of {runs} boots; {ops} operations each")
    print(f"MMIO trap round trip   {per['mmio']:8.1f} ticks ({per['mmio'] * us:6.2f} us)"
          f"   {per['mmio'] / per['ram']:6.0f}x a RAM read")
    if "fr" in per:
        print(f"{ARCH['status'][:23]}{per['fr']:8.1f} ticks ({per['fr'] * us:6.2f} us)"
              f"   {per['fr'] / per['ram']:6.0f}x a RAM read {ARCH['status_note']}")
    print(f"null hypercall         {per['hvc']:8.1f} ticks ({per['hvc'] * us:6.2f} us)"
          f"   {per['hvc'] / per['ram']:6.0f}x a RAM read")
    print(f"RAM read (scale)       {per['ram']:8.1f} ticks")
    ins = {k: icount[k] * 1e9 / icount["freq"] / icount["ops"] for k in keys}
    print("instructions per operation (-icount shift=0, each with its loop): "
          + ", ".join(f"{k} {ins[k]:.0f}" for k in keys))
    ivc = best["ivc_publish"] + best["ivc_copy"]
    print(f"IVC 1 MiB: publish {best['ivc_publish']} + copy in {best['ivc_copy']} ticks"
          f" = {ivc * us / 1000:.2f} ms; in-guest copy {best['memcpy']} ticks"
          f" = {best['memcpy'] * us / 1000:.2f} ms; ratio {ivc / best['memcpy']:.2f}")
    med = statistics.median
    print(f"QEMU start to first guest line, {runs} interleaved rounds (median / best):"
          f" hypervisor {med(hv_boots):.0f} / {min(hv_boots):.0f} ms, bare metal"
          f" {med(bare_boots):.0f} / {min(bare_boots):.0f} ms; per-round ratio median"
          f" {med(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()

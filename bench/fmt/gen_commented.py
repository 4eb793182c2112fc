#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a large VM file for `vmcfg fmt`, with or without comments, deterministically.

    gen_commented.py OUT [--size BYTES] [--no-comments]

One VM whose passthrough_devices list fills the size: each element has a
comment line above it and a comment after it (about 40 % of the bytes),
and some lie inside a record split over two lines. --no-comments writes
the same VM with the same elements and no comments (so a smaller file):
the pair measures what comments cost `fmt`.
"""
import argparse

HEAD = """# A VM with very many passthrough devices, for bench/fmt.
[base]
id = 1
name = "big"
vm_type = 1
cpu_num = 1

[kernel]
entry_point = 0x4008_0000
image_location = "memory"
kernel_path = "x.bin"
kernel_load_addr = 0x4008_0000
memory_regions = [[0x4000_0000, 0x400_0000, 0x7, 0]]  # RAM

[devices]
interrupt_mode = "no_irq"
emu_devices = []
passthrough_devices = [
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=10 * 1000 * 1000,
                    help="bytes of the commented file (the other has the same elements)")
    ap.add_argument("--no-comments", action="store_true")
    args = ap.parse_args()
    with_comments = not args.no_comments
    out, size, i = [HEAD if with_comments else HEAD.replace("  # RAM", "").split("\n", 1)[1]], 0, 0
    while size < args.size:
        base = 0x1_0000_0000 + i * 0x1000
        c = f"  # device {i}: an MMIO window\n"
        if i % 16 == 15:  # a record split over two lines, a comment inside it
            e = f'  ["dev{i}", 0x{base:x},\n    # same address\n    0x{base:x}, 0x1000],  # tail {i}\n'
            plain = f'  ["dev{i}", 0x{base:x},\n    0x{base:x}, 0x1000],\n'
        else:
            e = f'  ["dev{i}", 0x{base:x}, 0x{base:x}, 0x1000],  # tail {i}\n'
            plain = f'  ["dev{i}", 0x{base:x}, 0x{base:x}, 0x1000],\n'
        size += len(c) + len(e)
        out.append(c + e if with_comments else plain)
        i += 1
    out.append("]\n")
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(out))
    print(f"{args.out}: {sum(map(len, out))} bytes, {i} devices")


if __name__ == "__main__":
    main()

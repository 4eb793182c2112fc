#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Packs the Linux guests' initramfs: a newc ("070701") cpio archive.

    scripts/mkcpio.py OUT.cpio INIT [NAME=FILE]...

The archive holds /dev, the /dev/console character device (5, 1: the kernel
opens it as init's standard streams before starting /init), INIT as /init
(mode 0755) and each FILE as NAME (mode 0644; its folders are added, e.g.
modules/ext4.ko=... for make run-axvisor's kernel modules). Format: the kernel's usr/gen_init_cpio and
Documentation/driver-api/early-userspace/buffer-format.rst — a 110-byte ASCII
header (magic, then 13 eight-digit hex fields), the NUL-terminated name
padded to 4 bytes, the data padded to 4 bytes, and a "TRAILER!!!" entry.
Times are 0 so the archive is reproducible.
"""
import stat
import sys


def entry(ino, mode, name, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0)
    out = b"070701" + b"".join(b"%08x" % f for f in fields) + name_b
    out += b"\0" * (-len(out) % 4)
    return out + data + b"\0" * (-len(data) % 4)


def main():
    if len(sys.argv) < 3 or any("=" not in a for a in sys.argv[3:]):
        sys.exit("usage: mkcpio.py OUT.cpio INIT [NAME=FILE]...")
    with open(sys.argv[2], "rb") as f:
        init = f.read()
    archive = (entry(1, stat.S_IFDIR | 0o755, "dev")
               + entry(2, stat.S_IFCHR | 0o600, "dev/console", rdev=(5, 1))
               + entry(3, stat.S_IFREG | 0o755, "init", init))
    ino, dirs = 4, {"dev"}
    for arg in sys.argv[3:]:
        name, path = arg.split("=", 1)
        parts = name.strip("/").split("/")
        for k in range(1, len(parts)):
            d = "/".join(parts[:k])
            if d not in dirs:
                dirs.add(d)
                archive += entry(ino, stat.S_IFDIR | 0o755, d)
                ino += 1
        with open(path, "rb") as f:
            archive += entry(ino, stat.S_IFREG | 0o644, "/".join(parts), f.read())
        ino += 1
    archive += entry(0, 0, "TRAILER!!!")
    with open(sys.argv[1], "wb") as f:
        f.write(archive)


main()

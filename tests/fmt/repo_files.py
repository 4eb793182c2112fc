# SPDX-License-Identifier: MIT
"""The repository's TOML files that must be fmt-clean (`vmcfg fmt --check`), and those left out.

Left out, because their exact text is what they are for:
  tests/data/        third-party test data, kept as published
  tests/check/       checker cases: their expected findings name line:col positions
  fuzz/corpus/       fuzzer seeds, many deliberately not valid TOML
  examples/mistakes/ files with mistakes on purpose; README.md, docs/ and
                     tests/map quote their line:col positions
  examples/qemu/bad-kernel.toml  tests/qemu/run expects its finding at 13:20
  examples/axvisor/*-qemu-smp1.toml  AxVisor's files as published but for kernel_path
                     (tests/axvisor/copies.sh)
Files that are not VM or system files (a taplo.toml, the Rust benchmark peer's Cargo.toml and
.cargo/config.toml under bench/toml/rust/) are not vmcfg's to format.
"""
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

EXCLUDED_DIRS = ("tests/data/", "tests/check/", "fuzz/corpus/", "examples/mistakes/", "bench/toml/rust/")
EXCLUDED_FILES = ("examples/qemu/bad-kernel.toml", "taplo.toml", ".taplo.toml",
                  "examples/axvisor/linux-aarch64-qemu-smp1.toml",
                  "examples/axvisor/nimbos-aarch64-qemu-smp1.toml",
                  "examples/axvisor/arceos-aarch64-qemu-smp1.toml")


def all_toml():
    out = subprocess.run(["git", "ls-files", "*.toml"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode == 0 and out.stdout:
        return sorted(out.stdout.split())
    found = []  # not a git checkout (a tarball): walk the tree
    for d, _, names in os.walk(ROOT):
        found += [os.path.relpath(os.path.join(d, n), ROOT) for n in names if n.endswith(".toml")]
    return sorted(f for f in found if not f.startswith(("build/", ".git/")))


def formatted():
    """Absolute paths of the files that must be fmt-clean."""
    return [os.path.join(ROOT, f) for f in all_toml()
            if not f.startswith(EXCLUDED_DIRS) and os.path.basename(f) not in EXCLUDED_FILES
            and f not in EXCLUDED_FILES]

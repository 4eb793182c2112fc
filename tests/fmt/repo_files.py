# SPDX-License-Identifier: MIT
"""The repository's TOML files: which must be fmt-clean (`vmcfg fmt --check`), and why the others are not.

Every TOML file is fmt-clean but those EXCLUDED lists, each with the reason it
cannot be formatted; tests/fmt/run checks that the reason still holds for every
file it covers (a file that becomes formattable must leave this list):
  third-party  data kept as published (tests/data/: toml-test cases, AxVisor
               configs, each folder with its origin); not checked
  copy         a byte-for-byte copy of a third-party file (fuzzer seeds taken
               from tests/data/axvisor-configs/); checked to be identical
  axvisor-copy AxVisor's QEMU files in examples/axvisor/ and its riscv64 nimbos
               file in examples/qemu-riscv64/, as published but for their
               kernel_path and comments (the hypervisor boots them unchanged
               otherwise; tests/axvisor/copies.sh); checked line by line
  not-toml     not valid TOML on purpose (checker cases, parser fuzz seeds,
               nesting beyond the parser's limits); fmt reports E0002
  not-vm-file  valid TOML but no VM or system file (parser fuzz seeds, taplo's
               and the Rust benchmark peer's configuration): fmt formats only
               VM and system files, and reports a missing [base] (E0101)
  errors       a VM or system file with decoder errors or unknown keys on
               purpose (checker cases, the ten mistakes of the README): fmt
               does not format what it cannot read back whole (`vmcfg fmt
               --help`); it reports them and says "not formatted"
The checker cases of tests/check/ that fmt can format are fmt-clean; their
`# expect:` lines give the positions in the formatted text.
"""
import fnmatch
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (pattern, reason): patterns are fnmatch patterns on paths relative to the root.
EXCLUDED = [
    ("tests/data/*", "third-party"),
    ("fuzz/corpus/toml/axvisor-*.toml", "copy"),
    ("examples/axvisor/*-qemu-smp1.toml", "axvisor-copy"),
    ("examples/qemu-riscv64/nimbos.toml", "axvisor-copy"),
    # not valid TOML on purpose
    ("tests/check/E0002-syntax.toml", "not-toml"),
    ("fuzz/corpus/toml/err-*.toml", "not-toml"),
    ("fuzz/corpus/toml/deep-*.toml", "not-toml"),
    # TOML, but no VM or system file
    ("fuzz/corpus/toml/err-int-overflow.toml", "not-vm-file"),  # 2^63 is a u64 to vmcfg
    ("fuzz/corpus/toml/*.toml", "not-vm-file"),
    ("taplo.toml", "not-vm-file"),
    ("bench/toml/rust/Cargo.toml", "not-vm-file"),
    ("bench/toml/rust/.cargo/config.toml", "not-vm-file"),
    # decoder errors on purpose
    ("fuzz/corpus/toml/vm-table-form.toml", "errors"),
    ("examples/mistakes/ten-mistakes.toml", "errors"),
    ("tests/check/E0101-missing-devices.toml", "errors"),
    ("tests/check/E0102-wrong-type.toml", "errors"),
    ("tests/check/E0103-system-cpu-num.toml", "errors"),
    ("tests/check/E0104-system-bad-arch.toml", "errors"),
    ("tests/check/E0105-system-ram-arity.toml", "errors"),
    ("tests/check/E0201-cpu-list-length.toml", "errors"),
    ("tests/check/E0202-cpu-num-zero.toml", "errors"),
    ("tests/check/E0204-bios-without-addr.toml", "errors"),
    ("tests/check/E0231-boot-protocol.toml", "errors"),
    ("tests/check/W0106-system-unknown-key.toml", "errors"),
    ("tests/check/E0238-machine-schema.toml", "errors"),
    ("tests/check/E0239-device-ref.toml", "errors"),
    ("tests/check/E0239-device-ref-root.toml", "errors"),
    ("tests/check/E0240-dedicated-cpus.toml", "errors"),
]
# A more specific pattern wins over a folder's: the first that matches, most specific first.
_ORDER = sorted(EXCLUDED, key=lambda e: ("*" in e[0], -len(e[0])))


def all_toml():
    out = subprocess.run(["git", "ls-files", "*.toml"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode == 0 and out.stdout:
        return sorted(out.stdout.split())
    found = []  # not a git checkout (a tarball): walk the tree
    for d, _, names in os.walk(ROOT):
        found += [os.path.relpath(os.path.join(d, n), ROOT) for n in names if n.endswith(".toml")]
    return sorted(f for f in found if not f.startswith(("build/", ".git/")))


def reason(path):
    """Why path (relative to the root) is not formatted, or None when it must be fmt-clean."""
    for pattern, why in _ORDER:
        if fnmatch.fnmatch(path, pattern):
            return why
    return None


def formatted():
    """Absolute paths of the files that must be fmt-clean."""
    return [os.path.join(ROOT, f) for f in all_toml() if reason(f) is None]


def excluded():
    """(path relative to the root, reason) of every file left out."""
    return [(f, reason(f)) for f in all_toml() if reason(f) is not None]


def copy_of(path):
    """The file a `copy` or `axvisor-copy` is a copy of (relative to the root)."""
    name = os.path.basename(path)
    if path == "examples/qemu-riscv64/nimbos.toml":
        name = "nimbos-riscv64-qemu-smp1.toml"
    if name.startswith("axvisor-"):
        name = name[len("axvisor-"):]
    return os.path.join("tests/data/axvisor-configs", name)

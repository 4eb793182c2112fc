#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check-vs-build agreement by mutation (docs/diagnostics.md, the contract).

Mutates one to three numbers of valid VM files to boundary values, runs
`vmcfg check` then `vmcfg build` on each mutant (both with --arch A when
given) and counts the mutants that check passes (exit 0) but build refuses
(any other exit status, a timeout of 60 s included): each is a
disagreement, printed with the mutation.
Usage: scripts/mutate-agree.py [-n N] [--seed S] [--arch A] FILE...
Exit status 1 when there is a disagreement.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VMCFG = os.path.join(ROOT, os.environ.get("BUILD", "build"), "bin", "vmcfg")
PAGE = 0x1000
BOUNDARY = [0, 1, PAGE - 1, PAGE, PAGE + 1, 0x200, 0x10000, 1 << 39, 1 << 40, 1 << 48, 1 << 60,
            1 << 63, (1 << 64) - PAGE, (1 << 64) - 1, 0x800_0000, 0x80a_0000, 0x900_0000]
NUMBER = re.compile(r"(?<![\w.])(0x[0-9a-fA-F_]+|\d[\d_]*)(?![\w.])")


def numbers(text):
    """Spans of the integer literals outside comments and strings."""
    spans = []
    for m in NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        if "#" in before or before.count('"') % 2:
            continue
        spans.append((m.start(), m.end(), int(m.group(0).replace("_", ""), 0)))
    return spans


def mutate(text, rng):
    spans = numbers(text)
    picks = sorted(rng.sample(spans, min(len(spans), rng.randint(1, 3))), reverse=True)
    what = []
    for start, end, old in picks:
        new = rng.choice(BOUNDARY + [old + rng.choice([-PAGE, -1, 1, PAGE]) if old else PAGE])
        new = max(0, min(new, (1 << 64) - 1))
        text = text[:start] + hex(new) + text[end:]
        what.append("%#x -> %#x" % (old, new))
    return text, what


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="folder to keep the mutants build refuses in")
    ap.add_argument("--arch", help="the arch check and build take (vmcfg --arch)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    clean = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.n):
            src = rng.choice(a.files)
            with open(src, encoding="utf-8") as f:
                text, what = mutate(f.read(), rng)
            path = os.path.join(tmp, "m%d.toml" % i)
            with open(path, "w") as f:
                f.write(text)
            arch = ["--arch", a.arch] if a.arch else []
            c = subprocess.run([VMCFG, "check", "-q", *arch, path], capture_output=True, timeout=60)
            if c.returncode != 0:
                continue
            clean += 1
            try:
                b = subprocess.run([VMCFG, "build", *arch, path], capture_output=True, timeout=60)
            except subprocess.TimeoutExpired:
                b = subprocess.CompletedProcess([], 124, b"", b"error: build timed out (60 s)")
            if b.returncode != 0:
                refused += 1
                err = [l for l in b.stdout.decode().splitlines() + b.stderr.decode().splitlines()
                       if "error:" in l or "error[" in l]
                if a.keep:
                    os.makedirs(a.keep, exist_ok=True)
                    with open(os.path.join(a.keep, "m%d.toml" % i), "w") as f:
                        f.write(text)
                print("DISAGREE %s [%s]: %s" % (os.path.basename(src), ", ".join(what),
                                                 err[-1].strip() if err else b.returncode))
    print("%d mutants, %d check-clean, %d of them refused by build" % (a.n, clean, refused))
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()

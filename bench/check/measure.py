#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What a system check costs: instructions, page faults, peak heap and time.

    measure.py --bench BIN [--vmcfg CLI] [--taplo BIN] [--runs R] N...

For each N, a generated system of N VMs (bench/check/bench_check.c; no
conflicts, so no findings), one Markdown table row per way of calling
vmcfg_check_system:

  instructions  valgrind --tool=callgrind, whole processes --plain 1 minus
                --plain 0 (decoding only), per check;
  one-shot      the first check of a fresh process with glibc's default
                malloc (what `vmcfg check --system` sees): minor page
                faults and wall-clock time, median of R processes;
  warm          the checks after the first of a process, median over R
                processes of 1+K checks: with glibc keeping its memory
                (GLIBC_TUNABLES: no trimming, mmap only from 32 MiB on), and
                with a vmcfg_check_scratch (vmcfg_check_system_scratch) whose
                arena keeps its chunks — the same tunables, so that only the
                scratch differs;
  peak heap     the most the check held at once (a counting allocator under
                the diagnostics list and the scratch), beyond the decoded VMs.

With --vmcfg (and --taplo), a second table times whole processes on the same
system written as files (taplo only up to --taplo-max VMs: it takes about
0.15 s a file here, mostly waiting, with --no-schema --no-auto-config) (bench_check --write): `vmcfg check --system` and
`taplo check` of the VM files (syntax only: taplo knows no VM rules), median
of R runs, with their minor page faults and peak RSS. vmcfg exits 1 there:
its one finding is E0316, the reference hypervisor's limit of 8 VMs per
system, which the generated systems exceed (every rule still runs).
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure_process import WARM_ENV, callgrind, usage, mib  # noqa: E402

K = 2  # extra checks for the warm figures


def plain(bench, k, n, scratch=False, env=None):
    """(peak_alloc, [(seconds, faults) of each check]) of one --plain process."""
    e = dict(os.environ)
    e.update(env or {})
    cmd = [bench, "--plain", str(k)] + (["--scratch"] if scratch else []) + [str(n)]
    p = subprocess.run(cmd, capture_output=True, text=True, env=e)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"measure: {' '.join(cmd)} exited {p.returncode}")
    kv = dict(x.split("=", 1) for x in p.stdout.split() if "=" in x)
    return int(kv["peak_alloc"]), [(float(kv[f"check{i}_s"]), int(kv[f"check{i}_faults"]))
                                   for i in range(k)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--vmcfg")
    ap.add_argument("--taplo")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--taplo-max", type=int, default=100,
                    help="largest system taplo checks (it takes ~0.15 s a file here)")
    ap.add_argument("sizes", nargs="+", type=int)
    args = ap.parse_args()

    head = ("VMs", "calls", "instructions / check", "one-shot: page faults", "one-shot: time",
            "warm: page faults / check", "warm: time / check", "peak heap")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for n in args.sizes:
        print(f"measure: check of {n} VMs ...", file=sys.stderr, flush=True)
        ins = (callgrind([args.bench, "--plain", "1", str(n)]) -
               callgrind([args.bench, "--plain", "0", str(n)]))
        first = [plain(args.bench, 1, n)[1][0] for _ in range(args.runs)]
        for label, scratch in (("vmcfg_check_system", False),
                               ("vmcfg_check_system_scratch, one scratch", True)):
            peak = 0
            later = []
            for _ in range(args.runs):
                pk, r = plain(args.bench, 1 + K, n, scratch, WARM_ENV)
                peak = max(peak, pk)
                later += r[1:]
            row = (f"{n:,}", label,
                   f"{ins / 1e6:,.1f} M" if not scratch else "—",
                   f"{statistics.median(x[1] for x in first):,.0f}" if not scratch else "—",
                   f"{statistics.median(x[0] for x in first) * 1e3:,.1f} ms" if not scratch else "—",
                   f"{statistics.median(x[1] for x in later):,.0f}",
                   f"{statistics.median(x[0] for x in later) * 1e3:,.1f} ms",
                   mib(peak))
            print("| " + " | ".join(row) + " |", flush=True)

    if not args.vmcfg:
        return 0
    print()
    head = ("VMs", "process", "page faults", "time (median)", "peak RSS")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([args.bench, "--write", d, str(n)], check=True)
            files = sorted(glob.glob(os.path.join(d, "vm*.toml")))
            procs = [("vmcfg check -q --system", [args.vmcfg, "check", "-q", "--system",
                                                 os.path.join(d, "system.toml")], (0, 1))]
            if args.taplo and n <= args.taplo_max:
                procs.append(("taplo check (syntax only)",
                              [args.taplo, "check", "--no-schema", "--no-auto-config"] + files,
                              (0,)))
            for label, cmd, ok in procs:
                print(f"measure: {label} on {n} VMs ...", file=sys.stderr, flush=True)
                runs = [usage(cmd, ok) for _ in range(args.runs)]
                print(f"| {n:,} | {label} | {statistics.median(r[1] for r in runs):,.0f} | "
                      f"{statistics.median(r[0] for r in runs) * 1e3:,.0f} ms | "
                      f"{max(r[2] for r in runs) / 1024:,.1f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

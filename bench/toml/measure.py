#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What a parse costs, for vmcfg and its peers, as Markdown tables (BENCHMARKS.md).

    measure.py --vmcfg BIN --tomlpp BIN [--rust BIN] [--python PY] [--runs R]
               [--no-callgrind NAME]... NAME=FILE...

One table per input (NAME=FILE), one row per parser, every figure from this
run. Each driver has a --plain N mode: read the files, parse each N times,
print one line with the wall-clock time and minor page faults (getrusage)
of each round:

  instructions  valgrind --tool=callgrind, whole processes --plain 1 minus
                --plain 0 (the count the machine's load cannot move), per
                input byte;
  one-shot      what a user's CLI run sees, glibc's default malloc: the
                first parse of a fresh process, median of R processes;
  warm          memory kept between parses (GLIBC_TUNABLES: no trimming,
                mmap only from 32 MiB on; for vmcfg also its own arena reset
                between documents, vmcfg_toml_options.arena): the parses
                after the first, median over R processes of 1+K parses;
  peak heap     bytes allocated at the peak of one parse, as each driver
                counts them (vmcfg: its counting allocator; toml++: operator
                new; Rust: a counting global allocator; tomllib: tracemalloc).

Python's tomllib allocates through pymalloc's own arenas, which the glibc
tunables do not reach: its warm row is glibc-warm only.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure_process import WARM_ENV, callgrind, mib  # noqa: E402

K = 2  # extra parses for the warm figures


def run(cmd):
    """The stdout of one process, which must succeed."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"measure: {' '.join(cmd)} exited {p.returncode}")
    return p.stdout


def rounds(cmd, runs, env=None):
    """[(seconds, minor faults) of each parse round] for each of runs processes (--plain)."""
    e = dict(os.environ)
    e.update(env or {})
    out = []
    for _ in range(runs):
        p = subprocess.run(cmd, capture_output=True, text=True, env=e)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"measure: {' '.join(cmd)} exited {p.returncode}")
        kv = dict(x.split("=", 1) for x in p.stdout.split() if "=" in x)
        n = int(kv["plain"])
        out.append([(float(kv[f"parse{k}_s"]), int(kv[f"parse{k}_faults"])) for k in range(n)])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcfg", required=True)
    ap.add_argument("--tomlpp", required=True)
    ap.add_argument("--rust")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--tomllib", default=os.path.join(os.path.dirname(__file__),
                                                      "bench_tomllib.py"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-callgrind", action="append", default=[],
                    help="parser to leave out of the instruction counts (too slow)")
    ap.add_argument("inputs", nargs="+", help="NAME=FILE")
    args = ap.parse_args()

    parsers = [("vmcfg", [args.vmcfg]), ("toml++", [args.tomlpp])]
    if args.rust:
        parsers.append(("rust toml", [args.rust]))
    parsers.append(("tomllib", [args.python, args.tomllib]))

    for spec in args.inputs:
        name, path = spec.split("=", 1)
        size = os.path.getsize(path)
        print(f"### {name}: `{os.path.basename(path)}`, {size:,} bytes\n")
        head = ("parser", "instructions / byte", "one-shot: page faults", "one-shot: time",
                "warm: page faults / parse", "warm: time / parse", "peak heap", "heap ÷ input")
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for pname, cmd in parsers:
            print(f"measure: {pname} on {name} ...", file=sys.stderr, flush=True)
            plain = lambda n, extra=(): cmd + list(extra) + ["--plain", str(n), path]
            if pname == "rust toml":
                out = run(plain(1))
            else:
                out = run(cmd + ["--min-time", "0", "--min-iters", "1", path])
            peak = int(re.search(r"peak_alloc=(\d+)", out).group(1))
            if pname in args.no_callgrind:
                ipb = "not measured"
            else:
                ins = callgrind(plain(1)) - callgrind(plain(0))
                ipb = f"{ins / size:,.1f}"
            first_parse = [r[0] for r in rounds(plain(1), args.runs)]
            one_t = statistics.median(x[0] for x in first_parse)
            one_f = statistics.median(x[1] for x in first_parse)
            variants = [(pname, [])]
            if pname == "vmcfg":
                variants.append(("vmcfg, own arena reset between documents", ["--arena"]))
            for label, extra in variants:
                later = [x for r in rounds(plain(1 + K, extra), args.runs, WARM_ENV) for x in r[1:]]
                first = not extra
                row = (label, ipb if first else "—",
                       f"{one_f:,.0f}" if first else "—",
                       f"{one_t * 1e3:,.0f} ms" if first else "—",
                       f"{statistics.median(x[1] for x in later):,.0f}",
                       f"{statistics.median(x[0] for x in later) * 1e3:,.0f} ms",
                       mib(peak) if first else "—", f"{peak / size:.2f}×" if first else "—")
                print("| " + " | ".join(row) + " |", flush=True)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What comments cost `vmcfg fmt`, and taplo beside it, as Markdown tables.

    measure_fmt.py --vmcfg BIN [--bench BIN] [--taplo BIN] [--runs R] COMMENTED PLAIN

With --bench (bench/fmt/bench_fmt.c), first a table of the library in one
process: instructions per format (callgrind, --plain 1 minus --plain 0),
one-shot (the first format of a fresh process with glibc's default malloc:
minor page faults, time; median of R processes), warm (the formats after
the first, glibc keeping its memory through GLIBC_TUNABLES: faults and time
per format, median over R processes of 3 formats) and the peak heap (a
counting allocator under everything the library allocates).

COMMENTED and PLAIN are the same VM file with and without comments
(bench/fmt/gen_commented.py). For each, as whole processes: instructions
(valgrind --tool=callgrind), minor page faults (wait4) and wall-clock time
(median of R runs), and the peak RSS. The ratio commented / plain is the
figure issue 21 bounds (≤ 2). taplo (npm @taplo/cli) formats the same files
as a peer, when given; its instructions are not counted (a Node process).
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure_process import WARM_ENV, callgrind, usage  # noqa: E402


def plain(bench, k, f, env=None):
    """(peak_alloc, [(seconds, faults) of each format]) of one bench_fmt --plain process."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([bench, "--plain", str(k), f], capture_output=True, text=True, env=e)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"measure_fmt: {bench} --plain {k} {f} failed")
    kv = dict(x.split("=", 1) for x in p.stdout.split() if "=" in x)
    return int(kv["peak_alloc"]), [(float(kv[f"fmt{i}_s"]), int(kv[f"fmt{i}_faults"]))
                                   for i in range(k)]


def library_table(bench, runs, files):
    head = ("file", "bytes", "instructions / format", "one-shot: page faults", "one-shot: time",
            "warm: page faults / format", "warm: time / format", "peak heap", "heap ÷ input")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    res = []
    for f in files:
        print(f"measure_fmt: library on {f} ...", file=sys.stderr, flush=True)
        ins = callgrind([bench, "--plain", "1", f]) - callgrind([bench, "--plain", "0", f])
        first = [plain(bench, 1, f)[1][0] for _ in range(runs)]
        peak, later = 0, []
        for _ in range(runs):
            pk, r = plain(bench, 3, f, WARM_ENV)
            peak = max(peak, pk)
            later += r[1:]
        size = os.path.getsize(f)
        res.append((ins, statistics.median(x[0] for x in first)))
        print(f"| {os.path.basename(f)} | {size:,} | {ins:,} | "
              f"{statistics.median(x[1] for x in first):,.0f} | "
              f"{statistics.median(x[0] for x in first) * 1e3:,.0f} ms | "
              f"{statistics.median(x[1] for x in later):,.0f} | "
              f"{statistics.median(x[0] for x in later) * 1e3:,.0f} ms | "
              f"{peak / 1048576:,.1f} MiB | {peak / size:.2f}× |", flush=True)
    print(f"\ncommented ÷ plain, in one process: instructions {res[0][0] / res[1][0]:.2f}×, "
          f"one-shot time {res[0][1] / res[1][1]:.2f}×\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcfg", required=True)
    ap.add_argument("--bench")
    ap.add_argument("--taplo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("commented")
    ap.add_argument("plain")
    args = ap.parse_args()
    if args.bench:
        library_table(args.bench, args.runs, (args.commented, args.plain))
    tools = [("vmcfg fmt", lambda f: [args.vmcfg, "fmt", f], True)]
    if args.taplo:
        tools.append(("taplo fmt - (stdin)", None, False))
    head = ("tool", "file", "bytes", "instructions", "page faults", "time (median)",
            "peak RSS", "commented ÷ plain (instructions / time)")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for name, cmd, count in tools:
        if cmd is None:  # taplo reads stdin and writes stdout: through sh, same for both files
            cmd = lambda f: ["/bin/sh", "-c", f'"$0" fmt - < "$1"', args.taplo, f]
        res = []
        for f in (args.commented, args.plain):
            print(f"measure_fmt: {name} on {f} ...", file=sys.stderr, flush=True)
            ins = callgrind(cmd(f)) if count else None
            runs = [usage(cmd(f)) for _ in range(args.runs)]
            res.append((f, ins, statistics.median(r[1] for r in runs),
                        statistics.median(r[0] for r in runs), max(r[2] for r in runs)))
        for i, (f, ins, faults, t, rss) in enumerate(res):
            ratio = ""
            if i == 0:
                c, p = res[0], res[1]
                ri = f"{c[1] / p[1]:.2f}×" if count else "—"
                ratio = f"{ri} / {c[3] / p[3]:.2f}×"
            print(f"| {name} | {os.path.basename(f)} | {os.path.getsize(f):,} | "
                  f"{f'{ins:,}' if ins else 'not counted'} | {faults:,.0f} | {t * 1e3:,.0f} ms | "
                  f"{rss / 1024:,.1f} MiB | {ratio} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

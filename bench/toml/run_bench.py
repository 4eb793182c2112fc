#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the three TOML parsers side by side and prints a Markdown table.

    run_bench.py --vmcfg BIN --tomlpp BIN --generated FILE --toml-test DIR [--min-time S]

Inputs: (a) the generated VM-config file, (b) every valid toml-test document
(DIR/valid/**/*.toml), parsed one after the other. Each parser runs in its
own process on the same bytes, already in memory, for at least --min-time
seconds and --min-iters iterations; the table shows the median and the best
iteration. Peak RSS Δ is VmHWM after the timed runs minus VmHWM once the
input is loaded. The result is verified: every parser must accept every
document, and the three fingerprints (scalar count, integer sum, string
bytes) must agree. Exits 1 when vmcfg fails a document or its fingerprint
differs from a peer's; a failing peer is only reported.
"""
import argparse
import glob
import os
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"run_bench: {cmd[0]} exited {p.returncode}")
    line = [l for l in p.stdout.splitlines() if l.startswith("parser=")][-1]
    r = dict(kv.split("=", 1) for kv in line.split())
    r["stderr"] = p.stderr.strip()
    r["raw"] = line
    return r


def kib(n):
    return f"{n / 1024:,.0f} KiB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcfg", required=True)
    ap.add_argument("--tomlpp", required=True)
    ap.add_argument("--tomllib", default=os.path.join(os.path.dirname(__file__),
                                                      "bench_tomllib.py"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--generated", required=True)
    ap.add_argument("--toml-test", required=True)
    ap.add_argument("--min-time", default="2.0")
    ap.add_argument("--min-iters", default="10")
    args = ap.parse_args()

    valid = sorted(glob.glob(os.path.join(args.toml_test, "valid", "**", "*.toml"),
                             recursive=True))
    if not valid:
        raise SystemExit(f"run_bench: no valid/**/*.toml under {args.toml_test}")
    inputs = [("(a) generated VM configs", [args.generated], True),
              (f"(b) toml-test valid ({len(valid)} files)", valid, False)]
    opts = ["--min-time", args.min_time, "--min-iters", args.min_iters]
    parsers = [("vmcfg", [args.vmcfg]), ("toml++", [args.tomlpp]),
               ("tomllib", [args.python, args.tomllib])]

    failed = False
    rows, raw, notes = [], [], []
    for label, files, single in inputs:
        res = {}
        for name, cmd in parsers:
            print(f"run_bench: {name} on {label} ...", file=sys.stderr, flush=True)
            res[name] = run(cmd + opts + files)
            raw.append(res[name]["raw"])
        ours = res["vmcfg"]
        fp = lambda r: (r["leaves"], r["int_sum"], r["str_bytes"])
        for name, _ in parsers:
            r = res[name]
            size = int(r["bytes"])
            ok = int(r["ok"]) == len(files)
            same = fp(r) == fp(ours)
            if not ok:
                notes.append(f"{name} rejected {len(files) - int(r['ok'])} of {len(files)} "
                             f"documents of {label}: {r['stderr'][:300]}")
                failed |= name == "vmcfg"
            if not same:
                notes.append(f"{name}'s fingerprint {fp(r)} differs from vmcfg's {fp(ours)} "
                             f"on {label}")
                failed = True
            mbps = float(r["median_mbps"])
            best = float(r["best_mbps"])
            ratio = "—" if name == "vmcfg" else (
                f"{float(ours['median_mbps']) / mbps:.1f}× / "
                f"{float(ours['best_mbps']) / best:.1f}×")
            peak = int(r["peak_alloc"])
            rss = (int(r["rss_peak_kb"]) - int(r["rss_base_kb"])) * 1024
            # Memory relative to the input only means something for one document.
            rel = (lambda n: f"{n / size:.2f}×") if single else (lambda n: "n/a")
            check = ("ok" if ok else f"{r['ok']}/{len(files)}") + ("" if same else ", MISMATCH")
            rows.append((label, f"{size / 1e6:.2f} MB", name, f"{mbps:.1f}",
                         f"{best:.1f}", ratio, kib(peak), rel(peak), kib(rss),
                         rel(rss), check))

    head = ("input", "bytes", "parser", "MB/s (median)", "MB/s (best)", "vmcfg ÷ peer (median / best)",
            "peak heap", "heap ÷ input", "peak RSS Δ", "RSS Δ ÷ input", "verified")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    for n in notes:
        print(f"note: {n}")
    print("raw:")
    for l in raw:
        print(f"    {l}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

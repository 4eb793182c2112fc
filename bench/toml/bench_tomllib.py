#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Throughput of Python's tomllib, for bench/toml/run_bench.py.

    bench_tomllib.py [--min-time SECONDS] [--min-iters N] FILE...
    bench_tomllib.py --plain N FILE...   (N parses, nothing else: measure.py)

Same protocol and output as bench_toml.c: all files are read into memory as
bytes first; one iteration decodes each (as "utf-8-sig": TOML allows a
byte-order mark, which tomllib, taking only str, would reject) and parses it
with tomllib.loads, dropping the result. peak_alloc comes from one extra
parse of each file under tracemalloc (not timed), the largest one's peak.
"""
import argparse
import resource
import time
import tomllib
import tracemalloc


def max_rss_kb():
    """Peak RSS in KiB: VmHWM (see bench_toml.c for why not ru_maxrss alone)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def walk(v, fp):
    if isinstance(v, dict):
        for x in v.values():
            walk(x, fp)
        return
    if isinstance(v, list):
        for x in v:
            walk(x, fp)
        return
    if isinstance(v, int) and not isinstance(v, bool):
        fp[1] = (fp[1] + v) % (1 << 64)
    elif isinstance(v, str):
        fp[2] += len(v.encode("utf-8", "surrogatepass"))
    fp[0] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-time", type=float, default=1.0)
    ap.add_argument("--min-iters", type=int, default=5)
    ap.add_argument("--plain", type=int, default=-1,
                    help="N parses of each file and nothing else (bench/toml/measure.py)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    data = []
    for p in args.files:
        with open(p, "rb") as f:
            data.append(f.read())
    total = sum(len(d) for d in data)
    if args.plain >= 0:
        line = f"parser=tomllib plain={args.plain}"
        for k in range(args.plain):
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            t0 = time.perf_counter()
            for d in data:
                tomllib.loads(d.decode("utf-8-sig"))
            t1 = time.perf_counter()
            f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            line += f" parse{k}_s={t1 - t0:.6f} parse{k}_faults={f1 - f0}"
        print(line)
        return 0
    rss_base = max_rss_kb()

    times = []
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        ok = 0
        for d in data:
            try:
                tomllib.loads(d.decode("utf-8-sig"))
                ok += 1
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                pass
        t1 = time.perf_counter()
        times.append(t1 - t0)
        if t1 - start >= args.min_time and len(times) >= args.min_iters:
            break
    rss_peak = max_rss_kb()

    fp = [0, 0, 0]
    peak = 0
    for p, d in zip(args.files, data):
        tracemalloc.start()
        try:
            doc = tomllib.loads(d.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            tracemalloc.stop()
            print(f"{p}: {e}", file=__import__("sys").stderr)
            continue
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        walk(doc, fp)
        del doc

    times.sort()
    n = len(times)
    best = times[0]
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    print(f"parser=tomllib files={len(data)} bytes={total} iters={n} best_s={best:.6f} "
          f"median_s={median:.6f} best_mbps={total / best / 1e6:.2f} "
          f"median_mbps={total / median / 1e6:.2f} ok={ok} leaves={fp[0]} int_sum={fp[1]} "
          f"str_bytes={fp[2]} peak_alloc={peak} rss_base_kb={rss_base} rss_peak_kb={rss_peak}")


if __name__ == "__main__":
    main()

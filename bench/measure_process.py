# SPDX-License-Identifier: MIT
"""What one benchmark process costs, for the bench/*/measure*.py scripts:
instructions (callgrind, which the machine's load cannot move), minor page
faults, wall clock and peak RSS (wait4's rusage), and the glibc settings of
a "warm" allocator that keeps its memory between documents."""
import os
import re
import subprocess
import time

# glibc keeping its memory: no trimming, mmap only from 32 MiB on.
WARM_ENV = {"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1099511627776:"
                              "glibc.malloc.mmap_threshold=33554432"}


def callgrind(cmd):
    """Instructions the whole process cmd executes, which must succeed."""
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                       capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if p.returncode != 0 or not m:
        raise SystemExit(f"measure: callgrind of {' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    return int(m.group(1))


def usage(cmd, ok_codes=(0,)):
    """(seconds, minor page faults, peak RSS in KiB) of one run of cmd, its output discarded."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, dict(os.environ), file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    if os.waitstatus_to_exitcode(status) not in ok_codes:
        raise SystemExit(f"measure: {' '.join(cmd[:3])} … failed")
    return t1 - t0, ru.ru_minflt, ru.ru_maxrss


def mib(n):
    return f"{n / 1048576:.1f} MiB"

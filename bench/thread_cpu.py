#!/usr/bin/env python3
"""Where a load's CPU goes: drives a running server with oha and reports, besides oha's requests/s and
p99, the CPU each of the server's threads (grouped by name) and the load client used, per second and per
request, and how much of the machine sat idle. For probes beside bench/scans.sh (BENCHMARKS.md).

Usage: bench/thread_cpu.py PID URL_FILE [SECONDS]
  PID       the server process (its threads are read from /proc/PID/task)
  URL_FILE  one URL a line (oha --urls-from-file), e.g. /q/{code} of 1,000 codes
Needs target/bench-tools/bin/oha (bench/scans.sh builds it). Sends a phone's user agent.
"""
import json
import os
import resource
import subprocess
import sys
import time

PHONE = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Mobile Safari/537.36")
OHA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "bench-tools", "bin", "oha")
TICK = os.sysconf("SC_CLK_TCK")


def thread_ticks(pid):
    """CPU ticks (user + system) of each thread of `pid`, keyed by (tid, name)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except FileNotFoundError:
            continue  # the thread ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[(tid, name)] = int(fields[11]) + int(fields[12])
    return out


def machine():
    """(all ticks, idle + iowait ticks) of the whole machine."""
    fields = list(map(int, open("/proc/stat").readline().split()[1:]))
    return sum(fields), fields[3] + fields[4]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pid, urls = sys.argv[1], sys.argv[2]
    secs = sys.argv[3] if len(sys.argv) > 3 else "5"
    before, (all0, idle0) = thread_ticks(pid), machine()
    start = time.time()
    run = subprocess.run([OHA, "-z", f"{secs}s", "-w", "-c", "64", "--redirect", "0", "--no-tui",
                          "--output-format", "json", "-H", f"User-Agent: {PHONE}", "--urls-from-file", urls],
                         capture_output=True, text=True, check=True)
    after, (all1, idle1) = thread_ticks(pid), machine()
    elapsed = time.time() - start
    summary = json.loads(run.stdout)
    answered = sum(summary["statusCodeDistribution"].values())
    print(f"{summary['summary']['requestsPerSec']:.0f} requests/s, p99 "
          f"{summary['latencyPercentiles']['p99'] * 1e3:.2f} ms, {answered} answers "
          f"{dict(sorted(summary['statusCodeDistribution'].items()))}")
    by_name = {}
    for key, ticks in after.items():
        by_name[key[1]] = by_name.get(key[1], 0) + ticks - before.get(key, 0)
    client = resource.getrusage(resource.RUSAGE_CHILDREN)
    by_name["(load client)"] = round((client.ru_utime + client.ru_stime) * TICK)
    for name, ticks in sorted(by_name.items(), key=lambda kv: -kv[1]):
        if ticks:
            print(f"  {name:18s} {ticks / TICK / elapsed * 100:6.1f} % of a core "
                  f"{ticks / TICK / max(answered, 1) * 1e6:7.2f} µs a request")
    print(f"  idle + I/O wait    {(idle1 - idle0) / (all1 - all0) * 100:6.1f} % of the machine")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""CPU time by thread of one command (Linux): what a JVM's compiler, collector and work threads really used.

-XX:+CITime and JFR's jdk.Compilation give each compile's elapsed time, which counts the time a compiler thread waits
for a core; this reads each thread's own utime + stime from /proc every half second until the command exits, and sums
them by thread name (digits dropped: "C2 CompilerThread0" and "C2 CompilerThread1" are one line). It also prints the
CPU of the named threads over time.

  python3 bot/bench/thread-cpu.py --every 5 --watch 'C2 Compiler' --watch study -- \\
      java -XX:+UseSerialGC -jar bot/app/target/ballast.jar study --data ../shared/data --entries 10000 \\
      --horizons 30d --seed 2024

The command's own output goes to /dev/null; its exit status is this script's.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time


def threads(pid, hz):
    """{tid: (name, cpu seconds)} of every thread of pid that could be read."""
    out = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(task + "/comm") as f:
                name = f.read().strip()
            with open(task + "/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[task.rsplit("/", 1)[1]] = (name, (int(fields[11]) + int(fields[12])) / hz)
        except (OSError, IndexError, ValueError):
            pass  # the thread ended between the listing and the read
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=5.0, help="seconds between timeline lines (default 5)")
    parser.add_argument("--watch", action="append", default=[], help="a thread name prefix for the timeline")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command after --")
    hz = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    last = {}
    next_line = args.every
    while process.poll() is None:
        last.update(threads(process.pid, hz))
        now = time.monotonic() - started
        if args.watch and now >= next_line:
            parts = []
            for prefix in args.watch:
                used = sum(cpu for name, cpu in last.values() if name.startswith(prefix))
                parts.append(f"{prefix} {used:.1f} s")
            print(f"at {now:5.1f} s: " + ", ".join(parts), flush=True)
            next_line += args.every
        time.sleep(0.5)
    wall = time.monotonic() - started
    totals = {}
    for name, cpu in last.values():
        key = re.sub(r"\d+$", "", name).strip()
        totals[key] = totals.get(key, 0.0) + cpu
    print(f"wall {wall:.1f} s, CPU {sum(totals.values()):.1f} s (the last half second before the exit is not counted)")
    for name, cpu in sorted(totals.items(), key=lambda kv: -kv[1]):
        if cpu >= 0.05:
            print(f"  {name:28s} {cpu:6.1f} s")
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())

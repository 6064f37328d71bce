#!/usr/bin/env python3
"""Benchmark of `edgewatch top` (figures, not a test; see README):
- CPU per 1 s refresh and RSS of `edgewatch top` against `htop -d 10` in the same 120x40 tmux
  window, each for --seconds, beside a running agent (defaults, and a 1 s flush worst case);
- time to first frame (`top --once`, median of 5) over a store of 3 days x 1000 series.
Usage: scripts/top_bench.py [--binary PATH] [--seconds 60]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def child_of(pid, name):
    for _ in range(100):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        stat = f.read()
                    with open(f"/proc/{entry}/cmdline", "rb") as f:
                        command = f.read().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                if name in command and "tmux" not in command:
                    return int(entry)
        time.sleep(0.1)
    return None


def in_tmux(command, name, seconds):
    socket = f"ewtop-{os.getpid()}-{time.monotonic_ns()}"
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40", command], check=True)
    try:
        pid = child_of(os.getpid(), name)
        if pid is None:
            return None
        time.sleep(3)
        start = cpu_seconds(pid)
        time.sleep(seconds)
        used = cpu_seconds(pid) - start
        return used / seconds * 1000, status_kb(pid, "VmRSS") / 1024
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)


def agent(binary, directory, flush):
    config = os.path.join(directory, f"agent-{flush}.yaml")
    with open(config, "w") as f:
        f.write(f"node:\n  name: bench\nstore:\n  path: {directory}/agent-{flush}.db\n  flush_interval: {flush}\nlisten: \"\"\n")
    return subprocess.Popen([binary, "agent", "--config", config, "--log-level", "warning"], stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--binary", default=os.path.join(root, ".build", "release", "edgewatch"))
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not shutil.which("tmux") or not shutil.which("htop"):
        print("top benchmark: needs tmux and htop (make bench installs them)")
        return
    directory = tempfile.mkdtemp(prefix="edgewatch-top-bench-")
    try:
        for flush in ["60s", "1s"]:
            process = agent(args.binary, directory, flush)
            try:
                time.sleep(8)
                top = in_tmux(f"{args.binary} top --store {directory}/agent-{flush}.db --refresh 1s", " top --store", args.seconds)
                htop = in_tmux("htop -d 10", "htop", args.seconds)
            finally:
                process.terminate()
                process.wait()
            if top and htop:
                print(f"top vs htop at 1 s refresh, agent flush {flush}: {top[0]:.2f} vs {htop[0]:.2f} ms CPU per refresh "
                      f"({top[0] / htop[0]:.2f}x), RSS {top[1]:.1f} vs {htop[1]:.1f} MiB")
        bench = os.path.join(root, ".build", "release", "edgewatch-top-bench")
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-top-bench"], cwd=root, check=False, capture_output=True)
        if os.path.exists(bench):
            subprocess.run([bench, directory + "/big", "3", "1000"], check=True)
            times = []
            for _ in range(5):
                start = time.monotonic()
                subprocess.run([args.binary, "top", "--store", directory + "/big/store.db", "--once", "--size", "120x40"],
                               stdout=subprocess.DEVNULL, check=True)
                times.append((time.monotonic() - start) * 1000)
            print(f"top time to first frame, 3 days x 1000 series: {statistics.median(times):.0f} ms (median of 5)")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()

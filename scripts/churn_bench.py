#!/usr/bin/env python3
"""Benchmark: the agent's memory while containers come and go.

Starts the release agent (embedded defaults, 1 s interval), then in each round makes CONTAINERS
kubepods container cgroups on this machine (cgroup v1 or v2, the kubelet's cgroupfs layout),
waits until the agent collects them, and removes them. Prints the anonymous RSS after each round
and once the agent's minute sweep has run: it should level off, not grow with every series that
ever existed. Needs root. Figures, not assertions.
Usage: scripts/churn_bench.py [--rounds N] [--containers N] [--binary PATH] [--past-hour]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time, urllib.request, uuid

from loopback import free_port

ROOT = "/sys/fs/cgroup"


def controller_roots():
    """Where a container cgroup is made: the unified root, or one directory per v1 controller."""
    if os.path.exists(ROOT + "/cgroup.controllers"):
        return [ROOT], True
    roots, seen = [], set()
    for controller in ["cpu", "cpuacct", "memory", "pids", "blkio"]:
        base = os.path.join(ROOT, controller)
        if os.path.isdir(base) and os.path.realpath(base) not in seen:
            seen.add(os.path.realpath(base))
            roots.append(base)
    return roots, False


def make_containers(count, per_pod=10):
    """Makes `count` container cgroups in pods of `per_pod`; returns the directories, deepest first."""
    roots, unified = controller_roots()
    made = []
    for _ in range(max(count // per_pod, 1)):
        pod = f"kubepods/besteffort/pod{uuid.uuid4()}"
        containers = [uuid.uuid4().hex + uuid.uuid4().hex for _ in range(per_pod)]
        for root in roots:
            path = root
            for level in pod.split("/"):
                if unified:
                    try:
                        with open(path + "/cgroup.subtree_control", "w") as f:
                            f.write("+memory +cpu +pids +io")
                    except OSError:
                        pass
                path += "/" + level
                if not os.path.isdir(path):
                    os.mkdir(path)
                    made.append(path)
            for container in containers:
                os.mkdir(path + "/" + container)
                made.append(path + "/" + container)
    return made


def remove(directories):
    for path in sorted(directories, key=len, reverse=True):
        try:
            os.rmdir(path)
        except OSError:
            pass


def anon_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def container_series(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    return sum(1 for line in text.splitlines() if line.startswith("container_") and "kubepods/besteffort/pod" in line)


def wait_ready(port, seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return container_series(port)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def churn(binary, rounds, containers, past_hour=False):
    """Anonymous RSS (KiB) at the start, after each round, after the next minute sweep (and with
    `past_hour`, after the sweep that follows the end of the hour); and how many container series
    one round showed."""
    directory = tempfile.mkdtemp(prefix="edgewatch-churn-")
    port = free_port()
    proc = subprocess.Popen([binary, "agent", "--interval", "1s", "--store", directory + "/store.db",
                             "--listen", f"127.0.0.1:{port}", "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    made = []
    try:
        wait_ready(port)
        time.sleep(20)
        marks = [("start", anon_kb(proc.pid))]
        series = 0
        for round in range(rounds):
            made = make_containers(containers)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                time.sleep(1)
                series = container_series(port)
                if series >= containers:
                    break
            time.sleep(2)
            remove(made)
            made = []
            time.sleep(3)
            marks.append((f"round {round + 1}", anon_kb(proc.pid)))
        time.sleep(61 - time.time() % 60 + 3)  # past the next minute's first cycle
        marks.append(("after the minute sweep", anon_kb(proc.pid)))
        if past_hour:
            time.sleep(3600 - time.time() % 3600 + 75)  # the hour's end, its sweep and a heap trim
            marks.append(("after the hour's end", anon_kb(proc.pid)))
        return marks, series
    finally:
        remove(made)
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)


def print_churn(marks, series, containers):
    print(f"container churn             {containers} containers per round, {series} container series each; anonymous RSS:")
    for label, kb in marks:
        print(f"  {label:26s}{kb / 1024:6.1f} MiB")
    rounds = sum(1 for label, _ in marks if label.startswith("round"))
    if rounds > 1:
        late = (marks[rounds][1] - marks[1][1]) * 1024 / max((rounds - 1) * series, 1)
        print(f"  growth after round 1      {late:6.0f} bytes per series that came and went")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--containers", type=int, default=100)
    parser.add_argument("--binary", help="an edgewatch binary instead of .build/release/edgewatch")
    parser.add_argument("--past-hour", action="store_true",
                        help="also wait for the end of the hour (when the state of gone series is dropped) and measure again")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("churn_bench needs root to make cgroups")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    if not args.binary:
        subprocess.run(["make", "--no-print-directory", "release"], cwd=root, check=True, capture_output=True)
    marks, series = churn(binary, args.rounds, args.containers, args.past_hour)
    print_churn(marks, series, args.containers)


if __name__ == "__main__":
    main()

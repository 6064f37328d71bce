#!/usr/bin/env python3
"""Benchmark: edgewatch host collection vs Debian's prometheus-node-exporter, measured in one run.

Prints CPU per collection cycle, peak RSS, their ratios against node_exporter, and the
stripped size of the static release binary. Figures, not assertions: see README.
Usage: scripts/bench.py [--cycles N] [--binary PATH]
"""
import argparse, os, shutil, socket, subprocess, sys, time, urllib.request

COLLECTORS = ["cpu", "cpufreq", "diskstats", "filesystem", "filefd", "hwmon", "loadavg", "meminfo", "netdev",
              "netclass", "os", "pressure", "stat", "thermal_zone", "time", "timex", "uname", "vmstat", "entropy",
              "sockstat"]
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid):
    """CPU time of all threads, in nanosecond resolution from schedstat (tick-based stat as fallback)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        return total / 1e9
    except (OSError, ValueError, IndexError):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS


def proc_status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def run_edgewatch(binary, cycles):
    """CPU seconds and peak RSS (KiB) of one `collect --cycles N` process.

    The peak is read from the process's own VmHWM while it runs: a forked child's ru_maxrss
    would count this Python interpreter's pages from before exec.
    """
    start = time.monotonic()
    proc = subprocess.Popen([binary, "collect", "--once", "--cycles", str(cycles)], stdout=subprocess.DEVNULL)
    peak = 0
    while True:
        try:
            peak = max(peak, proc_status_kb(proc.pid, "VmHWM"))
        except OSError:
            pass
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.002)
    if status != 0:
        sys.exit(f"edgewatch exited with {status}")
    return usage.ru_utime + usage.ru_stime, peak, time.monotonic() - start


def node_exporter(cycles):
    binary = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
    if not binary:
        sys.exit("prometheus-node-exporter not found: apt-get install prometheus-node-exporter")
    port = free_port()
    args = [binary, "--collector.disable-defaults"] + [f"--collector.{c}" for c in COLLECTORS] + [
        "--no-collector.netdev.netlink", f"--web.listen-address=127.0.0.1:{port}"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.05)
        for _ in range(5):  # warm-up scrapes
            urllib.request.urlopen(url, timeout=10).read()
        before = proc_cpu_seconds(proc.pid)
        for _ in range(cycles):
            urllib.request.urlopen(url, timeout=10).read()
        cpu = (proc_cpu_seconds(proc.pid) - before) / cycles
        return cpu, proc_status_kb(proc.pid, "VmHWM"), proc_status_kb(proc.pid, "VmRSS"), proc_status_kb(proc.pid, "RssAnon"), binary
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def agent(binary, seconds):
    """Steady RSS and CPU per cycle of the real agent at a 1 s interval (all collectors, store on disk)."""
    import tempfile
    directory = tempfile.mkdtemp(prefix="edgewatch-bench-")
    port = free_port()
    proc = subprocess.Popen([binary, "agent", "--interval", "1s", "--store", directory + "/store.db",
                             "--listen", f"127.0.0.1:{port}", "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # start-up and first flush window
        def cycles():
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
            for line in text.splitlines():
                if line.startswith("edgewatch_cycles_total "):
                    return float(line.split()[1])
            return 0.0
        cpu0, c0 = proc_cpu_seconds(proc.pid), cycles()
        time.sleep(seconds)
        cpu1, c1 = proc_cpu_seconds(proc.pid), cycles()
        rss = proc_status_kb(proc.pid, "VmRSS")
        anon = proc_status_kb(proc.pid, "RssAnon")
        return (cpu1 - cpu0) / max(c1 - c0, 1), rss, anon, c1 - c0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)


def cgroup_tree(directory, containers):
    """A cgroup v2 tree (systemd driver) with `containers` containers, two per pod."""
    import random
    def write(path, files):
        os.makedirs(path, exist_ok=True)
        for name, text in files.items():
            with open(os.path.join(path, name), "w") as f:
                f.write(text + "\n")
    def files(seed):
        return {"cpu.stat": f"usage_usec {seed * 1000}\nuser_usec {seed * 600}\nsystem_usec {seed * 400}\nnr_periods {seed}\nnr_throttled 3\nthrottled_usec 12345",
                "memory.current": str(seed * 4096), "memory.stat": f"anon {seed * 2048}\nfile {seed * 1024}\ninactive_file {seed * 512}",
                "memory.max": "max", "memory.events": "oom_kill 0", "memory.swap.current": "0", "pids.current": "3",
                "cgroup.procs": "1\n2", "cpu.max": "max 100000", "cpu.weight": "100",
                "io.stat": "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2", "cpu.pressure": "some avg10=0 avg60=0 avg300=0 total=5\nfull avg10=0 avg60=0 avg300=0 total=1"}
    base = os.path.join(directory, "sys/fs/cgroup")
    write(base, {"cgroup.controllers": "cpu memory io pids"})
    qos = os.path.join(base, "kubepods.slice/kubepods-burstable.slice")
    write(os.path.join(base, "kubepods.slice"), files(1))
    write(qos, files(2))
    for pod in range((containers + 1) // 2):
        uid = "%08x_%04x_%04x_%04x_%012x" % (pod, 1, 2, 3, random.getrandbits(48))
        pod_dir = os.path.join(qos, f"kubepods-burstable-pod{uid}.slice")
        write(pod_dir, files(pod + 3))
        for c in range(2):
            if pod * 2 + c >= containers:
                break
            write(os.path.join(pod_dir, "cri-containerd-%064x.scope" % (pod * 2 + c)), files(pod * 2 + c + 7))


def cgroup_cost(binary, counts, cycles=50):
    """CPU per cycle of the cgroup collector with 10, 100, 1000 … containers."""
    import tempfile
    rows = []
    for count in counts:
        directory = tempfile.mkdtemp(prefix="edgewatch-cgbench-")
        try:
            cgroup_tree(directory, count)
            args = ["collect", "--once", "--collectors", "cgroup", "--sysfs", directory + "/sys", "--rootfs", directory]
            base, _, _ = run_edgewatch_args(binary, args + ["--cycles", "1"])
            total, _, _ = run_edgewatch_args(binary, args + ["--cycles", str(cycles + 1)])
            rows.append((count, max(total - base, 0) / cycles))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    return rows


def run_edgewatch_args(binary, args):
    proc = subprocess.Popen([binary] + args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime, 0, status


def static_binary(root):
    build = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "edgewatch"],
                           cwd=root, capture_output=True, text=True)
    if build.returncode != 0:
        sys.exit("static release build failed:\n" + build.stderr[-4000:])
    built = os.path.join(root, ".build", "release", "edgewatch")
    stripped = os.path.join(root, ".build", "release", "edgewatch.stripped")
    shutil.copyfile(built, stripped)
    os.chmod(stripped, 0o755)
    subprocess.run(["strip", stripped], check=True)
    return stripped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--binary", help="an edgewatch binary to measure instead of building the static release one")
    parser.add_argument("--agent-seconds", type=int, default=30, help="how long to measure the running agent")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary or static_binary(root)
    size_mb = os.path.getsize(binary) / 1e6

    one_cpu, _, _ = run_edgewatch(binary, 1)
    many_cpu, ew_rss_kb, wall = run_edgewatch(binary, args.cycles + 1)
    ew_cycle = max(many_cpu - one_cpu, 0) / args.cycles
    ne_cycle, ne_hwm_kb, ne_rss_kb, ne_anon_kb, ne_binary = node_exporter(args.cycles)
    agent_cycle, agent_rss_kb, agent_anon_kb, agent_cycles = agent(binary, args.agent_seconds)

    print(f"edgewatch binary            {binary} ({size_mb:.1f} MB stripped{', static stdlib' if not args.binary else ''})")
    print(f"node_exporter               {ne_binary}, same {len(COLLECTORS)} collectors, procfs netdev")
    print(f"cycles                      {args.cycles}")
    print(f"edgewatch CPU per cycle     {ew_cycle * 1000:.3f} ms")
    print(f"node_exporter CPU per scrape {ne_cycle * 1000:.3f} ms")
    print(f"CPU ratio                   {ew_cycle / ne_cycle:.3f}  (target <= 0.25)")
    print(f"edgewatch peak RSS          {ew_rss_kb / 1024:.1f} MiB")
    print(f"node_exporter peak RSS      {ne_hwm_kb / 1024:.1f} MiB (current {ne_rss_kb / 1024:.1f} MiB)")
    print(f"RSS ratio                   {ew_rss_kb / ne_hwm_kb:.3f}  (target <= 0.6)")
    print(f"agent CPU per cycle         {agent_cycle * 1000:.3f} ms over {agent_cycles:.0f} cycles (collection + store)")
    print(f"agent CPU ratio             {agent_cycle / ne_cycle:.3f}  (target <= 0.25)")
    print(f"agent steady RSS            {agent_rss_kb / 1024:.1f} MiB (anonymous {agent_anon_kb / 1024:.1f} MiB)")
    print(f"node_exporter RSS           {ne_rss_kb / 1024:.1f} MiB (anonymous {ne_anon_kb / 1024:.1f} MiB)")
    print(f"agent RSS ratio             {agent_rss_kb / ne_rss_kb:.3f}  (target <= 0.6; anonymous {agent_anon_kb / ne_anon_kb:.3f})")
    print(f"static binary               {size_mb:.1f} MB  (target <= 25 MB)")
    for count, cost in cgroup_cost(binary, [10, 100, 1000]):
        print(f"cgroup collection           {count:5d} containers: {cost * 1000:7.2f} ms per cycle, {cost * 1e6 / count:6.1f} µs per container")
    print("cAdvisor (published)        ~7% of a core for 29 containers at 1 s housekeeping (cadvisor#2523): ~2.4 ms per container per pass")
    store_bench = os.path.join(root, ".build", "release", "edgewatch-store-bench")
    if not args.binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "edgewatch-store-bench"], cwd=root, check=True,
                       capture_output=True)
    if os.path.exists(store_bench):
        print(subprocess.run([store_bench, "1000", "1"], capture_output=True, text=True).stdout, end="")
    rules_bench = os.path.join(root, ".build", "release", "edgewatch-rules-bench")
    if not args.binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "edgewatch-rules-bench"], cwd=root, check=True,
                       capture_output=True)
    if os.path.exists(rules_bench):
        for rules in ["config/rules.yaml", "config/node-mixin.rules.yaml"]:
            print(subprocess.run([rules_bench, os.path.join(root, rules), "1000", "2"], capture_output=True, text=True).stdout, end="")
        print(f"rule cost vs a node_exporter scrape: see 'rule cost per cycle' / {ne_cycle * 1000:.3f} ms")
    # Uplink bytes per sample vs remote_write, hub ingest vs Prometheus' remote-write receiver.
    subprocess.run([sys.executable, os.path.join(root, "scripts", "uplink_bench.py"), "--binary", binary], check=False)


if __name__ == "__main__":
    main()

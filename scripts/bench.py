#!/usr/bin/env python3
"""Benchmark: edgewatch host collection vs Debian's prometheus-node-exporter, measured in one run.

Prints CPU per collection cycle, peak RSS, their ratios against node_exporter, and the
stripped size of the static release binary. Figures, not assertions: see README.
Usage: scripts/bench.py [--cycles N] [--binary PATH] [--footprint-seconds N] [--churn-rounds N]
"""
import argparse, os, shutil, subprocess, sys, time, urllib.request

from loopback import free_port
from churn_bench import churn, print_churn

COLLECTORS = ["cpu", "cpufreq", "diskstats", "filesystem", "filefd", "hwmon", "loadavg", "meminfo", "netdev",
              "netclass", "os", "pressure", "stat", "thermal_zone", "time", "timex", "uname", "vmstat", "entropy",
              "sockstat"]
TICKS = os.sysconf("SC_CLK_TCK")


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
        f"--web.listen-address=127.0.0.1:{port}"]
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


def smaps_kb(pid):
    """Resident KiB by mapping: the edgewatch binary, each shared library, and anonymous memory."""
    parts = {}
    name = "[anon]"
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 5 and "-" in fields[0] and ":" in fields[3]:
                path = fields[5] if len(fields) >= 6 else ""
                name = os.path.basename(path) if path.startswith("/") else "[anon]"
                if name.startswith("libcrypto"): name = "libcrypto"
                elif name.startswith("libsqlite3"): name = "libsqlite3"
                elif name.startswith("libstdc++"): name = "libstdc++"
                elif name.startswith("libc.so") or name.startswith("libm.so"): name = "libc+libm"
                elif name.startswith("edgewatch") or name.startswith("prometheus-node-exporter"): name = "binary"
            elif fields and fields[0] == "Rss:":
                parts[name] = parts.get(name, 0) + int(fields[1])
    return parts


def rss_parts(pid):
    return {key: proc_status_kb(pid, key) for key in ("VmRSS", "RssAnon", "RssFile", "RssShmem")}


def footprint(binary, long_seconds, short_seconds=30):
    """Agent vs node_exporter side by side at 1 s for `long_seconds`: RSS (anonymous and file-backed)
    after `short_seconds` and at the end, CPU per cycle over the whole window. Two pairs: each side's
    defaults, and the same 20 host collectors on both sides."""
    import tempfile
    binary_ne = shutil.which("prometheus-node-exporter") or shutil.which("node_exporter")
    if not binary_ne:
        sys.exit("prometheus-node-exporter not found: apt-get install prometheus-node-exporter")
    directory = tempfile.mkdtemp(prefix="edgewatch-footprint-")
    procs, pairs = [], []
    try:
        for label, collectors in (("defaults", None), ("same 20 collectors", COLLECTORS)):
            port, ne_port = free_port(), free_port()
            config = os.path.join(directory, f"{len(pairs)}.yaml")
            with open(config, "w") as f:
                f.write(f"store:\n  path: {directory}/{len(pairs)}.db\n")
                if collectors:
                    f.write("collect:\n  collectors: [" + ", ".join(collectors) + "]\n")
            agent = subprocess.Popen([binary, "agent", "--config", config, "--interval", "1s", "--listen", f"127.0.0.1:{port}",
                                      "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ne_args = [binary_ne, f"--web.listen-address=127.0.0.1:{ne_port}"]
            if collectors:
                ne_args += ["--collector.disable-defaults"] + [f"--collector.{c}" for c in collectors]
            ne = subprocess.Popen(ne_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs += [agent, ne]
            pairs.append({"label": label, "agent": agent, "port": port, "ne": ne, "ne_port": ne_port, "scrapes": 0})
        time.sleep(2)

        def agent_cycles(pair):
            text = urllib.request.urlopen(f"http://127.0.0.1:{pair['port']}/metrics", timeout=5).read().decode()
            return next((float(l.split()[1]) for l in text.splitlines() if l.startswith("edgewatch_cycles_total ")), 0.0)

        def mark(pair):
            return {"agent_cpu": proc_cpu_seconds(pair["agent"].pid), "agent_cycles": agent_cycles(pair),
                    "ne_cpu": proc_cpu_seconds(pair["ne"].pid), "ne_scrapes": pair["scrapes"],
                    "agent_rss": rss_parts(pair["agent"].pid), "ne_rss": rss_parts(pair["ne"].pid)}

        start = time.monotonic()
        marks = {}
        next_scrape = start
        while time.monotonic() - start < long_seconds:
            for pair in pairs:
                urllib.request.urlopen(f"http://127.0.0.1:{pair['ne_port']}/metrics", timeout=10).read()
                pair["scrapes"] += 1
            if "short" not in marks and time.monotonic() - start >= short_seconds:
                marks["short"] = [mark(pair) for pair in pairs]
            next_scrape += 1
            time.sleep(max(0, next_scrape - time.monotonic()))
        marks["long"] = [mark(pair) for pair in pairs]
        breakdown = [(smaps_kb(pair["agent"].pid), smaps_kb(pair["ne"].pid)) for pair in pairs]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
    return pairs, marks, breakdown


def print_footprint(pairs, marks, breakdown, long_seconds, short_seconds=30):
    mib = lambda kb: kb / 1024
    for index, pair in enumerate(pairs):
        short, long = marks["short"][index], marks["long"][index]
        cycles = max(long["agent_cycles"] - short["agent_cycles"], 1)
        scrapes = max(long["ne_scrapes"] - short["ne_scrapes"], 1)
        agent_cycle = (long["agent_cpu"] - short["agent_cpu"]) / cycles
        ne_scrape = (long["ne_cpu"] - short["ne_cpu"]) / scrapes
        print(f"agent vs node_exporter, {pair['label']}, 1 s interval, {long_seconds} s:")
        for when, m in ((f"after {short_seconds} s", short), (f"after {long_seconds} s", long)):
            a, n = m["agent_rss"], m["ne_rss"]
            print(f"  RSS {when:14s} agent {mib(a['VmRSS']):5.1f} MiB (anon {mib(a['RssAnon']):4.1f}, file {mib(a['RssFile']):4.1f})"
                  f"  node_exporter {mib(n['VmRSS']):5.1f} MiB (anon {mib(n['RssAnon']):4.1f}, file {mib(n['RssFile']):4.1f})"
                  f"  ratio {a['VmRSS'] / n['VmRSS']:.2f} (target <= 0.6; anon {a['RssAnon'] / max(n['RssAnon'], 1):.2f},"
                  f" file {a['RssFile'] / max(n['RssFile'], 1):.2f})")
        print(f"  CPU per cycle          agent {agent_cycle * 1000:.3f} ms over {cycles:.0f} cycles, node_exporter {ne_scrape * 1000:.3f} ms"
              f" per scrape over {scrapes} scrapes  ratio {agent_cycle / ne_scrape:.2f} (target <= 0.25)")
        agent_parts, ne_parts = breakdown[index]
        top = sorted(agent_parts.items(), key=lambda kv: -kv[1])[:7]
        print("  agent resident by mapping: " + ", ".join(f"{k} {mib(v):.1f}" for k, v in top) + " MiB")
        top = sorted(ne_parts.items(), key=lambda kv: -kv[1])[:4]
        print("  node_exporter resident by mapping: " + ", ".join(f"{k} {mib(v):.1f}" for k, v in top) + " MiB")


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
    # `make release`: the release flags (function sections, the hot-function order) in one place.
    build = subprocess.run(["make", "--no-print-directory", "release"], cwd=root, capture_output=True, text=True)
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
    parser.add_argument("--footprint-seconds", type=int, default=600,
                        help="how long agent and node_exporter run side by side for RSS and CPU (RSS read at 30 s and at the end)")
    parser.add_argument("--churn-rounds", type=int, default=8,
                        help="rounds of 100 containers made and removed under the running agent (scripts/churn_bench.py; 0: none)")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary or static_binary(root)
    size_mb = os.path.getsize(binary) / 1e6

    one_cpu, _, _ = run_edgewatch(binary, 1)
    many_cpu, ew_rss_kb, wall = run_edgewatch(binary, args.cycles + 1)
    ew_cycle = max(many_cpu - one_cpu, 0) / args.cycles
    ne_cycle, ne_hwm_kb, ne_rss_kb, ne_anon_kb, ne_binary = node_exporter(args.cycles)
    agent_cycle, agent_rss_kb, agent_anon_kb, agent_cycles = agent(binary, args.agent_seconds)
    footprint_result = footprint(binary, args.footprint_seconds)

    print(f"edgewatch binary            {binary} ({size_mb:.1f} MB stripped{', static stdlib' if not args.binary else ''})")
    print(f"node_exporter               {ne_binary}, same {len(COLLECTORS)} collectors, netdev over netlink on both sides")
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
    print_footprint(*footprint_result, args.footprint_seconds)
    for count, cost in cgroup_cost(binary, [10, 100, 1000]):
        print(f"cgroup collection           {count:5d} containers: {cost * 1000:7.2f} ms per cycle, {cost * 1e6 / count:6.1f} µs per container")
    print("cAdvisor (published)        ~7% of a core for 29 containers at 1 s housekeeping (cadvisor#2523): ~2.4 ms per container per pass")
    if os.geteuid() == 0 and args.churn_rounds > 0:
        print_churn(*churn(binary, args.churn_rounds, 100), 100)
    store_bench = os.path.join(root, ".build", "release", "edgewatch-store-bench")
    if not args.binary:
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-store-bench"], cwd=root, check=True,
                       capture_output=True)
    if os.path.exists(store_bench):
        print(subprocess.run([store_bench, "1000", "1"], capture_output=True, text=True).stdout, end="")
    rules_bench = os.path.join(root, ".build", "release", "edgewatch-rules-bench")
    if not args.binary:
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-rules-bench"], cwd=root, check=True,
                       capture_output=True)
    if os.path.exists(rules_bench):
        for rules in ["config/rules.yaml", "config/node-mixin.rules.yaml"]:
            print(subprocess.run([rules_bench, os.path.join(root, rules), "1000", "2"], capture_output=True, text=True).stdout, end="")
        print(f"rule cost vs a node_exporter scrape: see 'rule cost per cycle' / {ne_cycle * 1000:.3f} ms")
    # Uplink bytes per sample vs remote_write, hub ingest vs Prometheus' remote-write receiver.
    subprocess.run([sys.executable, os.path.join(root, "scripts", "uplink_bench.py"), "--binary", binary], check=False)
    # The hub under a simulated fleet (SQLite, PostgreSQL with one and two replicas) against Prometheus' receiver.
    subprocess.run([sys.executable, os.path.join(root, "scripts", "hub_bench.py"), "--binary", binary], check=False)
    # edgewatch top against htop, and its time to first frame over 3 days x 1000 series.
    subprocess.run([sys.executable, os.path.join(root, "scripts", "top_bench.py"), "--binary", binary], check=False)
    # Export of 3 days x 1000 series to a bundle and its import into a hub.
    subprocess.run([sys.executable, os.path.join(root, "scripts", "export_bench.py"), "--binary", binary], check=False)
    # Kubernetes events: 10,000 updates per minute from the fake apiserver, CPU/RSS added, store bytes per event.
    events_bench = os.path.join(root, ".build", "release", "edgewatch-events-bench")
    subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-events-bench"], cwd=root, check=False,
                   capture_output=True)
    if os.path.exists(events_bench):
        print("kubernetes events (fake apiserver, 10000 updates/min, 120 s):")
        subprocess.run([events_bench, "--binary", binary, "--seconds", "120", "--rate", "10000"], check=False)


if __name__ == "__main__":
    main()

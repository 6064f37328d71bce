#!/usr/bin/env python3
"""Uplink benchmark: bytes per sample against Prometheus remote_write 1.0, and hub ingest
throughput against Debian's `prometheus --web.enable-remote-write-receiver`, fed the same
samples in the same run (one sender thread per node, requests in time order).

Then the live lag at the hub: a real agent with its default uplink (1 m summaries, 10 m windows,
store flush every 60 s, 10 s interval) and one sending raw samples, each against a real hub; the
lag of a 1 m summary is its arrival minus the end of its minute, of a raw sample its arrival
minus its timestamp.

Usage: scripts/uplink_bench.py [--binary PATH] [--nodes 4] [--minutes 30] [--lag-minutes 4]
"""
import argparse, glob, http.client, os, shutil, socket, sqlite3, statistics, subprocess, tempfile, threading, time, urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, headers=None, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"not ready: {url}")


def feed(port, path, files_by_node, headers_for):
    """POSTs every node's files in order, one thread per node; returns (seconds, failures)."""
    failures = []

    def run(node, files):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name in files:
            with open(name, "rb") as f:
                body = f.read()
            connection.request("POST", path, body=body, headers=headers_for(node))
            response = connection.getresponse()
            response.read()
            if response.status >= 300:
                failures.append((name, response.status))
        connection.close()

    threads = [threading.Thread(target=run, args=(node, files)) for node, files in files_by_node.items()]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started, failures


def live_lag(binary, scratch, resolution, minutes):
    """Runs hub + agent for `minutes`; returns the lags (s) of each new newest sample at the hub."""
    directory = os.path.join(scratch, "lag-" + resolution)
    os.makedirs(directory)
    hub_port = free_port()
    hub = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{hub_port}", "--data", os.path.join(directory, "hub"), "--log-level", "warning"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    agent = None
    try:
        wait_ready(f"http://127.0.0.1:{hub_port}/healthz")
        config = os.path.join(directory, "edgewatch.yaml")
        with open(config, "w") as f:
            f.write(f"node:\n  name: lag-node\nstore:\n  path: {directory}/store.db\nuplink:\n  url: http://127.0.0.1:{hub_port}\n"
                    f"  token_file: {directory}/hub/join-token\n  resolution: {resolution}\n  clock_sync_wait: 0s\n")
        agent = subprocess.Popen([binary, "agent", "--config", config, "--listen", f"127.0.0.1:{free_port()}", "--log-level", "warning"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lags, last = [], None
        deadline = time.time() + minutes * 60
        database = os.path.join(directory, "hub", "hub.db")
        while time.time() < deadline:
            time.sleep(0.5)
            try:
                with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
                    row = db.execute("SELECT last_sample_ts FROM nodes WHERE name = 'lag-node'").fetchone()
            except sqlite3.Error:
                continue
            if not row or not row[0] or row[0] == last:
                continue
            if last is not None:
                end = row[0] / 1000 + (60 if resolution == "1m" else 0)
                lags.append(time.time() - end)
            last = row[0]
        return lags
    finally:
        if agent:
            agent.terminate()
            agent.wait()
        hub.terminate()
        hub.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="edgewatch binary (default: .build/release/edgewatch, built if missing)")
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--lag-minutes", type=float, default=4)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["swift", "build", "-c", "release", "--product", "edgewatch-uplink-bench"], cwd=root, check=True, capture_output=True)
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    if not os.path.exists(binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "edgewatch"], cwd=root, check=True, capture_output=True)
    scratch = tempfile.mkdtemp(prefix="edgewatch-uplink-bench-")
    bodies = os.path.join(scratch, "bodies")
    try:
        out = subprocess.run([os.path.join(root, ".build", "release", "edgewatch-uplink-bench"), "1000", str(args.minutes), str(args.nodes), bodies],
                             check=True, capture_output=True, text=True).stdout
        print(out, end="")
        samples = 1000 * args.minutes * 6 * args.nodes

        hub_port = free_port()
        hub = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{hub_port}", "--data", os.path.join(scratch, "hub"), "--log-level", "warning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(f"http://127.0.0.1:{hub_port}/healthz")
        token = open(os.path.join(scratch, "hub", "join-token")).read().strip()
        ew_files = {n: sorted(glob.glob(os.path.join(bodies, f"ew-{n}-*.bin"))) for n in range(args.nodes)}
        secret = "s" * 32
        ew_seconds, ew_failures = feed(hub_port, "/api/v1/ingest", ew_files, lambda n: {
            "Authorization": "Bearer " + token, "X-Edgewatch-Node": f"node-{n}", "X-Edgewatch-Node-Secret": secret + str(n),
            "Content-Type": "application/x-edgewatch-batch"})
        hub.terminate()
        hub.wait()

        prom_port = free_port()
        config = os.path.join(scratch, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1h\n")
        prometheus = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(scratch, 'tsdb')}",
                                       f"--web.listen-address=127.0.0.1:{prom_port}", "--web.enable-remote-write-receiver"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(f"http://127.0.0.1:{prom_port}/-/ready")
        rw_files = {n: sorted(glob.glob(os.path.join(bodies, f"rw-{n}-*.bin"))) for n in range(args.nodes)}
        rw_seconds, rw_failures = feed(prom_port, "/api/v1/write", rw_files, lambda n: {
            "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf", "X-Prometheus-Remote-Write-Version": "0.1.0"})
        prometheus.terminate()
        prometheus.wait()

        ew_rate = samples / ew_seconds
        rw_rate = samples / rw_seconds
        print(f"hub ingest                  {samples} samples in {ew_seconds:.2f} s = {ew_rate:,.0f} samples/s ({args.nodes} nodes in parallel, "
              f"{len(ew_failures)} failed requests)")
        print(f"prometheus remote_write rx  {samples} samples in {rw_seconds:.2f} s = {rw_rate:,.0f} samples/s ({len(rw_failures)} failed requests)")
        print(f"ingest ratio                {ew_rate / rw_rate:.2f}x  (target >= 2)")
        if ew_failures or rw_failures:
            print("failures:", (ew_failures + rw_failures)[:5])
        if args.lag_minutes > 0:
            for resolution, target, what in [("1m", 90, "after its minute's end"), ("raw", 25, "after the sample (10 s interval)")]:
                lags = live_lag(binary, scratch, resolution, args.lag_minutes)
                if not lags:
                    print(f"live lag {resolution:<18} no data reached the hub")
                    continue
                print(f"live lag {resolution:<18} median {statistics.median(lags):.1f} s, max {max(lags):.1f} s {what} "
                      f"({len(lags)} arrivals in {args.lag_minutes:g} min; target <= {target} s)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Uplink benchmark: bytes per sample against Prometheus remote_write 1.0, and hub ingest
throughput against Debian's `prometheus --web.enable-remote-write-receiver`, fed the same
samples in the same run (one sender thread per node, requests in time order).

Usage: scripts/uplink_bench.py [--binary PATH] [--nodes 4] [--minutes 30]
"""
import argparse, glob, http.client, os, shutil, socket, subprocess, tempfile, threading, time, urllib.request


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="edgewatch binary (default: .build/release/edgewatch, built if missing)")
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--minutes", type=int, default=30)
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
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

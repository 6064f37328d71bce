#!/usr/bin/env python3
"""Uplink benchmark: bytes per sample against Prometheus remote_write 1.0, and hub ingest
throughput against Debian's `prometheus --web.enable-remote-write-receiver`, fed the same
samples in the same run (one sender thread per node, requests in time order).

Then the live lag at the hub: a real agent with its default uplink (1 m summaries, 10 m windows,
store flush every 60 s, 10 s interval) and one sending raw samples, each against a real hub; the
lag of a 1 m summary is its arrival minus the end of its minute, of a raw sample its arrival
minus its timestamp.

Then the backfill on a slow link: an agent whose store holds a day of 1000 series at 10 s the hub
has not seen, sending through a proxy capped at 32 KiB/s (both directions), to a real hub: time to
drain the backlog, and the live lag at the hub meanwhile.

Usage: scripts/uplink_bench.py [--binary PATH] [--nodes 4] [--minutes 30] [--lag-minutes 4]
                               [--backfill-hours 24] [--backfill-resolutions 1m,raw]
"""
import argparse, glob, http.client, os, shutil, socket, sqlite3, statistics, subprocess, tempfile, threading, time, urllib.request

from loopback import free_port


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


class SlowLink:
    """A TCP proxy to 127.0.0.1:`target` whose bytes, all connections and both directions together,
    pass at most `rate` bytes per second (a token bucket of 4 KiB)."""

    def __init__(self, target, rate):
        self.target, self.rate = target, rate
        self.lock = threading.Lock()
        self.allowance, self.stamp = 4096.0, time.time()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def take(self, count):
        while True:
            with self.lock:
                now = time.time()
                self.allowance = min(4096.0, self.allowance + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.allowance >= count:
                    self.allowance -= count
                    return
                need = (count - self.allowance) / self.rate
            time.sleep(need)

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while True:
                data = source.recv(1024)
                if not data:
                    break
                self.take(len(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def backfill(binary, bench, scratch, resolution, hours, rate=32 * 1024):
    """A day of backlog through a 32 KiB/s link: (drain seconds or None, live lags (s), bytes sent)."""
    directory = os.path.join(scratch, "backfill-" + resolution)
    os.makedirs(directory)
    store = os.path.join(directory, "store.db")
    subprocess.run([bench, "fill", store, str(hours), "1000"], check=True, capture_output=True)
    hub_port = free_port()
    hub = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{hub_port}", "--data", os.path.join(directory, "hub"), "--log-level", "warning"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    link, agent = None, None
    try:
        wait_ready(f"http://127.0.0.1:{hub_port}/healthz")
        link = SlowLink(hub_port, rate)
        config = os.path.join(directory, "edgewatch.yaml")
        with open(config, "w") as f:
            f.write(f"node:\n  name: backfill-node\nstore:\n  path: {store}\nuplink:\n  url: http://127.0.0.1:{link.port}\n"
                    f"  token_file: {directory}/hub/join-token\n  resolution: {resolution}\n  clock_sync_wait: 0s\n")
        metrics_port = free_port()
        agent = subprocess.Popen([binary, "agent", "--config", config, "--listen", f"127.0.0.1:{metrics_port}", "--log-level", "warning"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started, lags, drained, last = time.time(), [], None, None
        state = store + "-uplink.db"
        database = os.path.join(directory, "hub", "hub.db")
        deadline = started + 2.5 * 3600
        polls = 0
        while time.time() < deadline:
            time.sleep(0.5)
            polls += 1
            try:
                with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
                    # The live edge: the newest sample the agent took after it started, at its arrival.
                    row = db.execute("SELECT max(last_sample_ts) FROM nodes WHERE name = 'backfill-node'").fetchone()
                if polls % 10:
                    owed = -1
                else:
                    with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
                        owed = db.execute("SELECT coalesce(sum(backlog_slots), -1) FROM cursor WHERE stream LIKE 'metrics/%'").fetchone()[0]
            except sqlite3.Error:
                continue
            if row and row[0] and row[0] / 1000 > started and row[0] != last:
                if last is not None:
                    lags.append(time.time() - (row[0] / 1000 + (60 if resolution == "1m" else 0)))
                last = row[0]
            if owed == 0 and time.time() - started > 30:
                drained = time.time() - started
                break
        sent = 0
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as response:
                for line in response.read().decode().splitlines():
                    if line.startswith("edgewatch_uplink_bytes_total"):
                        sent = int(float(line.split()[-1]))
        except Exception:
            pass
        return drained, lags, sent
    finally:
        if agent:
            agent.terminate()
            agent.wait()
        if link:
            link.close()
        hub.terminate()
        hub.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="edgewatch binary (default: .build/release/edgewatch, built if missing)")
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--lag-minutes", type=float, default=4)
    parser.add_argument("--backfill-hours", type=int, default=24)
    parser.add_argument("--backfill-resolutions", default="1m,raw")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-uplink-bench"], cwd=root, check=True, capture_output=True)
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    if not os.path.exists(binary):
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch"], cwd=root, check=True, capture_output=True)
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
        bench = os.path.join(root, ".build", "release", "edgewatch-uplink-bench")
        for resolution in [r for r in args.backfill_resolutions.split(",") if r and args.backfill_hours > 0]:
            target = 90 if resolution == "1m" else 25
            drained, lags, sent = backfill(binary, bench, scratch, resolution, args.backfill_hours)
            drain = f"drained in {drained / 60:.1f} min" if drained else "NOT drained within 2.5 h"
            lag = f"live lag median {statistics.median(lags):.1f} s, max {max(lags):.1f} s" if lags else "no live data at the hub"
            print(f"backfill {resolution:<18} {args.backfill_hours} h x 1000 series at 10 s through 32 KiB/s: {drain} (target <= 120 min), "
                  f"{lag} while draining (target <= {target} s), {sent / 1e6:.1f} MB sent")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

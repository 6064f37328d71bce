#!/usr/bin/env python3
"""Hub load benchmark: simulated nodes sending raw samples to the hub, against Debian's
`prometheus --web.enable-remote-write-receiver` fed the same samples in the same run.

The bodies come from edgewatch-uplink-bench: per node, one-minute raw windows of SERIES
node_exporter/cAdvisor-shaped series at 10 s (format 4 batches naming their series table by hash),
and the same samples as remote_write 1.0 requests of 500 samples. The newest sample is about now,
so the hub's compaction and Prometheus' head accept them as live data.

Ingest: WORKERS sender threads, each owning a share of the nodes and sending each node's
windows in time order, round-robin over its nodes (as a fleet's agents interleave); samples/s and
per-request latency p50/p99, for the hub on SQLite, on PostgreSQL with one replica, and with two
replicas (requests alternate between them), and for Prometheus; each server's resident memory
right after its ingest (the hub's replicas summed; PostgreSQL's own processes not counted).

With Prometheus holding the same samples: fleet query latency (median of REPEAT) of a query_range
of one metric over every node at 60 s steps, and of a fleet panel (sum of a rate over every node),
right after each backend's ingest (as received) and after a restart of the hub has compacted every
period, on SQLite and on PostgreSQL (one replica; compacted once autovacuum has caught up, as it
does in a running hub); and the hub's disk bytes per sample.

Usage: scripts/hub_bench.py [--binary PATH] [--nodes 200] [--series 500] [--minutes 20]
                            [--workers 32] [--repeat 5] [--backends sqlite,postgres,postgres2] [--lockstep]
"""
import argparse, glob, http.client, json, os, shutil, sqlite3, statistics, subprocess, tempfile, threading, time, urllib.parse, urllib.request

from loopback import free_port
from uplink_bench import wait_ready


def post(connection, port, path, body, headers):
    """POSTs `body` over `connection`, again after a moment while the server is busy (429/503: the
    hub's ingest limit, its Retry-After), as an agent does; a failed request is sent once more on a
    new connection (the server may have closed an idle one: a paced sender's are a minute apart).
    Returns the status (an error's text when that failed too) and the connection to use next."""
    retried = False
    while True:
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if not retried:
                retried = True
                continue
            status = str(error)
        if status not in (429, 503):
            return status, connection
        time.sleep(float(response.getheader("Retry-After") or 0) or 0.02)


def feed(ports, path, files_by_node, headers_for, workers, lockstep=False):
    """Sends every node's bodies in order over `workers` threads; returns (seconds, latencies, failures).
    With `lockstep`, every node's n-th body is sent before any node's next (the senders wait for
    each other after each round), as a fleet's agents send their minutes: over hours, free senders
    drift apart by more than Prometheus' head accepts."""
    latencies, failures, lock = [], [], threading.Lock()
    nodes = sorted(files_by_node)
    shares = [nodes[w::workers] for w in range(workers)]
    rounds = max((len(files) for files in files_by_node.values()), default=0)
    barrier = threading.Barrier(max(1, len([share for share in shares if share])))

    def run(share):
        connections = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=120) for port in ports}
        queues = {node: list(files_by_node[node]) for node in share}
        turn, mine = 0, []
        for _ in range(rounds) if lockstep else iter(lambda: any(queues.values()), False):
            if lockstep:
                barrier.wait(timeout=600)
            for node in share:
                if not queues[node]:
                    continue
                name = queues[node].pop(0)
                with open(name, "rb") as f:
                    body = f.read()
                port = ports[turn % len(ports)]
                turn += 1
                started = time.perf_counter()
                status, connections[port] = post(connections[port], port, path, body, headers_for(node))
                mine.append(time.perf_counter() - started)
                if status != 200 and status != 204:
                    with lock:
                        failures.append((name, status))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(share,)) for share in shares if share]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.time() - started, latencies, failures


def bodies_by_node(directory, nodes):
    """The uplink (`ew-<node>-<n>.bin`) and remote_write (`rw-…`) bodies per node, each in order;
    the directory is listed once (a glob per node reads it thousands of times)."""
    ew, rw = {n: [] for n in range(nodes)}, {n: [] for n in range(nodes)}
    for name in sorted(os.listdir(directory)):
        kind, _, rest = name.partition("-")
        node = rest.split("-", 1)[0]
        if kind in ("ew", "rw") and name.endswith(".bin") and node.isdigit() and int(node) < nodes:
            (ew if kind == "ew" else rw)[int(node)].append(os.path.join(directory, name))
    return ew, rw


# The fleet queries timed against Prometheus: one metric over every node, and a Grafana panel.
QUERIES = [("one metric, every node", "node_memory_MemAvailable_bytes"),
           ("fleet panel", 'sum(rate(node_cpu_seconds_total{mode="idle"}[5m]))')]
# Listings over the window, as dashboard variables and Grafana's label browser ask: what is
# printed, the hub's path, and Prometheus' with the same values (the remote_write bodies name a
# node by `instance`; label names differ by the hub's `node` and Prometheus' `instance`, `job`).
LISTED = [("values of node", "/api/v1/label/node/values", "/api/v1/label/instance/values"),
          ("values of __name__", "/api/v1/label/__name__/values", "/api/v1/label/__name__/values"),
          ("values of device", "/api/v1/label/device/values", "/api/v1/label/device/values"),
          ("label names", "/api/v1/labels", "/api/v1/labels")]


# Batch blocks not yet folded into metric blocks: a query reaching the open period reads them too
# (whether the bench's window ends in one depends on the minute it starts).
OPEN_BATCHES = "SELECT count(*) FROM blocks WHERE name = ''"

# The hub's compaction steps per upkeep pass (HubMaintenanceService.stepsPerPass).
STEPS_PER_PASS = 256


def rss_mb(pid):
    """A process' resident set in MiB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def idle_rss(process, label):
    """Prints a hub's resident memory right after the queries, and once it has idled past its
    heap trim (a minute: what the queries' threads freed is given back)."""
    busy = rss_mb(process.pid)
    time.sleep(65)
    print(f"hub RSS ({label}) {busy:.0f} MiB after the queries, {rss_mb(process.pid):.0f} MiB after 65 s idle")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


class Postgres:
    """Debian's PostgreSQL in a temporary directory on a free loopback port (runs as postgres under root)."""

    def __init__(self, scratch):
        versions = sorted(int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit())
        self.bin = f"/usr/lib/postgresql/{versions[-1]}/bin"
        self.dir = os.path.join(scratch, "pg")
        os.makedirs(self.dir)
        for path in (scratch, os.path.dirname(scratch)):
            os.chmod(path, 0o755)
        self.port = free_port()
        self.sudo = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(self.sudo + [f"{self.bin}/initdb", "-D", self.dir + "/data", "-U", "edgewatch", "--auth=trust", "-E", "UTF8",
                                    "--locale=C", "--no-sync"], check=True, capture_output=True)
        subprocess.run(self.sudo + [f"{self.bin}/pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "start", "-o",
                                    f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"],
                       check=True, capture_output=True)
        self.url = f"postgres://edgewatch@127.0.0.1:{self.port}/postgres"

    def sql(self, statement):
        out = subprocess.run(self.sudo + [f"{self.bin}/psql", "-h", self.dir, "-p", str(self.port), "-U", "edgewatch", "-d", "postgres",
                                          "-Atc", statement], capture_output=True, text=True)
        return out.stdout.strip()

    def settle(self, limit=180):
        """Waits until autovacuum has caught up with upkeep's rewrites (at most `limit` s), as it
        keeps up in a running hub: no worker busy, fewer dead rows in `blocks` than the thousand that
        start one (migration 9), and its statistics analyzed since (stale ones, from before
        compaction, took every row for a batch block and scanned the table); returns the seconds
        waited."""
        started = time.time()
        while time.time() - started < limit:
            busy = self.sql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            stale = self.sql("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'blocks' AND "
                             "(n_dead_tup >= 1000 OR n_mod_since_analyze > 50 + 0.02 * n_live_tup)")
            if busy == "0" and stale == "0":
                break
            time.sleep(2)
        return time.time() - started

    def size(self):
        return int(self.sql("SELECT pg_database_size('postgres')") or 0)

    def token(self):
        """The join token the first hub stored for every replica."""
        return self.sql("SELECT value FROM settings WHERE key = 'join_token'")

    def stop(self):
        subprocess.run(self.sudo + [f"{self.bin}/pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "stop"], capture_output=True)


def start_hub(binary, data, extra=()):
    port = free_port()
    process = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{port}", "--data", data, "--log-level", "warning", *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz")
    except SystemExit:
        process.kill()
        process.wait()
        raise
    return process, port


def stop(process):
    process.terminate()
    process.wait()


def get(port, path, token=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + token} if token else {})
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.read()


def timed_gets(ports, path, repeat, token=None):
    """Median seconds of `repeat` GETs of `path` from each port, taking turns (one call each per
    round, so that a noisy machine's drift falls on all alike), and each port's last answer."""
    times, bodies = [[] for _ in ports], [b"" for _ in ports]
    for _ in range(repeat):
        for index, port in enumerate(ports):
            started = time.perf_counter()
            bodies[index] = get(port, path, token)
            times[index].append(time.perf_counter() - started)
    return [(statistics.median(spent), body) for spent, body in zip(times, bodies)]


def timed_get(port, path, repeat, token=None):
    """Median seconds of `repeat` GETs of `path`, and the last answer."""
    return timed_gets([port], path, repeat, token)[0]


def query_path(query, start, end):
    return "/api/v1/query_range?" + urllib.parse.urlencode({"query": query, "start": start, "end": end, "step": 60})


def timed_query(port, query, start, end, repeat, token=None):
    """Median seconds of `repeat` query_range calls at 60 s steps, and the number of series answered."""
    seconds, body = timed_get(port, query_path(query, start, end), repeat, token)
    return seconds, body.count(b'"metric"')


def metric(port, name):
    for line in get(port, "/metrics").decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.split()[-1])
    return 0.0


def wait_compacted(port):
    """Waits until a hub's upkeep has compacted everything due: until a pass ends having taken
    fewer compaction steps than its budget (a pass that used the whole budget is followed by the
    next at once, and the counters move only as a pass ends). Returns the steps."""
    deadline, passes, steps = time.time() + 900, 0.0, 0.0
    while time.time() < deadline:
        time.sleep(1)
        now_passes = metric(port, "edgewatch_hub_maintenance_passes_total")
        now_steps = metric(port, "edgewatch_hub_compaction_steps_total")
        if now_passes > passes:
            if now_steps - steps < STEPS_PER_PASS * (now_passes - passes):
                return now_steps
            passes, steps = now_passes, now_steps
    return steps


def time_queries(hub_port, rw_port, span, repeat, token, layout, against=None):
    """Each fleet query and listing on the hub and on Prometheus; with `against` (the port of a
    hub of another build on the same database), on both hubs taking turns, and their ratio."""
    ports = [hub_port] + ([against] if against else [])
    for label, query in QUERIES:
        timed = timed_gets(ports, query_path(query, *span), repeat, token)
        ours, count = timed[0][0], timed[0][1].count(b'"metric"')
        theirs, their_count = timed_query(rw_port, query, *span, repeat)
        print(f"query {label:<22} hub {ours * 1000:8.1f} ms ({count} series), Prometheus {theirs * 1000:8.1f} ms "
              f"({their_count} series): {ours / theirs:.2f}x ({layout})")
        if against:
            print(f"  against {timed[1][0] * 1000:8.1f} ms: this build {ours / timed[1][0]:.2f}x")
    # The floor under every listing: a request that does no work (the hub's /healthz, Prometheus'
    # /-/healthy), each over a new connection as the listings are timed.
    timed = timed_gets(ports, "/healthz", repeat)
    theirs, _ = timed_get(rw_port, "/-/healthy", repeat)
    print(f"{'idle request':<28} hub {timed[0][0] * 1000:8.1f} ms, Prometheus {theirs * 1000:8.1f} ms: {timed[0][0] / theirs:.2f}x ({layout})")
    if against:
        print(f"  against {timed[1][0] * 1000:8.1f} ms: this build {timed[0][0] / timed[1][0]:.2f}x")
    # Grafana's dashboard variables: a label's values over the window, and over one a minute
    # inside each of its edges (a dashboard's window starts and ends anywhere in the hub's hour).
    for inner in [False, True]:
        window = urllib.parse.urlencode({"start": span[0] + 60 * inner, "end": span[1] - 60 * inner})
        for label, path, their_path in LISTED:
            label += " (inner window)" if inner else ""
            timed = timed_gets(ports, f"{path}?{window}", repeat, token)
            ours, body = timed[0]
            theirs, their_body = timed_get(rw_port, f"{their_path}?{window}", repeat)
            count, their_count = len(json.loads(body)["data"]), len(json.loads(their_body)["data"])
            print(f"{label:<28} hub {ours * 1000:8.1f} ms ({count} values), Prometheus {theirs * 1000:8.1f} ms "
                  f"({their_count} values): {ours / theirs:.2f}x ({layout})")
            if against:
                print(f"  against {timed[1][0] * 1000:8.1f} ms: this build {ours / timed[1][0]:.2f}x")


def sqlite_queries(binary, data, hub, token, rw_port, span, repeat, samples, started):
    """The fleet queries on SQLite as received (right after ingest, before any upkeep pass), then
    after a restart has compacted every period; the disk bytes per sample of each layout."""
    process, port = hub
    database = os.path.join(data, "hub.db")
    time_queries(port, rw_port, span, repeat, token, "batch blocks")
    size = sum(os.path.getsize(p) for p in glob.glob(database + "*"))
    print(f"hub disk (SQLite)           {size / samples:.2f} bytes/sample as received (batch blocks, WAL included)")
    # A restart runs the upkeep at once: compaction of every period.
    stop(process)
    process, port = start_hub(binary, data)
    started.append(process)
    steps = wait_compacted(port)
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    left = db.execute(OPEN_BATCHES).fetchone()[0]
    db.close()
    print(f"compaction                  {steps:.0f} steps (a node's period each), {left} batch blocks left (the open period's)")
    time_queries(port, rw_port, span, repeat, token, "compacted")
    idle_rss(process, "SQLite")
    stop(process)
    # VACUUM in WAL mode writes the new copy through the log: checkpoint it back and close
    # (a `with` block commits but leaves the connection, and its log, open).
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = sum(os.path.getsize(p) for p in glob.glob(database + "*"))
    print(f"hub disk (SQLite)           {size / samples:.2f} bytes/sample compacted and vacuumed")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="edgewatch binary (default: .build/release/edgewatch, built if missing)")
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--minutes", type=int, default=20)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgres,postgres2")
    parser.add_argument("--against", help="on PostgreSQL, time the queries on a hub of this binary too, on the same database")
    parser.add_argument("--lockstep", action="store_true", help="every node's minute before anyone's next (for runs of hours)")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bench = os.path.join(root, ".build", "release", "edgewatch-uplink-bench")
    if not os.path.exists(bench):
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-uplink-bench"], cwd=root, check=True, capture_output=True)
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    if not os.path.exists(binary):
        subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch"], cwd=root, check=True, capture_output=True)
    scratch = tempfile.mkdtemp(prefix="edgewatch-hub-bench-")
    # Every server started, stopped whatever happens (an exception must not leave them running).
    started, databases = [], []
    bodies = os.path.join(scratch, "bodies")
    first = (int(time.time() * 1000) - args.minutes * 60_000) // 60_000 * 60_000
    span = (first / 1000, first / 1000 + args.minutes * 60)
    samples = args.series * args.minutes * 6 * args.nodes
    try:
        subprocess.run([bench, str(args.series), str(args.minutes), str(args.nodes), bodies, str(first)], check=True, capture_output=True)
        ew_files, rw_files = bodies_by_node(bodies, args.nodes)
        print(f"load                        {args.nodes} nodes x {args.series} series at 10 s for {args.minutes} min = {samples:,} samples, "
              f"{args.workers} sender threads")

        rw_port = free_port()
        with open(os.path.join(scratch, "prometheus.yml"), "w") as f:
            f.write("global:\n  scrape_interval: 1h\n")
        prometheus = subprocess.Popen(["prometheus", f"--config.file={scratch}/prometheus.yml", f"--storage.tsdb.path={scratch}/tsdb",
                                       f"--web.listen-address=127.0.0.1:{rw_port}", "--web.enable-remote-write-receiver"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(prometheus)
        wait_ready(f"http://127.0.0.1:{rw_port}/-/ready")
        rw_seconds, rw_latencies, rw_failures = feed([rw_port], "/api/v1/write", rw_files, lambda n: {
            "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf", "X-Prometheus-Remote-Write-Version": "0.1.0"},
            args.workers, args.lockstep)
        rw_rate = samples / rw_seconds
        print(f"prometheus remote_write rx  {rw_rate:12,.0f} samples/s, request p50 {percentile(rw_latencies, .5) * 1000:.1f} ms, "
              f"p99 {percentile(rw_latencies, .99) * 1000:.1f} ms ({len(rw_failures)} failed), RSS {rss_mb(prometheus.pid):.0f} MiB")

        for backend in [b for b in args.backends.split(",") if b]:
            data = os.path.join(scratch, "hub-" + backend)
            postgres = Postgres(scratch + "/" + backend) if backend.startswith("postgres") else None
            if postgres:
                databases.append(postgres)
            # As many ingests at once as there are senders: Prometheus' receiver has no such limit,
            # and a refused request's Retry-After would be timed as latency.
            config = os.path.join(scratch, "hub.yaml")
            with open(config, "w") as f:
                f.write(f"limits:\n  max_concurrent_ingests: {args.workers}\n")
            extra = ["--config", config] + (["--postgres", postgres.url] if postgres else [])
            hubs = [start_hub(binary, data, extra)]
            if backend == "postgres2":
                hubs.append(start_hub(binary, data + "-2", extra))
            started.extend(process for process, _ in hubs)
            token = postgres.token() if postgres else open(os.path.join(data, "join-token")).read().strip()
            try:
                headers = lambda n, token=token: {"Authorization": "Bearer " + (token or ""), "X-Edgewatch-Node": f"node-{n}",
                                                  "X-Edgewatch-Node-Secret": "s" * 32 + str(n), "Content-Type": "application/x-edgewatch-batch"}
                seconds, latencies, failures = feed([port for _, port in hubs], "/api/v1/ingest", ew_files, headers, args.workers, args.lockstep)
                rate = samples / seconds
                print(f"hub ingest {backend:<16} {rate:12,.0f} samples/s, request p50 {percentile(latencies, .5) * 1000:.1f} ms, "
                      f"p99 {percentile(latencies, .99) * 1000:.1f} ms ({len(failures)} failed), {rate / rw_rate:.2f}x Prometheus, "
                      f"RSS {sum(rss_mb(process.pid) for process, _ in hubs):.0f} MiB")
                if failures:
                    print("  failures:", failures[:3])
                if backend == "sqlite":
                    sqlite_queries(binary, data, hubs[0], token, rw_port, span, args.repeat, samples, started)
                if backend == "postgres":
                    before = metric(hubs[0][1], "edgewatch_hub_compaction_steps_total")
                    time_queries(hubs[0][1], rw_port, span, args.repeat, token, "PostgreSQL, batch blocks")
                    # Upkeep runs a pass a minute: one that folds open periods meanwhile is timed too.
                    print(f"  upkeep while timed          {metric(hubs[0][1], 'edgewatch_hub_compaction_steps_total') - before:.0f} "
                          f"compaction steps, {postgres.sql(OPEN_BATCHES)} batch blocks left")
                    # As on SQLite: a restarted hub compacts every period at once.
                    stop(hubs[0][0])
                    hubs[0] = start_hub(binary, data, extra)
                    started.append(hubs[0][0])
                    steps = wait_compacted(hubs[0][1])
                    print(f"compaction                  {steps:.0f} steps (PostgreSQL), {postgres.sql(OPEN_BATCHES)} batch blocks left "
                          "(the open period's)")
                    print(f"autovacuum                  settled after {postgres.settle():.0f} s")
                    # A hub of the other build on the same database, once upkeep has nothing left to do.
                    against = None
                    try:
                        against = start_hub(args.against, data + "-against", extra) if args.against else None
                    except SystemExit as error:
                        # A build older than the database's schema refuses it, as a replica must.
                        print(f"against                     {args.against} did not start ({error}): a build older than "
                              "the database's schema refuses it; this build timed alone")
                    if against:
                        hubs.append(against)
                    time_queries(hubs[0][1], rw_port, span, args.repeat, token, "PostgreSQL, compacted", against and against[1])
                    idle_rss(hubs[0][0], "PostgreSQL")
            finally:
                for process, _ in hubs:
                    if process.poll() is None:
                        stop(process)
                if postgres:
                    print(f"  PostgreSQL database        {postgres.size() / samples:.2f} bytes/sample")
                    postgres.stop()

        prometheus.terminate()
        prometheus.wait()
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
        for postgres in databases:
            postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A fleet in real time: the hub's CPU, memory and upkeep while NODES agents each send their
minute as it ends, for MINUTES minutes (hub_bench.py sends as fast as it can; this one paces).

Each node's one-minute raw window (SERIES series at 10 s, format 4 bodies from
edgewatch-uplink-bench) goes up once its minute is over, the nodes spread evenly over the minute
as a fleet's agents are. The hub runs its upkeep as in production: the open period folded every
few batches, each period compacted once settled. Every 10 s the hub's CPU time and RSS (and, on
PostgreSQL, its server processes' CPU) are read; after the first WARMUP minutes the figures are
averaged: CPU in cores and in µs per sample received, and each minute's cores (a run crossing an
hour shows that hour's merge), RSS, ingest latency p50/p99, compaction steps, and at the end the
batch blocks not yet compacted (upkeep keeping up leaves each node the open period's last few).

Usage: scripts/hub_steady.py [--nodes 2000] [--series 500] [--minutes 14] [--warmup 2]
                             [--backend sqlite|postgres] [--binary PATH] [--workers 8]
"""
import argparse, http.client, os, shutil, sqlite3, subprocess, tempfile, threading, time

from hub_bench import Postgres, bodies_by_node, metric, percentile, post, rss_mb, start_hub, stop

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User and system CPU of `pids` (those still running), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / TICK


def postgres_pids(postgres):
    """The server processes of this run's cluster: its postmaster (the first line of
    postmaster.pid) and the postmaster's children (another cluster on the machine is not counted)."""
    try:
        with open(os.path.join(postgres.dir, "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return []
    out = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout
    return [postmaster] + [int(pid) for pid in out.split()]


def paced_feed(port, files_by_node, headers_for, first, workers, stop_at, latencies, failures):
    """Sends node n's minute k at `first` + (k+1) min + n/nodes of a minute (its minute over)."""
    nodes = sorted(files_by_node)
    lock = threading.Lock()

    def run(share):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        schedule = sorted((first + (k + 1) * 60 + 54 * n / len(nodes), n, k)
                          for n in share for k in range(len(files_by_node[n])))
        for due, node, k in schedule:
            if due > stop_at:
                break
            time.sleep(max(0.0, due - time.time()))
            with open(files_by_node[node][k], "rb") as f:
                body = f.read()
            started = time.perf_counter()
            status, connection = post(connection, port, "/api/v1/ingest", body, headers_for(node))
            spent = time.perf_counter() - started
            with lock:
                latencies.append((time.time(), spent))
                if status not in (200, 204):
                    failures.append((node, k, status))

    threads = [threading.Thread(target=run, args=(nodes[w::workers],), daemon=True) for w in range(workers)]
    for thread in threads:
        thread.start()
    return threads


def batch_blocks(backend, data, postgres):
    """Batch blocks (not yet compacted) and nodes holding any."""
    sql = "SELECT count(*), count(DISTINCT node) FROM blocks WHERE name = ''"
    if postgres:
        return tuple(int(v) for v in postgres.sql(sql).split("|"))
    db = sqlite3.connect(f"file:{data}/hub.db?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchone()
    finally:
        db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--series", type=int, default=500)
    parser.add_argument("--minutes", type=int, default=14)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bench = os.path.join(root, ".build", "release", "edgewatch-uplink-bench")
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    for path, product in [(bench, "edgewatch-uplink-bench"), (binary, "edgewatch")]:
        if not os.path.exists(path):
            subprocess.run(["make", "--no-print-directory", "release", f"PRODUCT={product}"], cwd=root, check=True, capture_output=True)
    scratch = tempfile.mkdtemp(prefix="edgewatch-hub-steady-")
    postgres, hub = None, None
    try:
        # The bodies start at the next minute boundary after they are made (about 1 ms a node-minute).
        lead = 60 + args.nodes * args.minutes * 0.002
        first = int((time.time() + lead) // 60 * 60)
        made = time.time()
        subprocess.run([bench, str(args.series), str(args.minutes), str(args.nodes), scratch + "/bodies", str(first * 1000), "edgewatch"],
                       check=True, capture_output=True)
        files, _ = bodies_by_node(scratch + "/bodies", args.nodes)
        print(f"fleet            {args.nodes} nodes x {args.series} series at 10 s, a minute's batch each as it ends, "
              f"{args.minutes} min; bodies made in {time.time() - made:.0f} s, {max(0, time.time() - first - 60):.0f} s late")
        data = os.path.join(scratch, "hub")
        extra = []
        if args.backend == "postgres":
            postgres = Postgres(scratch + "/postgres")
            extra = ["--postgres", postgres.url]
        hub, port = start_hub(binary, data, extra)
        token = postgres.token() if postgres else open(os.path.join(data, "join-token")).read().strip()
        headers = lambda n: {"Authorization": "Bearer " + token, "X-Edgewatch-Node": f"node-{n}",
                             "X-Edgewatch-Node-Secret": "s" * 32 + str(n), "Content-Type": "application/x-edgewatch-batch"}
        latencies, failures = [], []
        stop_at = first + (args.minutes + 1) * 60
        threads = paced_feed(port, files, headers, first, args.workers, stop_at, latencies, failures)
        measure_from = first + (args.warmup + 1) * 60
        readings = []
        while time.time() < stop_at + 5:
            time.sleep(10)
            readings.append((time.time(), cpu_seconds([hub.pid]), cpu_seconds(postgres_pids(postgres)) if postgres else 0.0, rss_mb(hub.pid),
                             metric(port, "edgewatch_hub_compaction_steps_total")))
        for thread in threads:
            thread.join(timeout=60)
        window = [r for r in readings if r[0] >= measure_from]
        seconds = window[-1][0] - window[0][0]
        received = args.nodes * args.series * 6 * seconds / 60
        hub_cores = (window[-1][1] - window[0][1]) / seconds
        # Each minute's cores (six readings apart), by the minute's end (UTC).
        minutes = [(b[0], (b[1] - a[1]) / (b[0] - a[0])) for a, b in zip(window[::6], window[6::6])]
        per_minute = [cores for _, cores in minutes]
        print(f"hub CPU          {hub_cores:.3f} cores over {seconds / 60:.1f} min after {args.warmup} min "
              f"({hub_cores * 1e6 / (received / seconds):.2f} µs a sample received; minutes {min(per_minute, default=0):.3f}"
              f"-{max(per_minute, default=0):.3f} cores)")
        # An hour's merge shows a few minutes after the hour.
        print("minutes          " + ", ".join(f"{time.strftime('%H:%M', time.gmtime(end))} {cores:.2f}" for end, cores in minutes))
        if postgres:
            pg_cores = (window[-1][2] - window[0][2]) / seconds
            print(f"PostgreSQL CPU   {pg_cores:.3f} cores ({pg_cores * 1e6 / (received / seconds):.2f} µs a sample)")
        print(f"hub RSS          {window[0][3]:.0f} MiB at {args.warmup} min, {window[-1][3]:.0f} MiB at the end")
        measured = [spent for at, spent in latencies if at >= measure_from]
        print(f"ingest           {len(latencies)} requests, p50 {percentile(measured, .5) * 1000:.1f} ms, "
              f"p99 {percentile(measured, .99) * 1000:.1f} ms, {len(failures)} failed {failures[:3]}")
        print(f"compaction       {window[-1][4] - window[0][4]:.0f} steps in the window ({readings[-1][4]:.0f} in all)")
        blocks, nodes = batch_blocks(args.backend, data, postgres)
        print(f"batch blocks     {blocks} not yet compacted at the end, on {nodes} nodes ({blocks / max(nodes, 1):.1f} a node)")
    finally:
        if hub and hub.poll() is None:
            stop(hub)
        if postgres:
            postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

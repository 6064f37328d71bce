import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire

#if canImport(Glibc)
import Glibc
#endif

/// Fleet queries over the hub's SQLite storage (PostgreSQL's with `EDGEWATCH_BENCH_POSTGRES` set to
/// a conninfo), in process (no HTTP): NODES nodes (in 50
/// clusters) of SERIES series each, raw at 10 s for HOURS hours in one-minute batches (an agent's
/// default raw window; WINDOW minutes when given), a database
/// in DIRECTORY (tmpfs by default, so filling it is not bound by fsync). Times a query_range of one
/// metric over every node at 60 s steps and a `sum by (cluster) (rate(…{mode="idle"}[5m]))` panel, with the
/// batches as received and after compaction, and the series listing Grafana's metric browser asks for
/// (from the presence rows, then from the blocks alone). PODS: per node, that many more series
/// each hour, each living that hour only (pod churn). TIER `1m`: 1 m summaries (min, max, sum,
/// count, last) in ten-minute batches, as an agent's uplink sends by default, instead of raw.
/// Usage: edgewatch-hub-query-bench [NODES=1000] [HOURS=24] [SERIES=20] [DIRECTORY=/dev/shm] [WINDOW=1] [PODS=0] [TIER=raw]
let arguments = CommandLine.arguments
let nodes = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let hours = arguments.count > 2 ? Int(arguments[2]) ?? 24 : 24
let seriesPerNode = max(arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20, 6)
let directory = arguments.count > 4 ? arguments[4] : "/dev/shm"
let windowMinutes = max(arguments.count > 5 ? Int(arguments[5]) ?? 1 : 1, 1)
let podsPerHour = arguments.count > 6 ? Int(arguments[6]) ?? 0 : 0
let tier: Tier = arguments.count > 7 && arguments[7] == "1m" ? .minute : .raw
/// How often each short-window listing runs (`EDGEWATCH_LISTING_ROUNDS`, for profiling).
let listingRounds = max(getenv("EDGEWATCH_LISTING_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 5, 0)
/// How often each fleet query runs (`EDGEWATCH_QUERY_ROUNDS`, for profiling).
let queryRounds = max(getenv("EDGEWATCH_QUERY_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 3, 1)
let batchWidth = tier == .raw ? Int64(windowMinutes) * 60_000 : 600_000
let interval: Int64 = tier == .raw ? 10_000 : 60_000
let stream = tier == .raw ? "metrics/raw/\(windowMinutes * 60)s" : "metrics/1m/600s"

/// A sample's columns: the value itself for raw, or a summary of one.
func columns(_ value: Double) -> [Double] { tier == .raw ? [value] : [value, value, value, 1, value] }

/// `text` padded with spaces to `width`.
func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// One load gauge, CPU counters (four CPUs, in the modes up to `seriesPerNode`, as node_exporter
/// names them), then memory-like gauges up to `seriesPerNode`.
var keys = [SeriesKey(name: "node_load1", labels: Labels(), type: .gauge)]
for mode in ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"] where keys.count + 4 <= max(seriesPerNode, 5) {
    for cpu in 0..<4 { keys.append(SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "\(cpu)", "mode": mode], type: .counter)) }
}
while keys.count < seriesPerNode { keys.append(SeriesKey(name: "node_memory_field\(keys.count)_bytes", labels: Labels(), type: .gauge)) }

/// `EDGEWATCH_BENCH_END` (milliseconds): the end of an earlier run's load (with `EDGEWATCH_BENCH_FILLED`).
let end: Int64 = getenv("EDGEWATCH_BENCH_END").flatMap { Int64(String(cString: $0)) } ?? (Int64(time(nil)) * 1000 - 3_600_000) / 600_000 * 600_000
/// `EDGEWATCH_BENCH_MINUTES`: a load of that many minutes instead of HOURS (the batches as a hub
/// holds them before its upkeep folds them, as `scripts/hub_bench.py` sends them).
let minutes = getenv("EDGEWATCH_BENCH_MINUTES").flatMap { Int64(String(cString: $0)) }
let span: Int64 = minutes.map { $0 * 60_000 } ?? Int64(hours) * 3_600_000
let start: Int64 = end - span
let path = "\(directory)/edgewatch-hub-query-bench-\(getpid()).db"
/// Removes the SQLite database and its journal files: at the end, and before an `exit`, which
/// runs no `defer` (the database of a run stopped as received, hundreds of megabytes in tmpfs,
/// had been left behind).
/// `EDGEWATCH_BENCH_KEEP`: the database is left in place (its path printed), to serve a hub.
func removeDatabase() {
    guard getenv("EDGEWATCH_BENCH_KEEP") == nil else { return print("database kept at \(path)") }
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
}
defer { removeDatabase() }

do {
    let postgres = getenv("EDGEWATCH_BENCH_POSTGRES").map { String(cString: $0) }
    let storage: any HubStorage = try postgres.map { try PostgresHubStorage(conninfo: $0, poolSize: 4) } ?? SQLiteHubStorage(path: path)
    var filled = now()
    // `EDGEWATCH_BENCH_FILLED`: the PostgreSQL database holds a run's load already (within its ten minutes).
    let filledBefore = postgres != nil && getenv("EDGEWATCH_BENCH_FILLED") != nil
    for node in 0..<nodes where !filledBefore {
        let name = "node-\(node)"
        try storage.registerNode(name, secretHash: "", at: 0)
        try storage.report(NodeReport(cluster: "cluster-\(node % 50)"), node: name)
        var first = start
        while first < end {
            defer { first += batchWidth }
            let times: [Int64] = (0..<(batchWidth / interval)).map { first + $0 * interval }
            var points: [(key: SeriesKey, points: [(Int64, [Double])])] = []
            for (index, key) in keys.enumerated() {
                // A load wandering between 0 and 4; counters and gauges rising steadily.
                let values: [(Int64, [Double])] = times.map { at in
                    let value: Double = index == 0 ? Double((at / 10_000 + Int64(node)) % 400) / 100 : Double(at / 1000 * Int64(index))
                    return (at, columns(value))
                }
                points.append((key: key, points: values))
            }
            for pod in 0..<podsPerHour {
                let key = SeriesKey(
                    name: "container_cpu_usage_seconds_total",
                    labels: ["pod": "pod-\((first - start) / 3_600_000)-\(pod)"],
                    type: .counter
                )
                points.append((key: key, points: times.map { ($0, columns(Double($0 / 1000))) }))
            }
            let batch = UplinkBatch(node: name, stream: stream, sequence: first, tier: tier, points: points, columns: tier == .raw ? 1 : 5)
            _ = try storage.ingest(batch, receivedAt: 0)
        }
    }
    let samples = nodes * Int(span / interval) * (keys.count + podsPerHour)
    print(
        "filled                      \(nodes) nodes x \(keys.count) series x \(span / 60_000) min at \(interval / 1000) s (\(tier.name)) = \(samples) samples in \(Int(now() - filled)) s"
    )

    let queries = [("one metric, every node", "node_load1"), ("fleet panel", #"sum by (cluster) (rate(node_cpu_seconds_total{mode="idle"}[5m]))"#)]
    func timeQueries(_ layout: String) throws {
        let began = now()
        let selected = try storage.select([LabelMatcher(name: "__name__", operation: .equal, value: "node_load1")], start: start, end: end)
        print(
            "select one metric           \(Int((now() - began) * 1000)) ms (\(selected.count) series, \(selected.reduce(0) { $0 + $1.points.count }) points; \(layout))"
        )
        // `EDGEWATCH_LISTING_ROUNDS=0`: the queries alone.
        if listingRounds > 0 {
            // Grafana's metric browser: every series' labels over the last 6 hours, listed, then as
            // the listing was made before (every point of the window read).
            let browser = [try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]
            let recent = max(start, end - 6 * 3_600_000)
            var mark = now()
            let listed = try storage.series(matching: [browser], start: recent, end: end).count
            let listing = now() - mark
            // The same from the blocks alone: the presence mark moved past the window (SQLite only).
            var (fromBlocks, blocksAlone) = (-1, 0.0)
            if postgres == nil {
                let database = try SQLiteDatabase(path: path)
                defer { database.close() }
                let since = try database.integer("SELECT mark FROM maintenance_marks WHERE kind = 'presence/since'")
                try database.execute("UPDATE maintenance_marks SET mark = \(Int64.max) WHERE kind = 'presence/since'")
                mark = now()
                fromBlocks = try storage.series(matching: [browser], start: recent, end: end).count
                blocksAlone = now() - mark
                try database.execute("UPDATE maintenance_marks SET mark = \(since) WHERE kind = 'presence/since'")
            }
            mark = now()
            let read = try storage.select(browser, start: recent, end: end).count
            print(
                "series listing, last 6 h    \(Int(listing * 1000)) ms (\(listed) series; from blocks alone \(Int(blocksAlone * 1000)) ms, \(fromBlocks) series;"
                    + " read whole \(Int((now() - mark) * 1000)) ms, \(read) series; \(layout))"
            )
            // Grafana's label browser: label names over the last 6 hours, from the presence summary,
            // the first time (each list's label sets read) and again.
            for attempt in ["first", "again"] {
                mark = now()
                let names = try storage.labelValuesFromSummary(nil, start: recent, end: end)?.count ?? -1
                print("label names, last 6 h       \(Double(Int((now() - mark) * 10_000)) / 10) ms (\(names) names; \(attempt); \(layout))")
            }
            // A dashboard variable over the last minutes (every hour row reaches past the window's
            // start), and over five minutes a minute before (no row has an end inside).
            for (window, shift) in [("last 5 min", Int64(0)), ("5 min before", 60_000)] {
                for label in ["node", "__name__", nil] {
                    var spent: [Double] = []
                    var count = 0
                    for _ in 0..<listingRounds {
                        mark = now()
                        count = try storage.labelValuesFromSummary(label, start: end - shift - 5 * 60_000 + 1, end: end - shift)?.count ?? -1
                        spent.append(now() - mark)
                    }
                    spent.sort()
                    let (best, median) = (spent.first ?? 0, spent.isEmpty ? 0 : spent[spent.count / 2])
                    print(
                        "\(padded(label.map { "values of \($0)" } ?? "label names", 18)) \(window) \(Double(Int(best * 10_000)) / 10) ms"
                            + " (median \(Double(Int(median * 100_000)) / 100) ms; \(count); best of \(listingRounds); \(layout))"
                    )
                }
            }
        }
        for (label, text) in queries {
            let expression = try Parser.parse(text)
            var best = Double.infinity
            var count = 0
            for _ in 0..<queryRounds {
                let began = now()
                count = try Engine().evaluateRange(expression, start: start, end: end, step: 60_000, source: storage).count
                best = min(best, now() - began)
            }
            print(
                "query \(padded(label, 22)) \(Int(best * 1000)) ms (\(count) series, \(span / 60_000) min at 60 s steps; \(layout), best of \(queryRounds))"
            )
        }
    }
    try timeQueries("batch blocks")
    // `EDGEWATCH_BENCH_AS_RECEIVED`: stop there, the batches left as received (to time them again).
    if getenv("EDGEWATCH_BENCH_AS_RECEIVED") != nil {
        removeDatabase()
        exit(0)
    }
    filled = now()
    var report = RetentionReport()
    repeat {
        report = try storage.compact(now: end + 3_600_000, budget: 100_000)
    } while !report.finished
    print("compaction                  \(Int(now() - filled)) s")
    try timeQueries("compacted")
} catch {
    print("hub query benchmark failed: \(error)")
    removeDatabase()
    exit(1)
}

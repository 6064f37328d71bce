import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hub sending onward with remote_write into Debian's Prometheus: the same samples there as in
/// the hub's query API, through an outage of Prometheus, with nothing refused as out of order.
@Suite("Hub remote_write", .serialized)
struct HubRemoteWriteTests {
    /// Raw samples of `selector` over the last hour (`labels → [time: value]`), from the hub or
    /// Prometheus (both with the node's cluster label).
    static func samples(port: UInt16, token: String?, _ selector: String, at time: Int64) throws -> [String: [Int64: Double]] {
        let query = "\(selector)[1h]".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
        let (status, body) = try HTTPGet.fetch(
            port: port,
            path: "/api/v1/query?query=\(query)&time=\(time)",
            accept: "application/json",
            headers: token.map { [("Authorization", "Bearer " + $0)] } ?? []
        )
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let result = (object["data"] as? [String: Any])?["result"] as? [[String: Any]]
        else { throw HarnessError("\(port) answered \(status): \(body.prefix(300))") }
        var series: [String: [Int64: Double]] = [:]
        for entry in result {
            let labels = entry["metric"] as? [String: String] ?? [:]
            let key = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            for pair in entry["values"] as? [[Any]] ?? [] {
                guard let seconds = pair.first as? Double, let text = pair.last as? String, let value = Double(text) else { continue }
                series[key, default: [:]][Int64((seconds * 1000).rounded())] = value
            }
        }
        return series
    }

    /// The strings a listing (label names or values) answers at `path`.
    static func listing(port: UInt16, token: String?, _ path: String) throws -> [String] {
        let (status, body) = try HTTPGet.fetch(
            port: port,
            path: path,
            accept: "application/json",
            headers: token.map { [("Authorization", "Bearer " + $0)] } ?? []
        )
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let data = object["data"] as? [String]
        else { throw HarnessError("\(port) answered \(status) for \(path): \(body.prefix(300))") }
        return data
    }

    /// Debian's Prometheus receiving remote_write in `scratch`, and `scratch/hub.yaml` sending to it
    /// as target `prometheus` with the `queue` settings given.
    static func receiver(in scratch: AgentScratch, queue: String) throws -> PrometheusPeer {
        guard let binary = Harness.which(["prometheus"]) else { throw HarnessError("prometheus is not installed (make test installs it)") }
        try FileManager.default.createDirectory(atPath: scratch.path + "/tsdb", withIntermediateDirectories: true)
        let prometheus = try PrometheusPeer(
            binary: binary,
            storage: scratch.path + "/tsdb",
            directory: scratch.path,
            extra: ["--web.enable-remote-write-receiver"]
        )
        try """
        remote_write:
          - url: http://127.0.0.1:\(prometheus.port)/api/v1/write
            name: prometheus
            queue: \(queue)
            remote_timeout: 5s
        """.write(toFile: scratch.path + "/hub.yaml", atomically: true, encoding: .utf8)
        return prometheus
    }

    /// A value on the hub's /metrics (the first line starting with `prefix`), nil when absent.
    static func hubMetric(_ hub: HubProcess, _ prefix: String) throws -> Double? {
        let (_, text) = try HTTPGet.fetch(port: hub.port, path: "/metrics")
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Waits until the hub's queue for the target is empty and it has sent something.
    static func drained(_ hub: HubProcess, seconds: Double = 60) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try hubMetric(hub, "edgewatch_hub_remote_write_queued_blocks{target=\"prometheus\"}") == 0,
                (try hubMetric(hub, "edgewatch_hub_remote_write_samples_total{target=\"prometheus\"}") ?? 0) > 0
            {
                return true
            }
            usleep(250_000)
        }
        return false
    }

    @Test(
        "an agent's samples reach Prometheus through the hub: equal to the hub's, through a Prometheus outage, none refused",
        .enabled(if: Harness.which(["prometheus"]) != nil || Harness.peersRequired)
    )
    func onwardToPrometheus() throws {
        let scratch = try AgentScratch(node: "rw-1", interval: "500ms", flush: "1s", collectors: ["loadavg", "meminfo"])
        defer { try? FileManager.default.removeItem(atPath: scratch.path) }
        let prometheus = try Self.receiver(in: scratch, queue: "{max_samples_per_send: 40, min_backoff: 100ms, max_backoff: 1s}")
        let hub = try HubProcess(extra: ["--config", scratch.path + "/hub.yaml"])
        try UplinkTests.agentConfig(scratch, token: hub.token, port: hub.port)
        let text = try String(contentsOfFile: scratch.config, encoding: .utf8)
        try text.replacingOccurrences(of: "node:\n  name: rw-1\n", with: "node:\n  name: rw-1\n  cluster: lab\n")
            .write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        defer { agent.signal(SIGKILL) }

        #expect(try Self.drained(hub), "\(hub.log.suffix(2000))")
        // Prometheus goes away for a while: the hub's queue waits and retries.
        prometheus.stop()
        usleep(4_000_000)
        #expect((try Self.hubMetric(hub, "edgewatch_hub_remote_write_queued_blocks{target=\"prometheus\"}") ?? 0) > 0)
        #expect((try Self.hubMetric(hub, "edgewatch_hub_remote_write_failures_total{target=\"prometheus\"}") ?? 0) > 0)
        try prometheus.start()
        usleep(2_000_000)
        agent.signal(SIGTERM)
        _ = agent.wait(timeout: 10)
        #expect(try Self.drained(hub), "\(hub.log.suffix(2000))")

        let now = Int64(Date().timeIntervalSince1970) + 1
        for selector in ["node_load1", "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"] {
            let atHub = try Self.samples(port: hub.port, token: hub.token, selector, at: now)
            let atPrometheus = try Self.samples(port: prometheus.port, token: nil, selector, at: now)
            #expect(!atHub.isEmpty && (atHub.values.first?.count ?? 0) > 10, "\(selector): \(atHub)")
            #expect(atPrometheus == atHub, "\(selector): Prometheus holds other samples than the hub")
        }
        // The metric browser's listings: the same names and label values on both.
        let window = "start=\(now - 3600)&end=\(now)"
        for path in ["/api/v1/label/__name__/values?match%5B%5D=%7Bnode%3D%22rw-1%22%7D&\(window)", "/api/v1/label/node/values?\(window)"] {
            let atHub = try Self.listing(port: hub.port, token: hub.token, path)
            #expect(atHub.contains("node_load1") || atHub == ["rw-1"], "\(path): \(atHub)")
            #expect(try Self.listing(port: prometheus.port, token: nil, path) == atHub, "\(path)")
        }
        let (_, labelled) = try HTTPGet.fetch(port: prometheus.port, path: "/api/v1/series?match%5B%5D=node_load1", accept: "application/json")
        #expect(labelled.contains("\"cluster\":\"lab\"") && labelled.contains("\"node\":\"rw-1\""), "\(labelled)")
        #expect(try Self.hubMetric(hub, "edgewatch_hub_remote_write_refused_blocks{target=\"prometheus\"}") == 0)
        #expect(try Self.hubMetric(hub, "edgewatch_hub_remote_write_responses_total{code=\"400\"") == nil)
        let (_, own) = try HTTPGet.fetch(port: prometheus.port, path: "/metrics")
        let outOfOrder = own.split(separator: "\n").filter { $0.hasPrefix("prometheus_tsdb_out_of_order_samples_total") }
        #expect(!outOfOrder.isEmpty && outOfOrder.allSatisfy { $0.hasSuffix(" 0") }, "\(outOfOrder)")
    }

    /// A minute of node_load1 at 10 s from `start`, as node n1's raw batch.
    static func minute(_ start: Int64) -> UplinkBatch {
        let key = SeriesKey(name: "node_load1", labels: [:], type: .gauge)
        let points = (0..<6).map { (start + Int64($0) * 10_000, [Double($0) / 10]) }
        return UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: start, tier: .raw, points: [(key: key, points: points)], columns: 1)
    }

    /// Prometheus receiving from a hub on SQLite in `scratch` that sent node n1's first minute
    /// (ten minutes ago) and was then killed with -9: Prometheus, the stopped hub, its data
    /// directory and the minute's start.
    static func sentOneMinuteThenKilled(_ scratch: AgentScratch) throws -> (PrometheusPeer, HubProcess, String, Int64) {
        let prometheus = try receiver(in: scratch, queue: "{min_backoff: 100ms, max_backoff: 1s}")
        let data = scratch.path + "/hub"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let first = (Int64(Date().timeIntervalSince1970 * 1000) - 600_000) / 60_000 * 60_000
        do {
            let storage = try SQLiteHubStorage(path: data + "/hub.db")
            try storage.setRemoteWriteTargets(["prometheus"])
            try storage.registerNode("n1", secretHash: "", at: 0)
            #expect(try storage.ingest(minute(first), receivedAt: 0))
        }
        let hub = try HubProcess(data: data, extra: ["--config", scratch.path + "/hub.yaml"])
        #expect(try drained(hub), "\(hub.log.suffix(2000))")
        hub.kill9()
        return (prometheus, hub, data, first)
    }

    /// Waits up to 30 s for the hub's queue for `prometheus` to be empty.
    static func waitForAnEmptyQueue(_ hub: HubProcess) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try hubMetric(hub, "edgewatch_hub_remote_write_queued_blocks{target=\"prometheus\"}") != 0 { usleep(200_000) }
    }

    @Test(
        "a block Prometheus already holds (sent before the hub crashed, its queue row not yet gone) is refused alone; the new block in the same request still goes",
        .enabled(if: Harness.which(["prometheus"]) != nil || Harness.peersRequired)
    )
    func heldBlocksDoNotTakeNewOnesDown() throws {
        let scratch = try AgentScratch(node: "n1")
        defer { try? FileManager.default.removeItem(atPath: scratch.path) }
        let (prometheus, hub, data, first) = try Self.sentOneMinuteThenKilled(scratch)
        // As if the hub had died between Prometheus' 2xx and the transaction that takes the block
        // out of the queue and records what Prometheus holds; then a new minute came.
        do {
            let storage = try SQLiteHubStorage(path: data + "/hub.db")
            #expect(try storage.ingest(Self.minute(first + 60_000), receivedAt: 0))
            let database = try SQLiteDatabase(path: data + "/hub.db")
            defer { database.close() }
            try database.execute("INSERT INTO remote_write_queue(target, block) SELECT 'prometheus', min(id) FROM blocks")
            try database.execute("DELETE FROM remote_write_high_water")
        }
        try hub.start()
        try Self.waitForAnEmptyQueue(hub)
        #expect(try Self.hubMetric(hub, "edgewatch_hub_remote_write_refused_blocks{target=\"prometheus\"}") == 1)
        let held = try Self.samples(port: prometheus.port, token: nil, "node_load1", at: first / 1000 + 180)
        #expect(held.values.first?.count == 12, "both minutes are in Prometheus: \(held)")
        #expect(hub.log.contains("sending them one by one"))
    }

    @Test(
        "after a restart the hub still knows what Prometheus holds: a late block mixing held and new series sends the new ones",
        .enabled(if: Harness.which(["prometheus"]) != nil || Harness.peersRequired)
    )
    func highWaterOutlivesARestart() throws {
        let scratch = try AgentScratch(node: "n1")
        defer { try? FileManager.default.removeItem(atPath: scratch.path) }
        let (prometheus, hub, data, first) = try Self.sentOneMinuteThenKilled(scratch)
        // The node's backlog comes late: node_load1 at a time Prometheus has passed, beside a
        // series Prometheus has never seen.
        do {
            let storage = try SQLiteHubStorage(path: data + "/hub.db")
            let late = UplinkBatch(
                node: "n1",
                stream: "metrics/raw/10s",
                sequence: first + 20_000,
                tier: .raw,
                points: [
                    (key: SeriesKey(name: "node_load1", labels: [:], type: .gauge), points: [(first + 20_000, [0.2])]),
                    (key: SeriesKey(name: "node_load5", labels: [:], type: .gauge), points: [(first + 20_000, [5])]),
                ],
                columns: 1
            )
            #expect(try storage.ingest(late, receivedAt: 0))
        }
        try hub.start()
        try Self.waitForAnEmptyQueue(hub)
        #expect(try Self.hubMetric(hub, "edgewatch_hub_remote_write_refused_blocks{target=\"prometheus\"}") == 0, "\(hub.log.suffix(2000))")
        #expect(try Self.hubMetric(hub, "edgewatch_hub_remote_write_skipped_samples_total{target=\"prometheus\"}") == 1)
        let load5 = try Self.samples(port: prometheus.port, token: nil, "node_load5", at: first / 1000 + 120)
        #expect(load5.values.first == [first + 20_000: 5], "\(load5)")
    }
}

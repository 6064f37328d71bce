import EdgewatchStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon binary against a real store file.
@Suite("Agent daemon", .serialized)
struct AgentDaemonTests {
    /// (timestamp, value) of node_load1 in the store.
    static func load1(_ store: String) throws -> [Int64] {
        let reader = try StoreReader(path: store)
        let ids = Set(try reader.series { $0.name == "node_load1" }.map(\.0))
        return (try reader.points(ids: ids, tier: .raw, from: 0, to: .max).values.first ?? []).map(\.0)
    }

    @Test("start, collect, serve /metrics, SIGTERM flushes and closes; a restart continues the same store")
    func lifecycle() throws {
        let scratch = try AgentScratch()
        let port = try NodeExporterPeer.freePort()
        let first = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        #expect(first.waitForLog("flushed"), "log: \(first.log)")
        let (status, metrics) = try HTTPGet.fetch(port: port, path: "/metrics")
        #expect(status == 200)
        #expect(metrics.contains("# TYPE node_load1 gauge"))
        #expect(metrics.contains("edgewatch_store_samples_written_total"))
        let (health, _) = try HTTPGet.fetch(port: port, path: "/healthz")
        #expect(health == 200)
        let (missing, _) = try HTTPGet.fetch(port: port, path: "/nope")
        #expect(missing == 404)
        let (garbage, _) = try HTTPGet.fetch(port: port, path: "/metrics HTTP/9.9\r\nX: \u{1}")
        #expect(garbage == 400 || garbage == 404, "a malformed request gets a 4xx, not a crash")
        let (_, openMetrics) = try HTTPGet.fetch(port: port, path: "/metrics", accept: "application/openmetrics-text; version=1.0.0")
        #expect(openMetrics.hasSuffix("# EOF\n"))
        if let promtool = Harness.promtool {
            let checked = try Harness.run(promtool, ["check", "metrics"], input: metrics)
            #expect(checked.status == 0 || checked.status == 3, "\(checked.stdout)\(checked.stderr)")
            #expect(!(checked.stdout + checked.stderr).contains("error while linting"))
        }
        first.signal(SIGTERM)
        #expect(first.wait() == 0)
        #expect(first.log.contains("store flushed and closed"))
        let afterFirst = try Self.load1(scratch.store)
        #expect(afterFirst.count >= 2)

        let second = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        #expect(second.waitForLog("flushed"))
        second.signal(SIGINT)
        #expect(second.wait() == 0)
        let afterSecond = try Self.load1(scratch.store)
        #expect(afterSecond.count > afterFirst.count)
        #expect(Array(afterSecond.prefix(afterFirst.count)) == afterFirst, "the first run's samples are kept as they were")
        #expect(afterSecond == afterSecond.sorted())
        #expect(try StoreReader(path: scratch.store).integrityCheck() == "ok")
    }

    @Test("kill -9 at random points ×50: integrity_check ok and every flushed sample read back")
    func killNine() throws {
        let scratch = try AgentScratch(interval: "100ms", flush: "200ms")
        let port = try NodeExporterPeer.freePort()
        var generator = SystemRandomNumberGenerator()
        var flushedCycles = 0
        for round in 0..<50 {
            let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
            usleep(UInt32.random(in: 150_000...900_000, using: &generator))
            agent.signal(SIGKILL)
            _ = agent.wait()
            let reader = try StoreReader(path: scratch.store)
            #expect(try reader.integrityCheck() == "ok", "round \(round)")
            let cycles = Set(try reader.cycleTimestamps(from: 0, to: .max))
            let samples = Set(try Self.load1(scratch.store))
            for (first, last, count) in agent.flushes {
                let stored = cycles.filter { $0 >= first && $0 <= last }.count
                #expect(stored == count, "round \(round): flush \(first)…\(last) reported \(count) cycles, store has \(stored)")
                #expect(samples.filter { $0 >= first && $0 <= last }.count == count, "round \(round): node_load1 samples of flush \(first)…\(last)")
                flushedCycles += count
            }
        }
        #expect(flushedCycles > (Harness.sanitized ? 0 : 50), "the rounds should have flushed data: \(flushedCycles) cycles")
    }

    @Test("bad config: exact message with file:line:column, exit status 78, nothing started")
    func badConfig() throws {
        let scratch = try AgentScratch()
        try "collect:\n  interval: soon\n".write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let output = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config])
        #expect(output.status == 78)
        #expect(
            output.stderr
                == "edgewatch: \(scratch.config):2:13: collect.interval: expected a duration like 10s, 1m30s or 500ms, got \"soon\" (at least 100ms)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: scratch.store))
        let missing = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.path + "/absent.yaml"])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("absent.yaml: cannot read"))
        let badListen = try Harness.run(Harness.edgewatch, ["agent", "--listen", "nowhere"])
        #expect(badListen.status == 78)
        #expect(badListen.stderr.contains("--listen: expected host:port"))
    }

    @Test("run-time failures exit with their own status: 74 when the store cannot be created, 69 when the address is taken")
    func runtimeExitCodes() throws {
        let scratch = try AgentScratch()
        try "a file, not a directory\n".write(toFile: scratch.path + "/file", atomically: true, encoding: .utf8)
        let store = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config, "--store", scratch.path + "/file/store.db"])
        #expect(store.status == 74, "\(store.stderr)")
        #expect(store.stderr.hasPrefix("edgewatch: ") && store.stderr.contains("file"), "\(store.stderr)")
        let taken = try NodeExporterPeer.freePort()
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = FaultProxy.loopback(taken)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0 && listen(holder, 1) == 0)
        let busy = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config, "--listen", "127.0.0.1:\(taken)"])
        #expect(busy.status == 69, "\(busy.stderr)")
        #expect(busy.stderr.contains("cannot listen on 127.0.0.1:\(taken)"), "\(busy.stderr)")
    }

    @Test("edgewatch query reads the store while the agent writes it, as JSON, CSV and OpenMetrics")
    func query() throws {
        let scratch = try AgentScratch()
        let port = try NodeExporterPeer.freePort()
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        #expect(agent.waitForLog("flushed"))
        let csv = try Harness.run(Harness.edgewatch, ["query", "--store", scratch.store, "node_load1", "--since", "5m", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("name,labels,timestamp_ms,value\nnode_load1,{},"))
        let json = try Harness.run(Harness.edgewatch, ["query", "--store", scratch.store, "node_memory_MemTotal_bytes", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["resolution"] as? String == "raw")
        #expect((object["series"] as? [Any])?.count == 1)
        let selector = try Harness.run(
            Harness.edgewatch,
            ["query", "--store", scratch.store, "{__name__=~\"node_vmstat_pg.*\",__name__!=\"node_vmstat_pgfault\"}", "--format", "openmetrics"]
        )
        #expect(selector.stdout.contains("node_vmstat_pgmajfault "))
        #expect(!selector.stdout.contains("node_vmstat_pgfault "))
        #expect(selector.stdout.hasSuffix("# EOF\n"))
        let bad = try Harness.run(Harness.edgewatch, ["query", "--store", scratch.store, "node_load1{mode=}"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("column 17: expected a quoted string value for mode"))
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
    }
}

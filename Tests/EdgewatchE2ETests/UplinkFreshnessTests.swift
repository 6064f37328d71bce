import EdgewatchStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The live edge goes up from the agent's memory: the hub is fresh while the store flushes rarely.
@Suite(.serialized) struct UplinkFreshnessTests {
    /// Milliseconds since the epoch, now.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test("raw data reaches the hub within 2 intervals + 5 s before any flush; killed then, nothing acknowledged is lost or stored twice")
    func liveEdgeFromMemory() throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        // 1 s interval, 10 s windows (10 slots), and a store that flushes only every 10 minutes.
        let scratch = try AgentScratch(interval: "1s", flush: "10m")
        try UplinkTests.agentConfig(scratch, hub: hub, port: hub.port)
        let config = try String(contentsOfFile: scratch.config, encoding: .utf8)
        try config.replacingOccurrences(of: "window: 1s", with: "window: 10s").write(toFile: scratch.config, atomically: true, encoding: .utf8)
        var agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        sleep(4)
        var lags: [Int64] = []
        for _ in 0..<10 {
            let newest = try hub.integer("SELECT coalesce(max(last_sample_ts), 0) FROM nodes WHERE name = 'test-node'")
            lags.append(Self.now() - newest)
            usleep(700_000)
        }
        #expect(lags.allSatisfy { $0 <= 7_000 }, "live lag at the hub (ms): \(lags)\n\(agent.log.suffix(1500))")
        #expect(try StoreReader(path: scratch.store).cycleBounds() == nil, "the store flushed; the hub's data did not come from memory")
        let beforeKill = try hub.rawSamplesCounted(node: "test-node")
        #expect(beforeKill.stored > 100)

        // Killed before any flush: the store loses its head, the hub keeps what it acknowledged.
        agent.signal(SIGKILL)
        _ = agent.wait()
        try config.replacingOccurrences(of: "window: 1s", with: "window: 10s").replacingOccurrences(
            of: "flush_interval: 10m",
            with: "flush_interval: 400ms"
        )
        .write(toFile: scratch.config, atomically: true, encoding: .utf8)
        agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        sleep(6)
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        let state = try UplinkTests.delivered(scratch)
        let (onHub, stored) = try hub.rawSamplesCounted(node: "test-node")
        #expect(stored == onHub.count, "\(stored - onHub.count) samples stored twice on the hub")
        let missing = state.samples.filter { onHub[$0.key] == nil }
        #expect(state.samples.count > 100 && missing.isEmpty, "\(missing.count) of \(state.samples.count) delivered samples missing on the hub")
        #expect(beforeKill.samples.keys.allSatisfy { onHub[$0] != nil }, "samples acknowledged before the kill are gone from the hub")
    }
}

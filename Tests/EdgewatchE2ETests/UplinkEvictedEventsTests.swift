import EdgewatchEncoding
import Foundation
import Testing

@testable import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

/// Events keep a budget share of their own, so they outlive the metric segments of their time.
/// The uplink must still send them once every tier of their slots was evicted.
@Suite("Uplink: events that outlived their segments", .serialized)
struct UplinkEvictedEventsTests {
    @Test("a hub outage, then every segment of the outage evicted: the events recorded during it still reach the hub")
    func eventsOutliveSegments() throws {
        let hub = try HubProcess()
        let proxy = try FaultProxy(target: hub.port)
        defer { proxy.stop() }
        let scratch = try AgentScratch(interval: "200ms", flush: "400ms")
        try UplinkTests.agentConfig(scratch, hub: hub, port: proxy.port)
        proxy.refuse()
        // Two runs during the outage: the first chooses the live slot it keeps retrying; the events
        // of the second lie after it, in slots owed behind the live edge.
        for _ in 0..<2 {
            let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
            #expect(agent.waitForLog("flushed"), "the agent never flushed:\n\(agent.log.suffix(1000))")
            sleep(2)
            agent.signal(SIGTERM)
            #expect(agent.wait() == 0)
        }
        let outage = try StoreReader(path: scratch.store).events(recordedFrom: 0, to: .max)
        #expect(outage.filter { $0.reason == "AgentStarted" }.count == 2, "\(outage.map(\.reason))")

        // What a small budget does over a long outage: every segment goes, the events stay.
        let writer = try StoreWriter(configuration: StoreConfiguration(path: scratch.store, intervalMilliseconds: 200, nodeName: "test-node"))
        while try writer.evictOne() {}
        try writer.close()
        let reader = try StoreReader(path: scratch.store)
        #expect(try Tier.allCases.compactMap { try reader.oldestTimestamp(tier: $0) }.isEmpty, "segments left after eviction")
        #expect(try reader.events(recordedFrom: 0, to: .max).count == outage.count)

        try proxy.listen()
        let second = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        // Settle until the live edge (1 s slots) is past the outage's last event.
        let lastSlot = (outage.map(\.recorded).max() ?? 0) / 1000
        let windows = max(2, lastSlot + 2 - (try UplinkTests.delivered(scratch).liveNext))
        try UplinkTests.settleAndCompare(scratch, hub, agent: second, windows: windows, budgetLimited: true)
        let onHub = Set(try hub.eventKeys(node: "test-node"))
        let missing = outage.filter { !onHub.contains("\($0.uid)#\($0.count)") }
        #expect(missing.isEmpty, "\(missing.count) of the outage's \(outage.count) events missing on the hub: \(missing.prefix(3).map(\.reason))")
    }

    @Test("a clock stepped back during an outage, then the first era evicted whole: its events still reach the hub")
    func eventsOutliveTheirEra() async throws {
        let hub = try HubProcess()
        let proxy = try FaultProxy(target: hub.port)
        defer { proxy.stop() }
        let scratch = try AgentScratch(interval: "1s", flush: "2s")
        let clock = scratch.path + "/clock"
        try UplinkClockTests.setClock(clock, offset: 0, synced: true)
        try UplinkTests.agentConfig(scratch, hub: hub, port: proxy.port)
        proxy.refuse()
        func agent() throws -> AgentProcess {
            try AgentProcess(
                directory: scratch.path,
                config: scratch.config,
                port: try NodeExporterPeer.freePort(),
                environment: ["EDGEWATCH_TEST_CLOCK_FILE": clock]
            )
        }
        // Era 0 from the start; back 2.5 s after 5 s: era 1 begins after the agent's start event.
        let first = try agent()
        try await Task.sleep(for: .seconds(5))
        try UplinkClockTests.setClock(clock, offset: -2_500, synced: true)
        try await Task.sleep(for: .seconds(5))
        first.signal(SIGTERM)
        #expect(first.wait() == 0)
        let outage = try StoreReader(path: scratch.store).events(recordedFrom: 0, to: .max)
        #expect(try StoreReader(path: scratch.store).newestEra() == 1)

        let writer = try StoreWriter(configuration: StoreConfiguration(path: scratch.store, intervalMilliseconds: 1000, nodeName: "test-node"))
        while try writer.evictOne() {}
        try writer.close()
        let reader = try StoreReader(path: scratch.store)
        #expect(try reader.cycleBounds(era: 0) == nil && reader.eraEnd(0) != nil)

        try proxy.listen()
        let second = try agent()
        let deadline = UplinkClockTests.now() + 30_000
        var missing = outage
        while !missing.isEmpty, UplinkClockTests.now() < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let onHub = Set(try hub.eventKeys(node: "test-node"))
            missing = outage.filter { !onHub.contains("\($0.uid)#\($0.count)") }
        }
        second.signal(SIGTERM)
        #expect(second.wait() == 0)
        #expect(missing.isEmpty, "\(missing.count) of the outage's \(outage.count) events missing on the hub: \(missing.map(\.reason))")
    }
}

import EdgewatchEncoding
import EdgewatchSQLite
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
        try Self.evictEverything(scratch)
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
        // Era 0 from the start; back 2.5 s after 5 s: era 1 begins after the agent's start event.
        let first = try Self.agent(scratch, clock: clock)
        try await Task.sleep(for: .seconds(5))
        try UplinkClockTests.setClock(clock, offset: -2_500, synced: true)
        try await Task.sleep(for: .seconds(5))
        first.signal(SIGTERM)
        #expect(first.wait() == 0)
        let outage = try StoreReader(path: scratch.store).events(recordedFrom: 0, to: .max)
        #expect(try StoreReader(path: scratch.store).newestEra() == 1)

        try Self.evictEverything(scratch)
        let reader = try StoreReader(path: scratch.store)
        #expect(try reader.cycleBounds(era: 0) == nil && reader.eraEnd(0) != nil)

        try proxy.listen()
        let second = try Self.agent(scratch, clock: clock)
        var missing = outage
        try await Self.poll {
            let onHub = Set(try hub.eventKeys(node: "test-node"))
            missing = outage.filter { !onHub.contains("\($0.uid)#\($0.count)") }
            return missing.isEmpty
        }
        second.signal(SIGTERM)
        #expect(second.wait() == 0)
        #expect(
            missing.isEmpty,
            "\(missing.count) of the outage's \(outage.count) events missing on the hub: \(missing.map(\.reason)); the agent:\n\(second.log.suffix(3000))"
        )
    }

    @Test("an outage two hours back whose segments and events were all evicted: the hub is told what eviction took")
    func evictionReportedAsGaps() async throws {
        let hub = try HubProcess()
        let proxy = try FaultProxy(target: hub.port)
        defer { proxy.stop() }
        let scratch = try AgentScratch(interval: "1s", flush: "2s")
        let clock = scratch.path + "/clock"
        // Two hours back, so that the summaries the agent holds after the outage begin after it.
        try UplinkClockTests.setClock(clock, offset: -2 * 3_600_000, synced: true)
        try UplinkTests.agentConfig(scratch, hub: hub, port: proxy.port)
        let config = try String(contentsOfFile: scratch.config, encoding: .utf8)
        try config.replacingOccurrences(of: "window: 1s", with: "window: 1m").write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let first = try Self.agent(scratch, clock: clock)
        #expect(first.waitForLog("flushed"), "the agent never flushed:\n\(first.log.suffix(1000))")
        let started = try #require(try StoreReader(path: scratch.store).events(recordedFrom: 0, to: .max).first)
        try await Self.poll { Set(try hub.eventKeys(node: "test-node")).contains("\(started.uid)#\(started.count)") }
        proxy.refuse()
        try await Task.sleep(for: .seconds(2))
        first.signal(SIGTERM)
        #expect(first.wait() == 0)
        // A second run during the outage: its segments lie wholly after the slot the first kept retrying.
        let during = try Self.agent(scratch, clock: clock)
        #expect(during.waitForLog("flushed"), "the agent never flushed:\n\(during.log.suffix(1000))")
        try await Task.sleep(for: .seconds(2))
        during.signal(SIGTERM)
        #expect(during.wait() == 0)

        try Self.evictEverything(scratch)
        let state = try SQLiteDatabase(path: scratch.store + "-uplink.db", readOnly: true)
        let owed = try state.integer(
            "SELECT min(s) FROM (SELECT live_next s FROM cursor WHERE stream = 'metrics/raw/1s' UNION ALL SELECT from_slot FROM backlog WHERE stream = 'metrics/raw/1s')"
        )
        state.close()
        // The outage's events (the agent's stop) go too, as their own budget share evicts them.
        let store = try SQLiteDatabase(path: scratch.store)
        try store.execute("DELETE FROM events WHERE recorded_ts >= \(owed * 1000)")
        store.close()
        let expected = Set(
            try StoreReader(path: scratch.store).gaps(from: owed * 1000, to: .max).map { "\($0.start)-\($0.end) \($0.tier.name) \($0.kind.rawValue)" }
        )
        #expect(!expected.isEmpty, "no gaps in the owed slots from \(owed)")

        try UplinkClockTests.setClock(clock, offset: 0, synced: true)
        try proxy.listen()
        let second = try Self.agent(scratch, clock: clock)
        var missing = expected
        try await Self.poll {
            let database = try SQLiteDatabase(path: hub.data + "/hub.db", readOnly: true)
            defer { database.close() }
            let statement = try database.statement("SELECT from_ts, to_ts, reason FROM gaps WHERE node = 'test-node'")
            while try statement.step() { missing.remove("\(statement.int64(0))-\(statement.int64(1)) \(statement.string(2))") }
            return missing.isEmpty
        }
        second.signal(SIGTERM)
        #expect(second.wait() == 0)
        #expect(missing.isEmpty, "\(missing.count) of \(expected.count) gaps in the owed slots not on the hub: \(missing.sorted())")
    }

    /// An agent of `scratch` reading its clock from `clock`.
    static func agent(_ scratch: AgentScratch, clock: String) throws -> AgentProcess {
        try AgentProcess(
            directory: scratch.path,
            config: scratch.config,
            port: try NodeExporterPeer.freePort(),
            environment: ["EDGEWATCH_TEST_CLOCK_FILE": clock]
        )
    }

    /// What a small budget does over a long outage: every segment goes (events have their own share).
    static func evictEverything(_ scratch: AgentScratch) throws {
        let writer = try StoreWriter(configuration: StoreConfiguration(path: scratch.store, intervalMilliseconds: 1000, nodeName: "test-node"))
        while try writer.evictOne() {}
        try writer.close()
    }

    /// Polls `done` every 200 ms, 375 times (75 s on an idle machine; the suite's load on two cores
    /// has taken 40 s where an idle machine takes 3).
    static func poll(_ done: () throws -> Bool) async throws {
        try await Harness.poll(times: 375, every: .milliseconds(200), done)
    }
}

import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import EdgewatchWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real agent and hub with the agent's clock injected (`EDGEWATCH_TEST_CLOCK_FILE`): a board
/// that boots days behind and syncs later, and a synced clock stepped a day forward and back.
/// Every sample the agent stores reaches the hub exactly once, at the time the store holds.
/// (Async, sleeping without blocking a thread of the small cooperative pool other suites need.)
@Suite("Uplink across clock steps", .serialized)
struct UplinkClockTests {
    static let day: Int64 = 86_400_000

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Sets the agent's clock: `offset` ms from the real one, and whether adjtimex says synchronised.
    static func setClock(_ path: String, offset: Int64, synced: Bool) throws {
        try "\(offset) \(synced ? "synced" : "unsynced")\n".write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// An agent at 1 s with a raw uplink in 1 s slots, its clock read from `clock`.
    static func agent(_ scratch: AgentScratch, hub: HubProcess, clock: String, wait: String) throws -> AgentProcess {
        try UplinkTests.agentConfig(scratch, hub: hub, port: hub.port)
        let config = try String(contentsOfFile: scratch.config, encoding: .utf8)
        try config.replacingOccurrences(of: "clock_sync_wait: 0s", with: "clock_sync_wait: \(wait)")
            .write(toFile: scratch.config, atomically: true, encoding: .utf8)
        return try AgentProcess(
            directory: scratch.path,
            config: scratch.config,
            port: try NodeExporterPeer.freePort(),
            environment: ["EDGEWATCH_TEST_CLOCK_FILE": clock]
        )
    }

    /// Every raw sample the store holds, all eras ("name{labels}@ts" → value), with its era.
    static func stored(_ scratch: AgentScratch) throws -> [(key: String, era: Int64, value: Double)] {
        let reader = try StoreReader(path: scratch.store)
        let series = try reader.series { _ in true }
        var result: [(String, Int64, Double)] = []
        for era in 0...(try reader.newestEra()) {
            let points = try reader.points(ids: Set(series.map(\.0)), tier: .raw, from: .min / 2, to: .max / 2, era: era)
            for (id, key) in series {
                let name = key.name + SeriesKey(name: key.name, labels: key.labels, type: .gauge).encodedLabels
                for (timestamp, values) in points[id] ?? [] { result.append(("\(name)@\(timestamp)", era, values[0])) }
            }
        }
        return result
    }

    /// Whether the uplink acknowledged the slot of `key` (1 s slots) in `era`: below the era's live
    /// edge and not owed in its backlog; eras without a cursor are not delivered.
    static func deliveredCheck(_ scratch: AgentScratch) throws -> (String, Int64) -> Bool {
        let state = try SQLiteDatabase(path: scratch.store + "-uplink.db", readOnly: true)
        defer { state.close() }
        var edges: [Int64: (live: Int64, owed: [Range<Int64>])] = [:]
        let cursor = try state.statement("SELECT stream, live_next FROM cursor WHERE stream LIKE 'metrics/raw%/1s'")
        while try cursor.step() {
            guard let era = UplinkStream.era(cursor.string(0)), !cursor.isNull(1) else { continue }
            var owed: [Range<Int64>] = []
            let ranges = try state.statement("SELECT from_slot, to_slot FROM backlog WHERE stream = ?")
            ranges.bind(1, cursor.string(0))
            while try ranges.step() { owed.append(ranges.int64(0)..<ranges.int64(1)) }
            edges[era] = (cursor.int64(1), owed)
        }
        return { key, era in
            guard let edge = edges[era], let timestamp = Int64(key.split(separator: "@").last ?? "") else { return false }
            let slot = timestamp >= 0 ? timestamp / 1000 : (timestamp - 999) / 1000
            return slot < edge.live && !edge.owed.contains { $0.contains(slot) }
        }
    }

    /// Waits (at most `limit`) until the uplink has acknowledged every stored sample but each era's
    /// last seconds: on a machine loaded by other suites the agent may fall behind for a while (it
    /// had gone 26 s without a cycle once), which is no loss as long as it catches up.
    static func caughtUp(_ scratch: AgentScratch, within limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let samples = try stored(scratch)
            let delivered = try deliveredCheck(scratch)
            var newest: [Int64: Int64] = [:]
            for sample in samples { newest[sample.era] = max(newest[sample.era] ?? .min, time(sample.key)) }
            if samples.allSatisfy({ delivered($0.key, $0.era) || time($0.key) >= (newest[$0.era] ?? 0) - 5_000 }) { return }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// A stored sample's time, from its key ("name{labels}@ts").
    static func time(_ key: String) -> Int64 { Int64(key.split(separator: "@").last ?? "") ?? 0 }

    /// Waits for the uplink to catch up (``caughtUp(_:within:)``), then ``stopAndCompare(_:_:_:)``.
    static func settleStopAndCompare(_ agent: AgentProcess, _ scratch: AgentScratch, _ hub: HubProcess) async throws -> [String: Double] {
        try await caughtUp(scratch)
        return try stopAndCompare(agent, scratch, hub)
    }

    /// Stops the agent and checks: every delivered sample on the hub with its value, nothing on the
    /// hub the store lacks, nothing stored twice, and only the last seconds left undelivered.
    static func stopAndCompare(_ agent: AgentProcess, _ scratch: AgentScratch, _ hub: HubProcess) throws -> [String: Double] {
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        let samples = try stored(scratch)
        let delivered = try deliveredCheck(scratch)
        let (onHub, count) = try hub.rawSamplesCounted(node: "test-node")
        let storedKeys = Set(samples.map(\.key))
        var newest: [Int64: Int64] = [:]
        for sample in samples { newest[sample.era] = max(newest[sample.era] ?? .min, time(sample.key)) }
        let acknowledged = samples.filter { delivered($0.key, $0.era) }
        let missing = acknowledged.filter { onHub[$0.key] == nil }
        let wrong = acknowledged.filter { sample in onHub[sample.key].map { $0 != sample.value && !($0.isNaN && sample.value.isNaN) } ?? false }
        // Each era's last seconds may be in flight at the stop (the newest era's) or waiting behind it.
        let late = samples.filter { !delivered($0.key, $0.era) && time($0.key) < (newest[$0.era] ?? 0) - 5_000 }
        #expect(acknowledged.count > 100, "too few samples acknowledged to judge\n\(agent.log.suffix(1500))")
        #expect(missing.isEmpty, "\(missing.count) acknowledged samples missing on the hub, e.g. \(missing.prefix(3).map(\.key))")
        #expect(wrong.isEmpty, "\(wrong.count) samples differ on the hub")
        #expect(late.isEmpty, "\(late.count) samples never sent, e.g. \(late.prefix(3).map(\.key))\n\(agent.log.suffix(1500))")
        #expect(onHub.keys.allSatisfy { storedKeys.contains($0) }, "the hub holds samples the store does not")
        #expect(count == onHub.count, "\(count - onHub.count) samples stored twice on the hub")
        return onHub
    }

    @Test("a board booted 3 days behind, unsynchronised, sends nothing until NTP syncs; then every sample once, at corrected times")
    func bootBehindThenSync() async throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        let scratch = try AgentScratch(interval: "1s", flush: "2s")
        let clock = scratch.path + "/clock"
        try Self.setClock(clock, offset: -3 * Self.day, synced: false)
        let started = Self.now()
        // The hold lasts until the kernel has been up this long: longer than any test machine's uptime.
        let agent = try Self.agent(scratch, hub: hub, clock: clock, wait: "36500d")
        try await Task.sleep(for: .seconds(8))
        #expect(try hub.rawSamplesCounted(node: "test-node").stored == 0, "unsynchronised samples went up before the clock was corrected")
        #expect(try StoreReader(path: scratch.store).cycleBounds().map { $0.first < started - Self.day } == true)
        try Self.setClock(clock, offset: 0, synced: true)
        try await Task.sleep(for: .seconds(10))
        let onHub = try await Self.settleStopAndCompare(agent, scratch, hub)
        let times = onHub.keys.compactMap { Int64($0.split(separator: "@").last ?? "") }
        #expect((times.min() ?? 0) >= started - 2_000, "samples on the hub at uncorrected times: oldest \(times.min() ?? 0), test began \(started)")
        let bounds = try #require(try StoreReader(path: scratch.store).cycleBounds())
        #expect(bounds.first >= started - 2_000 && bounds.last <= Self.now(), "store bounds \(bounds) after the correction")
        #expect(try StoreReader(path: scratch.store).oldestTimestamp(tier: .raw).map { $0 >= started - 2_000 } == true)
        #expect(try StoreReader(path: scratch.store).newestEra() == 0)
    }

    @Test("a synced clock stepped a day forward, then back over data already sent: every sample once, each era in its own streams")
    func stepsWhileSynced() async throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        let scratch = try AgentScratch(interval: "1s", flush: "2s")
        let clock = scratch.path + "/clock"
        try Self.setClock(clock, offset: 0, synced: true)
        let agent = try Self.agent(scratch, hub: hub, clock: clock, wait: "30m")
        try await Task.sleep(for: .seconds(10))
        let forward = Self.now()
        try Self.setClock(clock, offset: Self.day, synced: true)
        try await Task.sleep(for: .seconds(6))
        // The hub is live on the new clock at once: the empty day between is not sent slot by slot.
        let newest = try hub.integer("SELECT coalesce(max(last_sample_ts), 0) FROM nodes WHERE name = 'test-node'")
        #expect(newest > Self.now() + Self.day - 5_000, "hub's newest sample \(newest - Self.now() - Self.day) ms from the stepped clock")
        // Back a day and more: the clock lands 6.5 s before the forward step (whenever this runs, on a
        // loaded machine too) and repeats seconds the hub already holds.
        try Self.setClock(clock, offset: forward - 6_500 - Self.now(), synced: true)
        try await Task.sleep(for: .seconds(10))
        let onHub = try await Self.settleStopAndCompare(agent, scratch, hub)
        #expect(try StoreReader(path: scratch.store).newestEra() == 1)
        let eras = try hub.integer("SELECT count(*) FROM batches WHERE node = 'test-node' AND stream LIKE 'metrics/raw.era1/%'")
        #expect(eras > 5, "no batches of the second era on the hub")
        // The repeated seconds are on the hub from both eras.
        let eraOne = try #require(try StoreReader(path: scratch.store).cycleBounds(era: 1))
        let repeated = try Self.stored(scratch).filter { sample in
            let time = Int64(sample.key.split(separator: "@").last ?? "") ?? 0
            return sample.key.hasPrefix("node_load1{}@") && time >= eraOne.first && time <= forward
        }
        for era: Int64 in [0, 1] {
            let inEra = repeated.filter { $0.era == era }
            #expect(inEra.count >= 3 && inEra.allSatisfy { onHub[$0.key] != nil }, "era \(era) in the repeated seconds: \(inEra.map(\.key))")
        }
    }

    @Test("a board that syncs only after clock_sync_wait sends its unsynchronised samples as taken, once, and is not corrected later")
    func syncAfterTheWait() async throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        let scratch = try AgentScratch(interval: "1s", flush: "2s")
        let clock = scratch.path + "/clock"
        try Self.setClock(clock, offset: -3 * Self.day, synced: false)
        // The hold ends 5 s from now (the wait counts from the kernel's boot).
        let uptime = Double((try String(contentsOfFile: "/proc/uptime", encoding: .utf8)).split(separator: " ").first ?? "") ?? 0
        let agent = try Self.agent(scratch, hub: hub, clock: clock, wait: "\(Int64(uptime * 1000) + 5_000)ms")
        try await Task.sleep(for: .seconds(10))
        let early = try hub.rawSamplesCounted(node: "test-node").stored
        #expect(early > 0, "nothing went up after the wait ended")
        try Self.setClock(clock, offset: 0, synced: true)
        try await Task.sleep(for: .seconds(6))
        let onHub = try await Self.settleStopAndCompare(agent, scratch, hub)
        let times = onHub.keys.compactMap { Int64($0.split(separator: "@").last ?? "") }
        #expect((times.min() ?? .max) < Self.now() - 2 * Self.day, "the released samples should stay at the board's clock")
        #expect((times.max() ?? 0) > Self.now() - 60_000, "samples after the sync are missing")
    }
}

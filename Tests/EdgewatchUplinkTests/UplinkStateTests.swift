import EdgewatchSQLite
import Foundation
import Testing

@testable import EdgewatchUplink

@Suite struct UplinkStateTests {
    @Test func theStepInFlightAndEveryBacklogRangeSurviveARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-uplink-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let thread = DatabaseThread()
        var plan = UplinkPlan(liveNext: 40, backlog: [3..<5, 7..<25])
        #expect(plan.next(newestComplete: 39, oldestAvailable: 0, windowSlots: 10) == .backfill(3, slots: 1))
        let state = try UplinkState(path: path, thread: thread)
        try await state.save(plan, stream: "metrics/1m/60s")
        await state.close()
        let reopened = try UplinkState(path: path, thread: thread)
        var loaded = try await reopened.plan(stream: "metrics/1m/60s")
        #expect(loaded == plan)
        // The step in flight comes first, whatever the store holds now.
        #expect(loaded.next(newestComplete: 60, oldestAvailable: 0, windowSlots: 10) == .backfill(3, slots: 1))
        let report = try UplinkReport.read(path: path)
        #expect(report.cursor.first?.backlogWindows == 20)
        #expect(try await reopened.plan(stream: "metrics/1m/600s") == UplinkPlan())
        await reopened.close()
        await thread.shutdown()
    }

    @Test func aCursorWrittenBeforeBacklogRangesKeepsItsRange() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-uplink-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let old = try SQLiteDatabase(path: path)
        try old.execute(
            """
            CREATE TABLE cursor(stream TEXT PRIMARY KEY, live_next INTEGER, backlog_from INTEGER, backlog_to INTEGER);
            INSERT INTO cursor VALUES('metrics/raw/60s', 100, 90, 95);
            """
        )
        old.close()
        let thread = DatabaseThread()
        let state = try UplinkState(path: path, thread: thread)
        let plan = try await state.plan(stream: "metrics/raw/60s")
        #expect(plan == UplinkPlan(liveNext: 100, backlog: [90..<95]))
        await state.close()
        await thread.shutdown()
    }

    @Test func theNewestEraWithACursorIsWhereTheUplinkResumes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-uplink-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let thread = DatabaseThread()
        let state = try UplinkState(path: path, thread: thread)
        #expect(try await state.newestEra(tier: .raw) == 0)
        for stream in ["metrics/raw/10s", "metrics/raw.era1/10s", "metrics/raw.era2/10s", "metrics/1m.era7/60s", "alerts/raw.era9/10s"] {
            try await state.save(UplinkPlan(liveNext: 5), stream: stream)
        }
        #expect(try await state.newestEra(tier: .raw) == 2)
        #expect(try await state.newestEra(tier: .minute) == 7)
        #expect(try await state.newestEra(tier: .hour) == 0)
        await state.close()
        await thread.shutdown()
    }
}

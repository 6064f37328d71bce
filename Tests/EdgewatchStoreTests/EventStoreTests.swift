import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import Testing

@Suite struct EventStoreTests {
    static let start: Int64 = 1_764_000_000_000

    func event(_ uid: String, count: Int64, delta: Int64 = 1, at time: Int64, reason: String = "BackOff", message: String = "Back-off") -> EventRecord
    {
        EventRecord(
            time: time,
            firstSeen: Self.start,
            source: .kubernetes,
            type: "Warning",
            reason: reason,
            object: EventRecord.InvolvedObject(kind: "Pod", namespace: "default", name: "web-0"),
            message: message,
            count: count,
            delta: delta,
            uid: uid
        )
    }

    @Test("an occurrence is stored once per (uid, count); its meta value commits with it; counts are known after reopening")
    func occurrencesAreUnique() throws {
        let directory = try StoreDirectory()
        let configuration = StoreConfiguration(path: directory.database, nodeName: "pi-1")
        do {
            let writer = try StoreWriter(configuration: configuration)
            writer.record([event("a", count: 1, at: Self.start), event("a", count: 3, delta: 2, at: Self.start + 10)], now: Self.start + 20)
            writer.setMeta("kubernetes.events.resource_version", "42")
            try writer.flush()
            writer.record([event("a", count: 3, delta: 2, at: Self.start + 10), event("b", count: 1, at: Self.start + 30)], now: Self.start + 40)
            try writer.close()
            #expect(writer.eventTotals.counts[EventTotals.Key(source: .kubernetes, type: "Warning", reason: "BackOff")] == 4)
        }
        let reader = try StoreReader(path: directory.database)
        let stored = try reader.events(matching: EventFilter(source: .kubernetes))
        #expect(stored.map(\.uid) == ["a", "a", "b"])
        #expect(stored.map(\.count) == [1, 3, 1])
        #expect(stored.allSatisfy { $0.node == "pi-1" && $0.firstSeen == Self.start })
        #expect(stored.first?.recorded == Self.start + 20)
        #expect(try reader.meta("kubernetes.events.resource_version") == "42")
        #expect(try reader.events(recordedFrom: Self.start + 21, to: .max).map(\.uid) == ["b"])
        #expect(try reader.events(matching: EventFilter(reason: "Nope")).isEmpty)
        let writer = try StoreWriter(configuration: configuration)
        #expect(try writer.knownCounts(source: .kubernetes, since: 0) == ["a": 3, "b": 1])
        #expect(writer.meta("kubernetes.events.resource_version") == "42")
        // The agent's clean stop is recorded; the next boot's NodeRebooted says so.
        let nodeEvents = try reader.events(matching: EventFilter(source: .node))
        #expect(nodeEvents.isEmpty)
        try writer.close()
    }

    @Test("long messages are capped; recorded never lies before the last cycle")
    func messagesAreCapped() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database))
        try writer.append(cycle: cycle(Self.start + 60_000), samples: [])
        writer.record([event("long", count: 1, at: Self.start, message: String(repeating: "é", count: 2000))], now: Self.start)
        try writer.close()
        let stored = try StoreReader(path: directory.database).events(matching: EventFilter())
        let message = try #require(stored.first { $0.uid == "long" }?.message)
        #expect(message.utf8.count <= EventRecord.maxMessageBytes && message.hasSuffix("…"))
        #expect(stored.first { $0.uid == "long" }?.recorded == Self.start + 60_000)
    }

    @Test("a reboot records NodeRebooted telling a clean stop from a power cut; agent stops are events")
    func rebootsAreEvents() throws {
        let directory = try StoreDirectory()
        let configuration = StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000, nodeName: "pi-1")
        var writer = try StoreWriter(configuration: configuration)
        try writer.append(cycle: cycle(Self.start, boot: "boot-a"), samples: [])
        try writer.close(now: Self.start + 1_000)
        writer = try StoreWriter(configuration: configuration)
        try writer.append(cycle: cycle(Self.start + 60_000, boot: "boot-b"), samples: [])
        try writer.flush()  // power cut: no close
        writer = try StoreWriter(configuration: configuration)
        try writer.append(cycle: cycle(Self.start + 120_000, boot: "boot-c"), samples: [])
        try writer.close()
        let events = try StoreReader(path: directory.database).events(matching: EventFilter(source: .node))
        #expect(events.map(\.reason) == ["AgentStopped", "NodeRebooted", "NodeRebooted"])
        #expect(events[1].message.contains("stopped cleanly") && events[1].uid == "node/NodeRebooted/boot-b")
        #expect(events[2].message.contains("no clean stop") && events[2].type == "Warning")
        #expect(events.allSatisfy { $0.object == EventRecord.InvolvedObject(kind: "Node", name: "pi-1") })
    }

    @Test("events stay within their share of the budget: oldest evicted first, recorded as a gap")
    func eventsAreEvictedOldestFirst() throws {
        let directory = try StoreDirectory()
        let configuration = StoreConfiguration(path: directory.database, maxBytes: 1 << 20)
        let writer = try StoreWriter(configuration: configuration)
        let message = String(repeating: "x", count: 900)
        for batch in 0..<20 {
            let events = (0..<20).map { index in event("e\(batch)-\(index)", count: 1, at: Self.start + Int64(batch * 20 + index), message: message) }
            writer.record(events, now: Self.start)
            try writer.flush()
        }
        #expect(writer.statistics.eventsEvicted > 0)
        try writer.close()
        let reader = try StoreReader(path: directory.database)
        let stored = try reader.events(matching: EventFilter())
        #expect(stored.count < 400 && stored.count > 50)
        #expect(stored.last?.uid == "e19-19")
        let firstKept = try #require(stored.first?.time)
        let gaps = try reader.gaps(from: 0, to: .max).filter { $0.kind == .eventsEvicted }
        #expect(gaps.first?.start == Self.start && (gaps.last?.end ?? 0) < firstKept)
    }

    @Test("events waiting for a flush are bounded: beyond the limit they are dropped and counted")
    func pendingEventsAreBounded() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database))
        let limit = StoreWriter.maxPendingEvents
        let events = (0..<(limit + 5)).map { event("e\($0)", count: 1, at: Self.start) }
        #expect(writer.record(events, now: Self.start) == limit)
        #expect(writer.statistics.eventsDropped == 5)
        try writer.close()
    }

    @Test("a version 2 store's clock and boot events become occurrences")
    func migratesVersionTwoEvents() throws {
        let directory = try StoreDirectory()
        do {
            let database = try SQLiteDatabase(path: directory.database)
            try database.execute(
                """
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                INSERT INTO meta VALUES('schema_version', '2');
                CREATE TABLE events(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
                INSERT INTO events(ts, kind, detail) VALUES(1000, 'clock_jump', 'wall clock stepped +3600.0 s'), (2000, 'boot', 'boot id b');
                """
            )
            database.close()
        }
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database))
        try writer.close()
        let events = try StoreReader(path: directory.database).events(matching: EventFilter())
        #expect(events.map(\.reason) == ["ClockJump", "NodeRebooted"])
        #expect(events.map(\.uid) == ["v2-clock_jump-1000", "v2-boot-2000"])
    }
}

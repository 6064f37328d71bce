import EdgewatchCore
import EdgewatchSQLite

/// Reading events: by their own time for people (`edgewatch events`), by when they were recorded
/// for the uplink.
extension StoreReader {
    static let eventColumns = """
        recorded_ts, ts, first_ts, source, type, reason, kind, namespace, name, message, count, delta, uid, node
        """

    /// Events matching `filter`, oldest first (by last-seen time).
    public func events(matching filter: EventFilter) throws(StoreError) -> [EventRecord] {
        var sql = "SELECT \(Self.eventColumns) FROM events WHERE ts >= ? AND ts <= ?"
        var texts: [String] = []
        if let source = filter.source {
            sql += " AND source = ?"
            texts.append(source.rawValue)
        }
        if let reason = filter.reason {
            sql += " AND reason = ?"
            texts.append(reason)
        }
        if let type = filter.type {
            sql += " AND type = ?"
            texts.append(type)
        }
        return try eventRows(sql + " ORDER BY ts, id", filter.from, filter.to, texts)
    }

    /// Events the agent recorded within [from, to] (its wall clock), in recording order.
    public func events(recordedFrom from: Int64, to: Int64) throws(StoreError) -> [EventRecord] {
        try eventRows("SELECT \(Self.eventColumns) FROM events WHERE recorded_ts >= ? AND recorded_ts <= ? ORDER BY id", from, to, [])
    }

    /// When the earliest event recorded at or after `from` was recorded; nil when there is none.
    public func firstEventRecorded(from: Int64) throws(StoreError) -> Int64? {
        try optionalInteger("SELECT min(recorded_ts) FROM events WHERE recorded_ts >= ?", from)
    }

    /// A value from the store's meta table.
    public func meta(_ key: String) throws(StoreError) -> String? {
        do {
            let statement = try database.statement("SELECT value FROM meta WHERE key = ?")
            statement.bind(1, key)
            defer { statement.reset() }
            return try statement.step() ? statement.string(0) : nil
        } catch {
            throw StoreError.database(error)
        }
    }

    private func eventRows(_ sql: String, _ from: Int64, _ to: Int64, _ texts: [String]) throws(StoreError) -> [EventRecord] {
        var result: [EventRecord] = []
        do {
            // A store still at schema 2 (its agent not yet upgraded) has no occurrences to show.
            guard try database.columns(of: "events").contains("uid") else { return [] }
            let statement = try database.statement(sql)
            statement.bind(1, from).bind(2, to)
            for (index, text) in texts.enumerated() { statement.bind(Int32(index + 3), text) }
            defer { statement.reset() }
            while try statement.step() { result.append(Self.event(statement)) }
        } catch {
            throw StoreError.database(error)
        }
        return result
    }

    static func event(_ row: SQLiteStatement) -> EventRecord {
        EventRecord(
            time: row.int64(1),
            firstSeen: row.int64(2),
            source: EventRecord.Source(rawValue: row.string(3)) ?? .node,
            type: row.string(4),
            reason: row.string(5),
            object: EventRecord.InvolvedObject(kind: row.string(6), namespace: row.string(7), name: row.string(8)),
            message: row.string(9),
            count: row.int64(10),
            delta: row.int64(11),
            uid: row.string(12),
            node: row.string(13),
            recorded: row.int64(0)
        )
    }
}

extension StoreReader {
    /// The newest store schema this version reads.
    public static let supportedSchemaVersion = StoreSchema.version

    /// The schema version the store was written with (nil for a store from before versions).
    public func schemaVersion() throws(StoreError) -> Int64? {
        try meta("schema_version").flatMap { Int64($0) }
    }
}

import EdgewatchCore
import EdgewatchSQLite

/// Reading events for `GET /api/v1/events`.
extension SQLiteHubStorage {
    public func events(matching filter: HubEventFilter, limit: Int) throws -> [EventRecord] {
        try reader.withLock { reader throws(SQLiteError) -> [EventRecord] in
            var sql = """
                SELECT node, uid, count, ts, first_ts, recorded_ts, source, type, reason, kind, namespace, name, message, delta
                FROM events WHERE ts >= ? AND ts <= ?
                """
            var texts: [String] = []
            for (column, value) in [("node", filter.node), ("reason", filter.reason), ("type", filter.type)] {
                guard let value else { continue }
                sql += " AND \(column) = ?"
                texts.append(value)
            }
            let statement = try reader.statement(sql + " ORDER BY ts, node, uid, count LIMIT ?")
            statement.bind(1, filter.since).bind(2, filter.until)
            for (index, text) in texts.enumerated() { statement.bind(Int32(index + 3), text) }
            statement.bind(Int32(texts.count + 3), Int64(limit))
            defer { statement.reset() }
            var result: [EventRecord] = []
            while try statement.step() {
                result.append(
                    EventRecord(
                        time: statement.int64(3),
                        firstSeen: statement.int64(4),
                        source: EventRecord.Source(rawValue: statement.string(6)) ?? .node,
                        type: statement.string(7),
                        reason: statement.string(8),
                        object: EventRecord.InvolvedObject(kind: statement.string(9), namespace: statement.string(10), name: statement.string(11)),
                        message: statement.string(12),
                        count: statement.int64(2),
                        delta: statement.int64(13),
                        uid: statement.string(1),
                        node: statement.string(0),
                        recorded: statement.int64(5)
                    )
                )
            }
            return result
        }
    }
}

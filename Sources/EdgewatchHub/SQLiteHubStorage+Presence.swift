import EdgewatchSQLite

extension SQLiteHubStorage {
    /// The ``SeriesPresence`` rows of `[start, end]` (in the listing's snapshot, after
    /// ``PresenceMirror/refresh(_:)``), their lists read when first needed; nil when they cannot
    /// answer for it: it starts before the presence mark (blocks stored before the table) or
    /// before a retention mark (retention summarised what was there).
    func presence(start: Int64, end: Int64, _ reader: SQLiteDatabase) throws(SQLiteError) -> PresenceRows? {
        let marks = try reader.statement("SELECT kind, mark FROM maintenance_marks WHERE kind LIKE 'retention/%' OR (node = '' AND kind = ?)")
        defer { marks.reset() }
        marks.bind(1, SeriesPresence.sinceKind)
        var since: Int64?
        while try marks.step() {
            let mark = marks.int64(1)
            if marks.string(0) == SeriesPresence.sinceKind { since = mark } else if mark > start { return nil }
        }
        guard let since, since <= start else { return nil }
        let hours = SeriesPresence.hour(of: start)...SeriesPresence.hour(of: end)
        let rows = PresenceRows { wanted in
            // Within the listing's snapshot: the rows' lists (nil, and the listing reads every
            // label set instead, when the statement failed).
            try? Self.lists(hours: hours, start: start, end: end, of: wanted, reader)
        }
        try presenceMirror.rows(hours: hours, reader) { row in
            guard row.maxTS >= start, row.minTS <= end else { return }
            rows.add(node: row.node, minTS: row.minTS, maxTS: row.maxTS, gap: row.gap, digest: row.digest) { nil }
        }
        return rows.complete ? rows : nil
    }

    /// The lists of the window's rows by digest: one node's with that digest, or all of them.
    private static func lists(
        hours: ClosedRange<Int64>,
        start: Int64,
        end: Int64,
        of wanted: (node: String, digest: [UInt8])?,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> [DigestBytes: [UInt8]] {
        let window = "FROM series_presence WHERE hour BETWEEN ? AND ? AND max_ts >= ? AND min_ts <= ?"
        let statement = try reader.statement("SELECT digest, series \(window)\(wanted == nil ? "" : " AND node = ? AND digest = ?")")
        defer { statement.reset() }
        statement.bind(1, hours.lowerBound).bind(2, hours.upperBound).bind(3, start).bind(4, end)
        if let wanted { statement.bind(5, wanted.node).bind(6, wanted.digest) }
        var lists: [DigestBytes: [UInt8]] = [:]
        while try statement.step() { lists[DigestBytes(statement.blob(0))] = statement.blob(1) }
        return lists
    }

    /// Each node's cluster (``NodeClustersCache``).
    func clusters(_ reader: SQLiteDatabase) throws(SQLiteError) -> [String: String] {
        try nodeClusters.clusters { () throws(SQLiteError) in try reader.nodeClusters() }
    }
}

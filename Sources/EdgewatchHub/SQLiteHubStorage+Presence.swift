import EdgewatchSQLite

extension SQLiteHubStorage {
    /// The ``SeriesPresence`` rows of `[start, end]`; nil when they cannot answer for it: it
    /// starts before the presence mark (blocks stored before the table) or before a retention
    /// mark (retention summarised what was there).
    static func presence(start: Int64, end: Int64, _ reader: SQLiteDatabase) throws(SQLiteError) -> PresenceRows? {
        let marks = try reader.statement("SELECT kind, mark FROM maintenance_marks WHERE kind LIKE 'retention/%' OR (node = '' AND kind = ?)")
        defer { marks.reset() }
        marks.bind(1, SeriesPresence.sinceKind)
        var since: Int64?
        while try marks.step() {
            let mark = marks.int64(1)
            if marks.string(0) == SeriesPresence.sinceKind { since = mark } else if mark > start { return nil }
        }
        guard let since, since <= start else { return nil }
        let statement = try reader.statement(
            "SELECT node, min_ts, max_ts, digest, series, gap FROM series_presence WHERE hour BETWEEN ? AND ? AND max_ts >= ? AND min_ts <= ?"
        )
        defer { statement.reset() }
        statement.bind(1, SeriesPresence.hour(of: start)).bind(2, SeriesPresence.hour(of: end)).bind(3, start).bind(4, end)
        let rows = PresenceRows()
        while try statement.step() {
            let gap = statement.isNull(5) ? nil : statement.int64(5)
            rows.add(node: statement.string(0), minTS: statement.int64(1), maxTS: statement.int64(2), gap: gap, digest: statement.blob(3)) {
                statement.blob(4)
            }
        }
        return rows.complete ? rows : nil
    }
}

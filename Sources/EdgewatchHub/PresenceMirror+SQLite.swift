import EdgewatchSQLite

extension PresenceMirror {
    /// Reads the rows the writer's commits changed again, before a listing's snapshot: a commit
    /// after this is left for the next listing (its rows' new state may or may not be in the
    /// snapshot). Everything is forgotten when that fails.
    func refresh(_ reader: SQLiteDatabase) throws(SQLiteError) {
        guard let rowids = takeChanged() else { return forget() }
        guard !rowids.isEmpty else { return }
        do throws(SQLiteError) {
            let statement = try reader.statement(Self.selectStored + "rowid = ?")
            defer { statement.reset() }
            for rowid in rowids {
                statement.reset()
                statement.bind(1, rowid)
                // An hour not held is read whole when a listing needs it.
                replace(rowid, with: try statement.step() ? Self.stored(statement) : nil)
            }
        } catch {
            forget()
            throw error
        }
    }

    /// The rows of the hours `span` holds (hour starts; in the listing's snapshot) that reach
    /// into `[start, end]`: held, or read and then held; with what listings learned of their
    /// lists' labels under the clusters' `generation` (nil: none).
    func window(
        hours span: ClosedRange<Int64>,
        start: Int64,
        end: Int64,
        generation: Int?,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> PresenceWindow {
        let statement = try reader.statement(Self.selectStored + "hour = ?")
        defer { statement.reset() }
        let hours = try Self.hours(span) { () throws(SQLiteError) in
            let distinct = try reader.statement("SELECT DISTINCT hour FROM series_presence WHERE hour BETWEEN ? AND ? ORDER BY hour")
            defer { distinct.reset() }
            distinct.bind(1, span.lowerBound).bind(2, span.upperBound)
            var hours: [Int64] = []
            while try distinct.step() { hours.append(distinct.int64(0)) }
            return hours
        }
        // Held hours' changes come with the commits' notes.
        return try window(hours: hours, start: start, end: end, generation: generation) { wanted throws(SQLiteError) in
            var rows: [Stored] = []
            for (hour, since) in wanted where since == nil {
                statement.reset()
                statement.bind(1, hour)
                while try statement.step() { rows.append(Self.stored(statement)) }
            }
            return rows
        }
    }

    /// The hours of `span` (hour starts): each one of a span of up to ``hoursListedAtMost``
    /// (held even while it has no row, so that rows added later come with refreshes), else those
    /// with rows (`withRows`).
    static func hours<Failure: Error>(_ span: ClosedRange<Int64>, withRows: () throws(Failure) -> [Int64]) throws(Failure) -> [Int64] {
        let (length, overflow) = span.upperBound.subtractingReportingOverflow(span.lowerBound)
        if !overflow, length / SeriesPresence.hour < hoursListedAtMost {
            return Array(stride(from: span.lowerBound, through: span.upperBound, by: Int(SeriesPresence.hour)))
        }
        return try withRows()
    }

    /// The columns ``stored(_:)`` reads, in its order, before a condition.
    private static let selectStored = "SELECT rowid, hour, node, min_ts, max_ts, gap, digest, dense, content FROM series_presence WHERE "

    /// The row `statement` stands on (``selectStored``'s columns).
    private static func stored(_ statement: SQLiteStatement) -> Stored {
        Stored(
            id: statement.int64(0),
            hour: statement.int64(1),
            node: statement.string(2),
            digest: DigestBytes(statement.blob(6)),
            minTS: statement.int64(3),
            maxTS: statement.int64(4),
            gap: statement.isNull(5) ? nil : statement.int64(5),
            dense: statement.int64(7) != 0,
            content: statement.isNull(8) ? nil : DigestBytes(statement.blob(8))
        )
    }
}

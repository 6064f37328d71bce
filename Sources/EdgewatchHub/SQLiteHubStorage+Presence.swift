import EdgewatchSQLite

extension SQLiteHubStorage {
    /// The ``SeriesPresence`` rows of `[start, end]` (in the listing's snapshot, after
    /// ``PresenceMirror/refresh(_:)``), their lists read when first needed; nil when they cannot
    /// answer for it: it starts before the presence mark (blocks stored before the table) or
    /// before a retention mark (retention summarised what was there).
    /// `generation`: the clusters' (``NodeClustersCache``) the listing reads, for what earlier
    /// listings learned of the lists' labels (nil: none of it).
    func presence(start: Int64, end: Int64, generation: Int? = nil, _ reader: SQLiteDatabase) throws(SQLiteError) -> PresenceRows? {
        try presenceWindow(start: start, end: end, generation: generation, reader).map { PresenceRows($0.window, loader: $0.loader) }
    }

    /// The same before the listing's ``PresenceRows`` are built: the mirror's window and what
    /// reads the rows' lists (``PresenceRows/Loader``).
    func presenceWindow(
        start: Int64,
        end: Int64,
        generation: Int? = nil,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> (window: PresenceWindow, loader: PresenceRows.Loader)? {
        let marks = try reader.statement("SELECT mark FROM maintenance_marks WHERE node = '' AND kind = ?")
        defer { marks.reset() }
        marks.bind(1, SeriesPresence.sinceKind)
        guard try marks.step(), marks.int64(0) <= start, try reader.retentionMarks(after: start).isEmpty else { return nil }
        let hours = SeriesPresence.hour(of: start)...SeriesPresence.hour(of: end)
        let window = try presenceMirror.window(hours: hours, start: start, end: end, generation: generation, reader)
        return (
            window,
            { wanted in
                // Within the listing's snapshot: the rows' lists (nil, and the listing reads every
                // label set instead, when the statement failed).
                try? Self.lists(hours: hours, start: start, end: end, of: wanted, reader)
            }
        )
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
        try clustersAndGeneration(reader).clusters
    }

    /// The same, with the held map's generation (nil when not held).
    func clustersAndGeneration(_ reader: SQLiteDatabase) throws(SQLiteError) -> (clusters: [String: String], generation: Int?) {
        try nodeClusters.clustersAndGeneration { () throws(SQLiteError) in try reader.nodeClusters() }
    }
}

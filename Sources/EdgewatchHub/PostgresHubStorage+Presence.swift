import EdgewatchPostgres

/// The ``SeriesPresence`` rows on PostgreSQL: one per hour, node and distinct list of series
/// (sorted ids as delta varints, keyed by their digest), added in each batch's transaction; replicas storing the
/// same node's batches at once widen the same row.
extension PostgresHubStorage {
    /// Adds a node's rows, or widens the span of those stored with the same lists (at ingest, and
    /// for upkeep's merged row), the gap then the longest of the two and of the space between
    /// their spans (``SeriesPresence/gap(of:)``), or not known (NULL) when either is not; dense
    /// while both are.
    static func recordPresence(node: String, rows: [SeriesPresence.Row], _ connection: PostgresConnection) throws(PostgresError) {
        for row in rows {
            try connection.execute(
                """
                INSERT INTO series_presence(hour, node, digest, min_ts, max_ts, series, gap, dense, content)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (hour, node, digest) DO UPDATE
                    SET min_ts = LEAST(series_presence.min_ts, excluded.min_ts), max_ts = GREATEST(series_presence.max_ts, excluded.max_ts),
                        gap = CASE WHEN series_presence.gap IS NULL OR excluded.gap IS NULL THEN NULL ELSE GREATEST(series_presence.gap,
                            excluded.gap, excluded.min_ts - series_presence.max_ts, series_presence.min_ts - excluded.max_ts) END,
                        dense = series_presence.dense AND excluded.dense, content = coalesce(series_presence.content, excluded.content),
                        changed = pg_current_xact_id()::text::int8
                """,
                [
                    .int(row.hour), .text(node), .bytes(SeriesListDigest.of(row.ids)), .int(row.minTS), .int(row.maxTS),
                    .bytes(SeriesPresence.encode(row.ids)), row.gap.map { .int($0) } ?? .null, .bool(row.dense),
                    row.content.map { .bytes($0) } ?? .null,
                ]
            )
        }
    }

    /// The rows of `[start, end]` in the listing's snapshot (that of `context`), their lists read
    /// when first needed; nil when they cannot answer for it: it starts before the presence mark
    /// (blocks stored before the table) or before a retention mark (retention summarised what was
    /// there). The rows of the window's hours are held between listings (``presenceMirror``): of
    /// a held hour, only those written since the oldest transaction running when it was last
    /// read are read again. Rows retention deleted may stay held: they end before its mark, so
    /// before any window the rows answer for.
    func presence(_ context: QueryContext, start: Int64, end: Int64, _ connection: PostgresConnection) throws(PostgresError) -> PresenceRows? {
        try presenceWindow(context, start: start, end: end, connection).map { PresenceRows($0.window, loader: $0.loader) }
    }

    /// The same before the listing's ``PresenceRows`` are built: the mirror's window and what
    /// reads the rows' lists (``PresenceRows/Loader``).
    func presenceWindow(
        _ context: QueryContext,
        start: Int64,
        end: Int64,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> (window: PresenceWindow, loader: PresenceRows.Loader)? {
        guard let since = context.since, since <= start, context.floors.values.allSatisfy({ $0.values.allSatisfy { $0 <= start } }) else {
            return nil
        }
        let span = SeriesPresence.hour(of: start)...SeriesPresence.hour(of: end)
        let hours = try PresenceMirror.hours(span) { () throws(PostgresError) in
            let distinct = try connection.query(
                "SELECT DISTINCT hour FROM series_presence WHERE hour BETWEEN $1 AND $2 ORDER BY hour",
                [.int(span.lowerBound), .int(span.upperBound)]
            )
            return try (0..<distinct.rowCount).map { row throws(PostgresError) in try distinct.int(row, 0) }
        }
        let window = try presenceMirror.window(
            hours: hours,
            start: start,
            end: end,
            generation: context.generation,
            stamp: "\(context.instance) \(context.presenceEpochs)",
            horizon: context.horizon
        ) { wanted throws(PostgresError) in try Self.presenceRows(wanted, connection) }
        let bounds: [PostgresValue] = [.int(span.lowerBound), .int(span.upperBound), .int(start), .int(end)]
        return (
            window,
            { wanted in
                // Within the listing's snapshot: the rows' lists. Nil (the listing reads every label
                // set instead) when the statement failed.
                let selection = "FROM series_presence WHERE hour BETWEEN $1 AND $2 AND max_ts >= $3 AND min_ts <= $4"
                let one = " AND node = $5 AND digest = $6"
                let statement = "SELECT DISTINCT ON (digest) digest, series \(selection)\(wanted == nil ? "" : one)"
                let values = bounds + (wanted.map { [.text($0.node), .bytes($0.digest)] } ?? [])
                guard let lists = try? connection.query(statement, values) else { return nil }
                var fetched: [DigestBytes: [UInt8]] = [:]
                for row in 0..<lists.rowCount {
                    guard let digest = try? lists.bytes(row, 0), let series = try? lists.bytes(row, 1) else { return nil }
                    fetched[DigestBytes(digest)] = series
                }
                return fetched
            }
        )
    }

    /// Every row of the hours `$1`, and of the hours `$2` those written by a transaction from `$3`
    /// on (through `series_presence(hour, changed)`).
    static let presenceRefresh = """
        SELECT id, hour, node, min_ts, max_ts, gap, digest, dense, content FROM series_presence
            WHERE hour = ANY($1) OR (hour = ANY($2) AND changed >= $3)
        """

    /// In one statement: every row of the hours not held (`since` nil), and of those held, the
    /// rows written by a transaction from the earliest `since` on.
    private static func presenceRows(
        _ wanted: [(hour: Int64, since: Int64?)],
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [PresenceMirror.Stored] {
        let whole = wanted.filter { $0.since == nil }.map(\.hour)
        let held = wanted.compactMap { $0.since == nil ? nil : $0.hour }
        let since = wanted.compactMap(\.since).min() ?? .max
        let rows = try connection.query(presenceRefresh, [.intArray(whole), .intArray(held), .int(since)])
        var stored: [PresenceMirror.Stored] = []
        stored.reserveCapacity(rows.rowCount)
        for row in 0..<rows.rowCount {
            stored.append(
                PresenceMirror.Stored(
                    id: try rows.int(row, 0),
                    hour: try rows.int(row, 1),
                    node: try rows.string(row, 2),
                    digest: DigestBytes(try rows.bytes(row, 6)),
                    minTS: try rows.int(row, 3),
                    maxTS: try rows.int(row, 4),
                    gap: rows.isNull(row, 5) ? nil : try rows.int(row, 5),
                    dense: try rows.bool(row, 7),
                    content: rows.isNull(row, 8) ? nil : DigestBytes(try rows.bytes(row, 8))
                )
            )
        }
        return stored
    }
}

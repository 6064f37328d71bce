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
                INSERT INTO series_presence(hour, node, digest, min_ts, max_ts, series, gap, dense) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (hour, node, digest) DO UPDATE
                    SET min_ts = LEAST(series_presence.min_ts, excluded.min_ts), max_ts = GREATEST(series_presence.max_ts, excluded.max_ts),
                        gap = CASE WHEN series_presence.gap IS NULL OR excluded.gap IS NULL THEN NULL ELSE GREATEST(series_presence.gap,
                            excluded.gap, excluded.min_ts - series_presence.max_ts, series_presence.min_ts - excluded.max_ts) END,
                        dense = series_presence.dense AND excluded.dense
                """,
                [
                    .int(row.hour), .text(node), .bytes(SeriesListDigest.of(row.ids)), .int(row.minTS), .int(row.maxTS),
                    .bytes(SeriesPresence.encode(row.ids)), row.gap.map { .int($0) } ?? .null, .bool(row.dense),
                ]
            )
        }
    }

    /// The rows of `[start, end]`; nil when they cannot answer for it: it starts before the
    /// presence mark `since` (blocks stored before the table) or before a retention mark in
    /// `floors` (retention summarised what was there). `listsLater`: the lists come when first
    /// needed (a label listing whose lists' labels are held needs none).
    static func presence(
        since: Int64?,
        floors: [String: [Int: Int64]],
        start: Int64,
        end: Int64,
        listsLater: Bool = false,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> PresenceRows? {
        guard let since, since <= start, floors.values.allSatisfy({ $0.values.allSatisfy { $0 <= start } }) else { return nil }
        let window: [PostgresValue] = [.int(SeriesPresence.hour(of: start)), .int(SeriesPresence.hour(of: end)), .int(start), .int(end)]
        let selection = "FROM series_presence WHERE hour BETWEEN $1 AND $2 AND max_ts >= $3 AND min_ts <= $4"
        // Each distinct list is sent with one of its rows only: a node's list repeats hour after hour.
        let lists = listsLater ? "NULL::bytea" : "CASE WHEN row_number() OVER (PARTITION BY digest) = 1 THEN series END"
        let rows = try connection.query("SELECT node, min_ts, max_ts, digest, \(lists), gap, dense \(selection)", window)
        let presence = PresenceRows(
            loader: listsLater
                ? { wanted in
                    // Within the listing's snapshot: the same rows' lists. Nil (the listing reads
                    // every label set instead) when the statement failed.
                    let one = " AND node = $5 AND digest = $6"
                    let statement = "SELECT DISTINCT ON (digest) digest, series \(selection)\(wanted == nil ? "" : one)"
                    let values = window + (wanted.map { [.text($0.node), .bytes($0.digest)] } ?? [])
                    guard let lists = try? connection.query(statement, values) else { return nil }
                    var fetched: [DigestBytes: [UInt8]] = [:]
                    for row in 0..<lists.rowCount {
                        guard let digest = try? lists.bytes(row, 0), let series = try? lists.bytes(row, 1) else { return nil }
                        fetched[DigestBytes(digest)] = series
                    }
                    return fetched
                } : nil
        )
        for row in 0..<rows.rowCount {
            let bytes = rows.isNull(row, 4) ? nil : try rows.bytes(row, 4)
            let gap = rows.isNull(row, 5) ? nil : try rows.int(row, 5)
            presence.add(
                node: try rows.string(row, 0),
                minTS: try rows.int(row, 1),
                maxTS: try rows.int(row, 2),
                gap: gap,
                dense: try rows.bool(row, 6),
                digest: try rows.bytes(row, 3)
            ) { bytes }
        }
        return presence.complete ? presence : nil
    }
}

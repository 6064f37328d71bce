import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

/// Deleting the series no block holds any more (``HubRetention``).
extension PostgresMaintenance {
    func seriesIDs(node: String, tier: Tier, endingFrom from: Int64, before to: Int64) throws(PostgresError) -> Set<Int64> {
        let rows = try connection.query(
            "SELECT DISTINCT unnest(series) FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND max_ts < $4",
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(to)]
        )
        return Set(try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.int(row, 0) })
    }

    /// Whether a candidate is held is asked of the blocks' series index, for all of them in one
    /// lookup (a series belongs to one node, so no node is named; the posting lists of series gone
    /// are short, and those of series still sent were mostly taken out of the candidates by
    /// ``HubRetention``). Deleting any bumps the node's series epoch, so that no replica takes an
    /// id it remembers from before (``PostgresHubStorage/knownIDs``, ``ResolvedSeriesTables``).
    func pruneSeries(node: String, candidates: Set<Int64>) throws(PostgresError) -> [PrunedSeries] {
        let rows = try connection.query(
            """
            DELETE FROM series WHERE id = ANY($1)
                AND id NOT IN (SELECT u FROM blocks b, unnest(b.series) u WHERE b.series && $1 AND u = ANY($1))
            RETURNING id, name, labels
            """,
            [.intArray(candidates.sorted())]
        )
        guard rows.rowCount > 0 else { return [] }
        try connection.execute("UPDATE nodes SET series_epoch = series_epoch + 1 WHERE name = $1", [.text(node)])
        return try (0..<rows.rowCount).map { row throws(PostgresError) in
            // One whose labels do not parse has no cache entry to forget by them.
            let labels = SeriesKey.decodeLabels(try rows.string(row, 2), name: try rows.string(row, 1))
            return PrunedSeries(id: try rows.int(row, 0), labels: labels ?? Labels())
        }
    }
}

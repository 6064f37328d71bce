import EdgewatchCore
import EdgewatchPostgres

/// A pattern of metric names (`{__name__=~"node_.*"}`) on PostgreSQL: the hub keeps no names in
/// memory there (replicas add series), so the names are read from the name index, a probe per
/// name, and only the series of those the pattern takes are read, not every label set.
extension PostgresHubStorage {
    /// Every metric name a series has, by a skip over `series_by_name_id`: about a hundred index
    /// probes for a fleet, where `SELECT DISTINCT` would read all its million index entries.
    static let everyName = """
        WITH RECURSIVE names(name) AS ((SELECT name FROM series ORDER BY name LIMIT 1)
            UNION ALL SELECT (SELECT s.name FROM series s WHERE s.name > names.name ORDER BY s.name LIMIT 1)
            FROM names WHERE names.name IS NOT NULL)
        SELECT name FROM names WHERE name IS NOT NULL
        """

    /// The metric names that every `__name__` matcher of `matchers` takes; nil when there is no
    /// such matcher, the matchers take every name (nothing narrows) or the empty one (batch
    /// blocks are named so: such series are found as without a pattern).
    static func namesTaken(by matchers: [LabelMatcher], _ connection: PostgresConnection) throws(PostgresError) -> [String]? {
        let nameMatchers = matchers.filter { $0.name == "__name__" }
        guard !nameMatchers.isEmpty else { return nil }
        let rows = try connection.query(everyName)
        var taken: [String] = []
        for row in 0..<rows.rowCount {
            let name = try rows.string(row, 0)
            if nameMatchers.allSatisfy({ $0.matches(name) }) { taken.append(name) }
        }
        return taken.count < rows.rowCount && !taken.contains("") ? taken : nil
    }

    /// Ids and label sets (with `__name__`) of the series named one of `names` (of those in
    /// `among` when given).
    static func stored(
        namedOneOf names: [String],
        among: Set<Int64>?,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [(id: Int64, labels: Labels)] {
        guard !names.isEmpty else { return [] }
        guard let among else {
            return try decodeSeries(try connection.query("SELECT id, name, labels FROM series WHERE name = ANY($1::text[])", [.textArray(names)]))
        }
        return try decodeSeries(
            try connection.query(
                "SELECT id, name, labels FROM series WHERE name = ANY($1::text[]) AND id = ANY($2::int8[])",
                [.textArray(names), .intArray(among.sorted())]
            )
        )
    }
}

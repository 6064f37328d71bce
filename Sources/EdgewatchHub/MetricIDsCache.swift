/// The ids of the series of the metrics a PostgreSQL replica's queries named lately, so that a
/// query reads of a metric's ids only those of series added since it last read them: every query
/// of a metric reads its ids (a new series is taken at once), and of a fleet metric
/// (`node_cpu_seconds_total` over 2000 nodes, 64,000 series) reading them all took 10 ms of the
/// server's index a query, and their sending as much again.
///
/// A series row carries its transaction's id (`series.added`). Ids read in a snapshot whose
/// oldest running transaction is `horizon` hold every series added by a transaction before it
/// (those had ended); a later snapshot adds the series added by a transaction from `horizon` on.
/// Series are deleted only by retention, which bumps its node's series epoch in the same
/// transaction: while the epochs' sum stays `epochs`, no series of the ids has gone. Anything else
/// (the entry of another database or server start, the epochs moved) reads all of them again.
struct MetricIDsCache: Sendable {
    /// A metric's ids as one snapshot saw them.
    struct Entry: Sendable {
        /// Ascending.
        var ids: [Int64]
        /// The snapshot's oldest running transaction (`pg_snapshot_xmin`).
        var horizon: Int64
        /// The sum of the nodes' series epochs in the snapshot.
        var epochs: Int64
        /// The database and server start (``PostgresHubStorage/QueryContext/instance``).
        var instance: String
    }

    /// Metrics kept a generation (a fleet metric's ids are half a megabyte; all of a million
    /// series, 8 MB).
    static let capacity = 1024
    private var entries = RecentEntries<String, Entry>(age: RecentEntries<String, Entry>.seriesAge, capacity: Self.capacity)

    /// The entry of `name`, when kept.
    mutating func entry(_ name: String, now: Int64) -> Entry? { entries.value(for: name, now: now) }

    /// Keeps `entry` for `name`.
    mutating func keep(_ entry: Entry, for name: String, now: Int64) { entries.insert([name: entry], now: now) }

    /// Metrics kept.
    var count: Int { entries.count }

    /// `ids` (ascending) with `added` (in any order) joined in, ascending and without repeats.
    static func merged(_ ids: [Int64], _ added: [Int64]) -> [Int64] {
        guard !added.isEmpty else { return ids }
        let added = Array(Set(added)).sorted()
        var result: [Int64] = []
        result.reserveCapacity(ids.count + added.count)
        var (left, right) = (0, 0)
        while left < ids.count || right < added.count {
            if right == added.count || (left < ids.count && ids[left] < added[right]) {
                result.append(ids[left])
                left += 1
            } else {
                if left < ids.count, ids[left] == added[right] { left += 1 }
                result.append(added[right])
                right += 1
            }
        }
        return result
    }
}

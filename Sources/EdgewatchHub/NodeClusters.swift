/// The clusters nodes reported (node → cluster, those with one), as a PostgreSQL replica read them
/// last, with the digest of the `nodes` rows they came from (``PostgresHubStorage/QueryContext``):
/// a query's context sends them again only when the digest it computes differs. A fleet's 2000
/// rows, sent, parsed and put in a map at every query, had been a tenth of a query's round trip
/// and a fiftieth of the hub's time answering one metric over the fleet; kept, the map is the same
/// one query after query, so ``WantedSeriesCache`` compares it by identity.
struct NodeClusters: Sendable {
    /// The sum of the rows' 64-bit hashes of each node's name and cluster, as text.
    let digest: String
    let clusters: [String: String]
    /// Counts the digests a replica met: what listings learned under one holds for it alone.
    var generation = 0
}

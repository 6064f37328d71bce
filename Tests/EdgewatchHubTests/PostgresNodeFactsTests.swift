import EdgewatchCore
import EdgewatchPostgres
import EdgewatchWire
import TestServers
import Testing

@testable import EdgewatchHub

/// The nodes' sums every PostgreSQL query compares with what a replica keeps live in one row kept
/// by triggers on `nodes` (``PostgresHubSchema``): it must always equal the sums over the rows.
@Suite(.enabled(if: PostgresServer.usable))
struct PostgresNodeFactsTests {
    /// The sums over the rows, as queries had read them.
    static let summed = """
        SELECT coalesce(sum(series_epoch), 0)::text || ' ' || coalesce(sum(presence_epoch), 0)::text || ' '
            || coalesce(sum(hashtextextended(cluster, hashtextextended(name, 0))), 0)::text FROM nodes
        """
    /// The row.
    static let kept = "SELECT series_epochs::text || ' ' || presence_epochs::text || ' ' || clusters::text FROM node_facts"

    func text(_ pool: PostgresPool, _ sql: String) throws -> String {
        try pool.withConnection { connection throws(PostgresError) in try connection.query(sql).string(0, 0) }
    }

    func execute(_ pool: PostgresPool, _ sql: String) throws {
        try pool.withConnection { connection throws(PostgresError) in try connection.executeScript(sql) }
    }

    /// Joins, reports (a cluster changed, the same one again, one traded), epochs bumped in a
    /// transaction rolled back and in one committed, a rename, a node deleted, the table truncated.
    @Test func theRowFollowsEveryChangeOfTheNodes() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        func same(_ step: String) throws {
            let (kept, summed) = (try text(pool, Self.kept), try text(pool, Self.summed))
            #expect(kept == summed, "after \(step)")
        }
        try same("the migration")
        for node in ["a", "b", "c"] { try storage.registerNode(node, secretHash: "h", at: 1) }
        try same("joins")
        try storage.report(NodeReport(cluster: "shop-1"), node: "a")
        try storage.report(NodeReport(cluster: "shop-2"), node: "b")
        try same("clusters reported")
        try storage.report(NodeReport(cluster: "shop-1", backlogWindows: 4), node: "a")
        try storage.report(NodeReport(cluster: "shop-2"), node: "a")
        try storage.report(NodeReport(cluster: "shop-1"), node: "b")
        try same("clusters traded")
        try execute(pool, "BEGIN; UPDATE nodes SET series_epoch = series_epoch + 5; ROLLBACK")
        try execute(pool, "UPDATE nodes SET series_epoch = series_epoch + 2, presence_epoch = presence_epoch + 3 WHERE name <> 'c'")
        try same("epochs bumped")
        try execute(pool, "UPDATE nodes SET name = 'd' WHERE name = 'c'")
        try same("a rename")
        try execute(pool, "DELETE FROM nodes WHERE name = 'a'")
        try same("a node deleted")
        #expect(try text(pool, Self.kept) != "0 0 0")
        try execute(pool, "TRUNCATE nodes")
        try same("the table truncated")
        try storage.registerNode("e", secretHash: "h", at: 1)
        try same("a join after")
    }

    /// A database from before the row gets it with the sums of the nodes it holds, and a replica
    /// on it still sees the clusters the nodes report since.
    @Test func aDatabaseFromBeforeGetsTheSumsOfItsNodes() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let before = try PostgresHubStorage(
            conninfo: server.url(),
            poolSize: 2,
            migrations: Array(PostgresHubSchema.all.prefix { !$0.contains("node_facts") })
        )
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        for (node, cluster) in [("a", "shop-1"), ("b", "shop-2"), ("c", "")] {
            try before.registerNode(node, secretHash: "h", at: 1)
            try before.report(NodeReport(cluster: cluster), node: node)
        }
        try execute(pool, "UPDATE nodes SET series_epoch = 7, presence_epoch = 9 WHERE name = 'b'")
        #expect(try text(pool, "SELECT (to_regclass('node_facts') IS NULL)::text") == "true")
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        #expect(try text(pool, Self.kept) == (try text(pool, Self.summed)))
        #expect(try text(pool, Self.kept).hasPrefix("7 9 "))
        let window = HubStorageContractTests.window
        #expect(try storage.ingest(HubStorageContractTests().batch("metrics/1m/60s", window, [window], node: "a"), receivedAt: 2))
        let matcher = try LabelMatcher(name: "cluster", operation: .equal, value: "shop-1")
        #expect(try storage.select([matcher], start: 0, end: .max).compactMap { $0.labels["node"] } == ["a"])
        try storage.report(NodeReport(cluster: "shop-3"), node: "a")
        #expect(try storage.select([matcher], start: 0, end: .max).isEmpty, "the cluster reported since")
    }
}

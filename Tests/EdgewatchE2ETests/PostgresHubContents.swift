import EdgewatchPostgres

#if canImport(Glibc)
import Glibc
#endif

/// What hub replicas stored in their shared PostgreSQL database.
struct PostgresHubContents: HubContents {
    let pool: PostgresPool

    init(url: String) throws {
        pool = try PostgresPool(conninfo: url, size: 1)
    }

    /// Lends the connection, again after a lost one for up to 15 s (the test restarts the server,
    /// and on a loaded machine the first reconnection can land before it accepts connections).
    private func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) throws(PostgresError) -> T) throws -> T {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            do {
                return try pool.withConnection(body)
            } catch {
                guard error.isTransient, ContinuousClock.now < deadline else { throw error }
                usleep(100_000)
            }
        }
    }

    /// The join token the first replica stored.
    func joinToken() throws -> String {
        try withConnection { connection throws(PostgresError) in
            try connection.query("SELECT value FROM settings WHERE key = 'join_token'").string(0, 0)
        }
    }

    func rows(node: String, tier: Int64, _ visit: (String, [Double]) -> Void) throws {
        let (series, blocks) = try withConnection { connection throws(PostgresError) in
            let seriesRows = try connection.query("SELECT id, name, labels FROM series")
            var series: [(Int64, String, String)] = []
            for row in 0..<seriesRows.rowCount {
                series.append((try seriesRows.int(row, 0), try seriesRows.string(row, 1), try seriesRows.string(row, 2)))
            }
            let blockRows = try connection.query("SELECT series, data FROM blocks WHERE tier = $1 AND node = $2", [.int(tier), .text(node)])
            var blocks: [([Int64], [UInt8])] = []
            for row in 0..<blockRows.rowCount { blocks.append((try blockRows.intArray(row, 0), try blockRows.bytes(row, 1))) }
            return (series, blocks)
        }
        var names: [Int64: String] = [:]
        for (id, name, labels) in series { HubContentsDecoding.name(id: id, name: name, labels: labels, node: node, into: &names) }
        for (ids, data) in blocks { try HubContentsDecoding.visit(ids: ids, data: data, names: names, visit) }
    }

    /// Runs a statement as another hub (or an operator) would.
    func execute(_ sql: String) throws {
        _ = try withConnection { connection throws(PostgresError) in try connection.execute(sql) }
    }

    func eventKeys(node: String) throws -> [String] {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("SELECT uid, count FROM events WHERE node = $1 ORDER BY uid, count", [.text(node)])
            var keys: [String] = []
            for row in 0..<rows.rowCount { keys.append("\(try rows.string(row, 0))#\(try rows.int(row, 1))") }
            return keys
        }
    }
}

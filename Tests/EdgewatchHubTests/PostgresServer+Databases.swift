import EdgewatchPostgres
import TestServers

extension PostgresServer {
    /// Runs `sql` in the server's `postgres` database on a connection of its own (a test making or
    /// dropping the database its storage uses); the connection ends with the call.
    func administer(_ sql: String) throws {
        let admin = try PostgresPool(conninfo: url(), size: 1)
        _ = try admin.withConnection { connection throws(PostgresError) in try connection.execute(sql) }
    }
}

import EdgewatchSQLite

/// Where the store's bytes go, table by table.
extension StoreReader {
    /// Bytes of pages per table, its indexes included (SQLite's `dbstat`); throws where the
    /// SQLite library was built without it.
    public func tableBytes() throws(StoreError) -> [String: Int64] {
        var sizes: [String: Int64] = [:]
        do {
            let statement = try database.statement(
                "SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat AS d JOIN sqlite_master AS m ON m.name = d.name GROUP BY m.tbl_name"
            )
            defer { statement.reset() }
            while try statement.step() { sizes[statement.string(0)] = statement.int64(1) }
        } catch {
            throw StoreError.database(error)
        }
        return sizes
    }
}

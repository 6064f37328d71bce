import EdgewatchPostgres

/// Rolling upgrades: replicas are upgraded one at a time while the others ingest. The first
/// upgraded replica migrates the shared schema at its start; from then on the older replicas
/// store nothing (they would write what the newer schema does not expect, such as batches
/// without the rows a new table keeps). Their writes fail, so agents are answered 503 and retry,
/// through the proxy, against an upgraded replica; their `/healthz` answers 503 so a load
/// balancer drains them. Every writing transaction first takes the migration lock shared, so a
/// migration waits for the writes in flight and the writes queued behind it see its version.
extension PostgresHubStorage {
    /// The first statement of a writing transaction: the migration lock shared, then the node's
    /// lock (the one ingest and upkeep take per node) when one is named.
    static func lockForWriting(node: String?, _ connection: PostgresConnection) throws(PostgresError) {
        if let node {
            try connection.execute(
                "SELECT pg_advisory_xact_lock_shared($1), pg_advisory_xact_lock(hashtextextended($2, 0))",
                [.int(PostgresHubSchema.migrationLock), .text(node)]
            )
        } else {
            try connection.execute("SELECT pg_advisory_xact_lock_shared($1)", [.int(PostgresHubSchema.migrationLock)])
        }
    }

    /// ``lockForWriting(node:_:)`` then the schema's version, read in a statement of its own (a
    /// statement's snapshot is taken before it waits for a lock, so one that waited out a
    /// migration would not see it).
    func fenceWrites(node: String? = nil, _ connection: PostgresConnection) throws(PostgresError) {
        try Self.lockForWriting(node: node, connection)
        try checkSchema(version: try connection.query(PostgresHubSchema.versionQuery).int(0, 0))
    }

    /// Refuses a write that read a schema version newer than this hub's.
    func checkSchema(version: Int64) throws(PostgresError) {
        guard record(version: version) else { throw PostgresError(.result, refusal(version: version)) }
    }

    /// Reads the schema's version outside any write (the remote_write sender's check before it
    /// claims a target); false when a newer hub migrated the database.
    func refreshSchemaVersion() throws(PostgresError) -> Bool {
        let version = try pool.withConnection { connection throws(PostgresError) -> Int64 in
            try connection.query(PostgresHubSchema.versionQuery).int(0, 0)
        }
        return record(version: version)
    }

    /// Records the database's schema version as last read (``writesRefused``); false when it is
    /// newer than this hub's.
    private func record(version: Int64) -> Bool {
        let newer = version > schemaVersion
        newerSchema.withLock { $0 = newer ? version : nil }
        return !newer
    }

    public var writesRefused: String? {
        newerSchema.withLock { $0 }.map(refusal(version:))
    }

    func refusal(version: Int64) -> String {
        "the database has schema version \(version) but this hub knows \(schemaVersion): "
            + "a newer edgewatch replica migrated it, so this one stores nothing until it is upgraded"
    }
}

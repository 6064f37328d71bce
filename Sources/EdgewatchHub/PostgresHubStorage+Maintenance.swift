import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    /// One retention pass over every node; each step is a transaction holding the node's lock (the
    /// one its ingest takes), so replicas running passes at once never handle a period twice.
    public func retain(policy: RetentionPolicy, now: Int64, budget: Int) throws -> RetentionReport {
        try maintain(tiers: Tier.allCases, budget: budget) { node, tier, store throws(PostgresError) in
            try HubRetention.step(node: node, tier: tier, policy: policy, now: now, in: store)
        }
    }

    public func compact(now: Int64, budget: Int) throws -> RetentionReport {
        try maintain(tiers: [.raw, .minute], budget: budget) { node, tier, store throws(PostgresError) in
            try HubCompaction.step(node: node, tier: tier, now: now, in: store)
        }
    }

    private func maintain(
        tiers: [Tier],
        budget: Int,
        step: @escaping @Sendable (String, Tier, PostgresMaintenance) throws(PostgresError) -> HubMaintenancePass.Step?
    ) throws(PostgresError) -> RetentionReport {
        let nodes = try pool.withConnection { connection throws(PostgresError) -> [String] in
            let rows = try connection.query("SELECT name FROM nodes ORDER BY name")
            return try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.string(row, 0) }
        }
        return try HubMaintenancePass.run(nodes: nodes, tiers: tiers, budget: budget) { node, tier throws(PostgresError) in
            try pool.withConnection { connection throws(PostgresError) -> HubMaintenancePass.Step? in
                try connection.transaction { connection throws(PostgresError) -> HubMaintenancePass.Step? in
                    try fenceWrites(node: node, connection)
                    return try step(node, tier, PostgresMaintenance(connection: connection))
                }
            }
        }
    }
}

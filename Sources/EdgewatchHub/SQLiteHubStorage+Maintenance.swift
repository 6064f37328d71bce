import EdgewatchEncoding
import EdgewatchSQLite

extension SQLiteHubStorage {
    /// The writer is taken per step, so ingest goes on between them.
    public func retain(policy: RetentionPolicy, now: Int64, budget: Int) throws -> RetentionReport {
        try maintain(tiers: Tier.allCases, budget: budget) { writer, node, tier throws(SQLiteError) in
            try writer.retain(node: node, tier: tier, policy: policy, now: now)
        }
    }

    public func compact(now: Int64, budget: Int) throws -> RetentionReport {
        try maintain(tiers: [.raw, .minute], budget: budget) { writer, node, tier throws(SQLiteError) in
            try writer.compact(node: node, tier: tier, now: now)
        }
    }

    private func maintain(
        tiers: [Tier],
        budget: Int,
        step: (inout HubDatabaseWriter, String, Tier) throws(SQLiteError) -> HubMaintenancePass.Step?
    ) throws(SQLiteError) -> RetentionReport {
        let nodes = try reader.withLock { reader throws(SQLiteError) -> [String] in try reader.nodeNames() }
        return try HubMaintenancePass.run(nodes: nodes, tiers: tiers, budget: budget) { node, tier throws(SQLiteError) -> HubMaintenancePass.Step? in
            let done = try writer.withLock { writer throws(SQLiteError) -> HubMaintenancePass.Step? in try step(&writer, node, tier) }
            // Series retention deleted leave the queries' ids by name (after the writer's lock).
            if let pruned = done?.pruned, !pruned.isEmpty { namedIDs.withLock { $0.remove(pruned) } }
            return done
        }
    }
}

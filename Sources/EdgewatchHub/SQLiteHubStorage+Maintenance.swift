import EdgewatchSQLite

extension SQLiteHubStorage {
    public func retain(policy: RetentionPolicy, now: Int64, budget: Int) throws -> RetentionReport {
        // The writer is taken per step, so ingest goes on between them.
        let nodes = try reader.withLock { reader throws(SQLiteError) -> [String] in try reader.nodeNames() }
        return try HubRetention.pass(nodes: nodes, budget: budget) { node, tier throws(SQLiteError) -> HubRetention.Step? in
            try writer.withLock { writer throws(SQLiteError) -> HubRetention.Step? in
                try writer.retain(node: node, tier: tier, policy: policy, now: now)
            }
        }
    }
}

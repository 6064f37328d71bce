import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    public func setRemoteWriteTargets(_ targets: [String]) throws {
        try pool.withConnection { connection throws(PostgresError) in
            try connection.transaction { connection throws(PostgresError) in
                try fenceWrites(connection)
                for table in [
                    "remote_write_targets WHERE name", "remote_write_queue WHERE target", "remote_write_refused WHERE target",
                    "remote_write_high_water WHERE target",
                ] {
                    try connection.execute("DELETE FROM \(table) <> ALL($1)", [.textArray(targets)])
                }
                try connection.execute(
                    "INSERT INTO remote_write_targets(name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                    [.textArray(targets)]
                )
            }
        }
    }

    /// The replica holding the target's session advisory lock sends; the others wait for it to go.
    /// A replica a newer one has migrated past lets its leases go, so an upgraded one sends.
    public func claimRemoteWrite(target: String) throws -> Bool {
        guard try refreshSchemaVersion() else {
            leases.withLock { $0[target]?.release() }
            return false
        }
        let lease = leases.withLock { leases in
            if let lease = leases[target] { return lease }
            let lease = PostgresAdvisoryLease(conninfo: conninfo, name: "edgewatch remote_write " + target)
            leases[target] = lease
            return lease
        }
        return lease.isHeld()
    }

    public func remoteWriteQueue(target: String, limit: Int) throws -> [QueuedBlock] {
        try pool.withConnection { connection throws(PostgresError) -> [QueuedBlock] in
            let rows = try connection.query(
                """
                SELECT q.block, b.tier, b.series, b.data, coalesce(n.cluster, '') FROM remote_write_queue q JOIN blocks b ON b.id = q.block
                    LEFT JOIN nodes n ON n.name = b.node WHERE q.target = $1 ORDER BY q.block LIMIT $2
                """,
                [.text(target), .int(Int64(limit))]
            )
            var blocks: [QueuedBlock.Row] = []
            for row in 0..<rows.rowCount {
                blocks.append(
                    (try rows.int(row, 0), try rows.int(row, 1), try rows.intArray(row, 2), try rows.bytes(row, 3), try rows.string(row, 4))
                )
            }
            let wanted = Array(Set(blocks.flatMap(\.ids)))
            let series = try connection.query("SELECT id, name, labels, type FROM series WHERE id = ANY($1)", [.intArray(wanted)])
            var described: [Int64: QueuedBlock.Description] = [:]
            for row in 0..<series.rowCount {
                described[try series.int(row, 0)] = (try series.string(row, 1), try series.string(row, 2), try series.int(row, 3))
            }
            return QueuedBlock.blocks(blocks, described: described)
        }
    }

    public func remoteWriteSent(target: String, blocks: [Int64], highWater: [UInt64: Int64]) throws {
        try pool.withConnection { connection throws(PostgresError) in
            try connection.transaction { connection throws(PostgresError) in
                try fenceWrites(connection)
                try connection.execute(
                    "DELETE FROM remote_write_queue WHERE target = $1 AND block = ANY($2)",
                    [.text(target), .intArray(blocks)]
                )
                guard !highWater.isEmpty else { return }
                try connection.execute(
                    """
                    INSERT INTO remote_write_high_water(target, series, ts) SELECT $1, unnest($2::int8[]), unnest($3::int8[])
                    ON CONFLICT (target, series) DO UPDATE SET ts = greatest(remote_write_high_water.ts, excluded.ts)
                    """,
                    [.text(target), .intArray(highWater.keys.map { Int64(bitPattern: $0) }), .intArray(Array(highWater.values))]
                )
            }
        }
    }

    public func remoteWriteForget(target: String, before: Int64) throws {
        _ = try pool.withConnection { connection throws(PostgresError) in
            try connection.execute("DELETE FROM remote_write_high_water WHERE target = $1 AND ts < $2", [.text(target), .int(before)])
        }
    }

    public func remoteWriteHighWater(target: String) throws -> [UInt64: Int64] {
        try pool.withConnection { connection throws(PostgresError) -> [UInt64: Int64] in
            let rows = try connection.query("SELECT series, ts FROM remote_write_high_water WHERE target = $1", [.text(target)])
            var result: [UInt64: Int64] = [:]
            for row in 0..<rows.rowCount { result[UInt64(bitPattern: try rows.int(row, 0))] = try rows.int(row, 1) }
            return result
        }
    }

    public func remoteWriteRefused(target: String, blocks: [Int64], status: Int, reason: String, at time: Int64) throws {
        try pool.withConnection { connection throws(PostgresError) in
            try connection.transaction { connection throws(PostgresError) in
                try fenceWrites(connection)
                try connection.execute(
                    "DELETE FROM remote_write_queue WHERE target = $1 AND block = ANY($2)",
                    [.text(target), .intArray(blocks)]
                )
                try connection.execute(
                    """
                    INSERT INTO remote_write_refused(target, block, at, status, reason) SELECT $1, unnest($2::int8[]), $3, $4, $5
                    ON CONFLICT (target, block) DO UPDATE SET at = excluded.at, status = excluded.status, reason = excluded.reason
                    """,
                    [.text(target), .intArray(blocks), .int(time), .int(Int64(status)), .text(reason)]
                )
            }
        }
    }

    public func remoteWriteCounts() throws -> [String: RemoteWriteQueueCounts] {
        try pool.withConnection { connection throws(PostgresError) -> [String: RemoteWriteQueueCounts] in
            let rows = try connection.query(
                """
                SELECT t.name, (SELECT count(*) FROM remote_write_queue q WHERE q.target = t.name),
                    (SELECT count(*) FROM remote_write_refused r WHERE r.target = t.name) FROM remote_write_targets t
                """
            )
            var counts: [String: RemoteWriteQueueCounts] = [:]
            for row in 0..<rows.rowCount {
                counts[try rows.string(row, 0)] = RemoteWriteQueueCounts(queued: try rows.int(row, 1), refused: try rows.int(row, 2))
            }
            return counts
        }
    }
}

import EdgewatchSQLite

extension SQLiteHubStorage {
    public func setRemoteWriteTargets(_ targets: [String]) throws {
        try writer.withLock { writer throws(SQLiteError) in try writer.setRemoteWriteTargets(targets) }
    }

    /// One process owns the file: it always sends.
    public func claimRemoteWrite(target: String) throws -> Bool { true }

    public func remoteWriteQueue(target: String, limit: Int) throws -> [QueuedBlock] {
        try reader.withLock { reader throws(SQLiteError) -> [QueuedBlock] in try reader.remoteWriteQueue(target: target, limit: limit) }
    }

    public func remoteWriteSent(target: String, blocks: [Int64], highWater: [UInt64: Int64]) throws {
        try writer.withLock { writer throws(SQLiteError) in try writer.remoteWriteSent(target: target, blocks: blocks, highWater: highWater) }
    }

    /// A few thousand series per transaction, so that ingest waits for none long.
    public func remoteWriteForget(target: String, before: Int64) throws {
        var after: Int64?
        repeat {
            after = try writer.withLock { [after] writer throws(SQLiteError) -> Int64? in
                try writer.remoteWriteForget(target: target, before: before, after: after, limit: 4096)
            }
        } while after != nil
    }

    public func remoteWriteHighWater(target: String) throws -> [UInt64: Int64] {
        try reader.withLock { reader throws(SQLiteError) -> [UInt64: Int64] in try reader.remoteWriteHighWater(target: target) }
    }

    public func remoteWriteRefused(target: String, blocks: [Int64], status: Int, reason: String, at time: Int64) throws {
        try writer.withLock { writer throws(SQLiteError) in
            try writer.remoteWriteRefused(target: target, blocks: blocks, status: status, reason: reason, at: time)
        }
    }

    public func remoteWriteCounts() throws -> [String: RemoteWriteQueueCounts] {
        try reader.withLock { reader throws(SQLiteError) -> [String: RemoteWriteQueueCounts] in try reader.remoteWriteCounts() }
    }
}

import EdgewatchSQLite

extension StoreReader {
    /// One run of cycles with the same boot, clock state and correction.
    public struct ClockSpan: Sendable, Equatable {
        public var bootID: String
        public var from: Int64
        public var to: Int64
        public var synced: Bool
        public var offsetMilliseconds: Int64
    }

    /// The boots and clock states of the cycles overlapping [from, to], in time order.
    public func clockSpans(from: Int64, to: Int64) throws(StoreError) -> [ClockSpan] {
        do {
            let statement = try database.statement(
                """
                SELECT coalesce(b.boot_id, ''), c.synced, c.offset_ms, min(c.first_ts), max(c.last_ts)
                FROM cycles c LEFT JOIN boots b ON b.seq = c.boot_seq
                WHERE c.last_ts >= ? AND c.first_ts <= ?
                GROUP BY c.boot_seq, c.synced, c.offset_ms ORDER BY min(c.first_ts)
                """
            )
            statement.bind(1, from).bind(2, to)
            defer { statement.reset() }
            var result: [ClockSpan] = []
            while try statement.step() {
                result.append(
                    ClockSpan(
                        bootID: statement.string(0),
                        from: max(from, statement.int64(3)),
                        to: min(to, statement.int64(4)),
                        synced: statement.int64(1) != 0,
                        offsetMilliseconds: statement.int64(2)
                    )
                )
            }
            return result
        } catch {
            throw StoreError.database(error)
        }
    }

    /// The newest cycle time of clock era `era` once a later era began; it outlives the era's
    /// cycles, which eviction deletes. Nil for the current era and for eras ended by older versions.
    public func eraEnd(_ era: Int64) throws(StoreError) -> Int64? {
        try meta(StoreWriter.eraEndKey(era)).flatMap { Int64($0) }
    }
}

import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// Read-only access to a store, safe while the agent writes (WAL readers never block the writer).
public final class StoreReader {
    let database: SQLiteDatabase
    /// Whether block rows carry time ranges and restart points (schema 2); older stores are read
    /// from each segment's start.
    let indexed: Bool
    /// Whether segments and cycles carry their clock era (schema 5); older stores are all era 0.
    let hasEras: Bool
    /// Blocks decoded so far (what the restart points save is visible in tests).
    private(set) var blocksDecoded = 0

    /// Opens the store at `path` read-only.
    public init(path: String) throws(StoreError) {
        do {
            database = try SQLiteDatabase(path: path, readOnly: true)
            _ = try database.integer("SELECT count(*) FROM meta")
            indexed = try StoreSchema.hasBlockIndex(database)
            hasEras = try database.columns(of: "segments").contains("era")
        } catch {
            throw StoreError.database(error)
        }
    }

    /// Every series whose key satisfies `matches`, with its id.
    public func series(where matches: (SeriesKey) -> Bool) throws(StoreError) -> [(Int64, SeriesKey)] {
        var result: [(Int64, SeriesKey)] = []
        do {
            let statement = try database.statement("SELECT id, name, labels, type FROM series ORDER BY id")
            while try statement.step() {
                guard let labels = SeriesKey.decodeLabels(statement.string(2)) else {
                    throw StoreError.corrupt("labels of series \(statement.int64(0))")
                }
                let key = SeriesKey(name: statement.string(1), labels: labels, type: .stored(statement.int64(3)))
                if matches(key) { result.append((statement.int64(0), key)) }
            }
        } catch {
            throw StoreError(mapping: error)
        }
        return result
    }

    /// Points of the given series at `tier` within [from, to] (ms), clock corrections applied;
    /// only those of clock era `era` when given. Rollup buckets written twice (a partial bucket at
    /// shutdown, the rest after restart) are merged.
    public func points(ids: Set<Int64>, tier: Tier, from: Int64, to: Int64, era: Int64? = nil) throws(StoreError) -> [Int64: [(Int64, [Double])]] {
        var result: [Int64: [(Int64, [Double])]] = [:]
        do {
            let segments = try database.statement(
                """
                SELECT id, offset_ms FROM segments WHERE tier = ? AND max_ts >= ? AND min_ts <= ?\(eraFilter(era)) ORDER BY min_ts, id
                """
            )
            segments.bind(1, Int64(tier.rawValue)).bind(2, from - tier.bucketMilliseconds).bind(3, to)
            var list: [(Int64, Int64)] = []
            while try segments.step() { list.append((segments.int64(0), segments.int64(1))) }
            for (segmentID, offset) in list {
                try decode(segment: segmentID, offset: offset, tier: tier, from: from, to: to) { timestamps, block in
                    for series in block.series where ids.contains(series.id) {
                        for point in series.rows(timestamps: timestamps) where point.0 >= from && point.0 <= to {
                            result[series.id, default: []].append(point)
                        }
                    }
                }
            }
        } catch {
            throw StoreError(mapping: error)
        }
        for (id, points) in result {
            result[id] = Self.merged(points.sorted { $0.0 < $1.0 }, rollup: tier != .raw)
        }
        return result
    }

    /// Decodes the blocks of a segment that can hold points in [from, to], starting at the last
    /// codec restart before `from`; `visit` gets each block with its corrected timestamps.
    private func decode(
        segment: Int64,
        offset: Int64,
        tier: Tier,
        from: Int64,
        to: Int64,
        _ visit: ([Int64], Block) -> Void
    ) throws(StoreError) {
        let first = StoreSchema.blockID(segment: segment, sequence: 0)
        let end = StoreSchema.blockID(segment: segment + 1, sequence: 0)
        do {
            var start = first
            var sql = "SELECT data, 0 FROM blocks WHERE id >= ? AND id < ? ORDER BY id"
            if indexed {
                // Block times are as written; the segment's clock offset is added when read.
                let restart = try database.statement("SELECT max(id) FROM blocks WHERE id >= ? AND id < ? AND restart = 1 AND min_ts <= ?")
                restart.bind(1, first).bind(2, end).bind(3, from - tier.bucketMilliseconds - offset)
                if try restart.step(), !restart.isNull(0) { start = restart.int64(0) }
                restart.reset()
                sql = "SELECT data, restart FROM blocks WHERE id >= ? AND id < ? AND (min_ts IS NULL OR min_ts <= ?) ORDER BY id"
            }
            let blocks = try database.statement(sql)
            blocks.bind(1, start).bind(2, end)
            if indexed { blocks.bind(3, to - offset) }
            var codec = BlockCodec()
            while try blocks.step() {
                // The writer started its codec afresh at a restart block; so does the reader.
                if blocks.int64(1) == 1 { codec = BlockCodec() }
                let block: Block
                do {
                    block = try codec.decode(blocks.blob(0))
                } catch {
                    throw StoreError.corrupt("segment \(segment): \(error)")
                }
                blocksDecoded += 1
                visit(block.timestamps.map { $0 + offset }, block)
            }
        } catch {
            throw StoreError(mapping: error)
        }
    }

    static func merged(_ points: [(Int64, [Double])], rollup: Bool) -> [(Int64, [Double])] {
        var output: [(Int64, [Double])] = []
        for point in points {
            if let last = output.last, last.0 == point.0 {
                if rollup, last.1.count == 5, point.1.count == 5 {
                    let a = last.1
                    let b = point.1
                    output[output.count - 1].1 = [min(a[0], b[0]), max(a[1], b[1]), a[2] + b[2], a[3] + b[3], b[4]]
                } else {
                    output[output.count - 1] = point
                }
            } else {
                output.append(point)
            }
        }
        return output
    }

    /// Gaps overlapping [from, to].
    public func gaps(from: Int64, to: Int64) throws(StoreError) -> [GapRecord] {
        try rows("SELECT tier, kind, start_ts, end_ts FROM gaps WHERE end_ts >= ? AND start_ts <= ? ORDER BY start_ts", from, to) { row in
            guard let tier = Tier(rawValue: Int(row.int64(0))), let kind = GapRecord.Kind(rawValue: row.string(1)) else { return nil }
            return GapRecord(tier: tier, kind: kind, start: row.int64(2), end: row.int64(3))
        }
    }

    /// Where the earliest gap reaching `from` or later starts; nil when there is none.
    public func firstGapStart(endingFrom from: Int64) throws(StoreError) -> Int64? {
        try optionalInteger("SELECT min(start_ts) FROM gaps WHERE end_ts >= ?", from)
    }

    /// The one value of a query bound to `value`; nil when it is NULL (an aggregate over no rows).
    func optionalInteger(_ sql: String, _ value: Int64) throws(StoreError) -> Int64? {
        do {
            let statement = try database.statement(sql)
            statement.bind(1, value)
            defer { statement.reset() }
            guard try statement.step(), !statement.isNull(0) else { return nil }
            return statement.int64(0)
        } catch {
            throw StoreError.database(error)
        }
    }

    /// Runs a query bound to a [from, to] range and maps each row (nil rows are skipped).
    private func rows<T>(_ sql: String, _ from: Int64, _ to: Int64, _ map: (SQLiteStatement) -> T?) throws(StoreError) -> [T] {
        var result: [T] = []
        do {
            let statement = try database.statement(sql)
            statement.bind(1, from).bind(2, to)
            while try statement.step() {
                if let value = map(statement) { result.append(value) }
            }
        } catch {
            throw StoreError.database(error)
        }
        return result
    }

    /// Recorded cycle timestamps within [from, to] (clock corrections applied).
    public func cycleTimestamps(from: Int64, to: Int64) throws(StoreError) -> [Int64] {
        var result: [Int64] = []
        do {
            let statement = try database.statement("SELECT offset_ms, data FROM cycles WHERE last_ts >= ? AND first_ts <= ? ORDER BY id")
            statement.bind(1, from).bind(2, to)
            while try statement.step() {
                let offset = statement.int64(0)
                let data = statement.blob(1)
                var index = 0
                let count = try Varint.read(data, at: &index)
                var timestamp: Int64 = 0
                for _ in 0..<count {
                    timestamp &+= try Varint.readSigned(data, at: &index)
                    _ = try Varint.readSigned(data, at: &index)
                    _ = try Varint.read(data, at: &index)
                    if timestamp + offset >= from, timestamp + offset <= to { result.append(timestamp + offset) }
                }
            }
        } catch let error as SQLiteError {
            throw StoreError.database(error)
        } catch {
            throw StoreError.corrupt("cycles: \(error)")
        }
        return result.sorted()
    }

    /// The first and last committed cycle timestamps (of clock era `era` when given), nil for an
    /// empty store. Clock corrections are applied once: the columns hold corrected times,
    /// `offset_ms` is what the blobs still need.
    public func cycleBounds(era: Int64? = nil) throws(StoreError) -> (first: Int64, last: Int64)? {
        do {
            let statement = try database.statement("SELECT min(first_ts), max(last_ts), count(*) FROM cycles WHERE 1\(eraFilter(era))")
            // Reset at once: a statement left mid-result keeps its read snapshot, hiding later commits.
            defer { statement.reset() }
            guard try statement.step(), statement.int64(2) > 0 else { return nil }
            return (statement.int64(0), statement.int64(1))
        } catch {
            throw StoreError.database(error)
        }
    }

    /// The oldest timestamp still held at `tier` (in clock era `era` when given), nil when none.
    public func oldestTimestamp(tier: Tier, era: Int64? = nil) throws(StoreError) -> Int64? {
        do {
            let statement = try database.statement("SELECT min(min_ts), count(*) FROM segments WHERE tier = ?\(eraFilter(era))")
            statement.bind(1, Int64(tier.rawValue))
            defer { statement.reset() }
            guard try statement.step(), statement.int64(1) > 0 else { return nil }
            return statement.int64(0)
        } catch {
            throw StoreError.database(error)
        }
    }

    /// The earliest time at or after `from` that anything committed may sit at: a segment of `tier`
    /// or coarser (of era `era` when given) reaching `from` or later, a gap, or an event recorded
    /// then; nil when there is nothing. A segment that started before `from` and reaches past it
    /// yields its start (at most `from`), so the answer never skips held data.
    public func nextActivity(from: Int64, tier: Tier, era: Int64? = nil) throws(StoreError) -> Int64? {
        do {
            let queries = [
                "SELECT min(min_ts) FROM segments WHERE tier >= \(tier.rawValue) AND max_ts >= ?\(eraFilter(era))",
                "SELECT min(start_ts) FROM gaps WHERE end_ts >= ?",
                "SELECT min(recorded_ts) FROM events WHERE recorded_ts >= ?",
            ]
            var earliest: Int64?
            for sql in queries {
                let statement = try database.statement(sql)
                statement.bind(1, from)
                defer { statement.reset() }
                if try statement.step(), !statement.isNull(0) { earliest = min(earliest ?? .max, statement.int64(0)) }
            }
            return earliest
        } catch {
            throw StoreError.database(error)
        }
    }

    /// The current clock era as committed (0 for an empty or older store).
    public func newestEra() throws(StoreError) -> Int64 {
        guard hasEras else { return 0 }
        do {
            return try database.integer(StoreWriter.newestEraQuery)
        } catch {
            throw StoreError.database(error)
        }
    }

    /// An SQL condition selecting clock era `era` (an integer, so inlined); empty for all eras.
    private func eraFilter(_ era: Int64?) -> String {
        guard let era else { return "" }
        return hasEras ? " AND era = \(era)" : (era == 0 ? "" : " AND 0")
    }

    /// `PRAGMA integrity_check` ("ok" when sound).
    public func integrityCheck() throws(StoreError) -> String {
        do {
            let statement = try database.statement("PRAGMA integrity_check")
            var lines: [String] = []
            while try statement.step() { lines.append(statement.string(0)) }
            return lines.joined(separator: "\n")
        } catch {
            throw StoreError.database(error)
        }
    }
}

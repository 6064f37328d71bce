import EdgewatchEncoding

/// A summary kept at ingest, per node and hour: which series have a point in that hour, and the
/// span their points lie in. A row holds one distinct list of series (sorted ids, keyed by its
/// digest), so a node whose series stay the same adds one row an hour, and later batches only
/// widen its span. A listing (`/api/v1/series`, label names and values) reads the rows of its
/// window rather than every block there: a row wholly inside the window, or a dense one with a
/// part in it at least as long as its gap, means each of its series has a point there; series
/// only in other rows that reach past an edge are checked in the blocks of those edges alone.
/// Series that died long ago (pod churn) are in no row of the window, so they cost a listing
/// nothing.
enum SeriesPresence {
    /// An hour, in milliseconds: rows never span two.
    static let hour: Int64 = 3_600_000

    /// One row: a node's series with a point in `[minTS, maxTS]`, within one hour.
    struct Row: Equatable {
        var hour: Int64
        var minTS: Int64
        var maxTS: Int64
        /// Sorted, distinct hub ids.
        var ids: [Int64]
        /// The longest time between two consecutive points in the span (of any of its series): a
        /// part of the span at least this long holds a point (``PresenceRows/nodesShowingPoint(start:end:)``).
        /// Nil when not known (a row stored before it was kept, or widened since).
        var gap: Int64? = nil
        /// Whether each of its series has a point at every time any of them has one (nearly every
        /// batch): the gap is then each series' own, and a part of the span at least that long
        /// holds a point of every one (``PresenceRows/holdsEverySeries(_:start:end:)``).
        var dense = false
        /// What its series are labelled (``PresenceContentDigest``); nil when not known (a row
        /// upkeep merged, or one stored before it was kept).
        var content: [UInt8]? = nil
    }

    /// The hour a timestamp falls in (its start), rounding down before the epoch too; the
    /// earliest time for the first hour, which would start before it.
    static func hour(of time: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: hour)
        let (start, overflow) = (remainder < 0 ? quotient - 1 : quotient).multipliedReportingOverflow(by: hour)
        return overflow ? .min : start
    }

    /// The rows a stored block adds: per hour its points fall in, the series (by the hub's
    /// `ids`, indexed by the block's series ids) with a point there, and the span of the
    /// block's timestamps in that hour; with its content digest when the hash of the batch's
    /// series `table` is given.
    static func rows(of block: Block, ids: [Int64], table: [UInt8]? = nil) -> [Row] {
        let times = pointTimes(of: block)
        guard let first = times.min(), let last = times.max() else { return [] }
        func hubID(_ entry: BlockSeries) -> Int64? {
            entry.id >= 0 && Int(entry.id) < ids.count ? ids[Int(entry.id)] : nil
        }
        if hour(of: first) == hour(of: last) {
            var present: [Int64] = []
            var positions: [Int64] = []
            var dense = true
            for entry in block.series {
                let points = pointCount(of: entry, rows: block.timestamps.count)
                guard points > 0, let id = hubID(entry) else { continue }
                present.append(id)
                positions.append(entry.id)
                if points < times.count { dense = false }
            }
            guard !present.isEmpty else { return [] }
            let listed = Array(Set(present)).sorted()
            let content = table.map { PresenceContentDigest.of(table: $0, positions: Array(Set(positions)).sorted()) }
            return [Row(hour: hour(of: first), minTS: first, maxTS: last, ids: listed, gap: largestGap(times), dense: dense, content: content)]
        }
        var hourTimes: [Int64: [Int64]] = [:]
        for time in times { hourTimes[hour(of: time), default: []].append(time) }
        var members: [Int64: (ids: Set<Int64>, positions: Set<Int64>)] = [:]
        var sparse = Set<Int64>()
        for entry in block.series {
            guard let id = hubID(entry) else { continue }
            for (hour, points) in pointsPerHour(entry, timestamps: block.timestamps) {
                members[hour, default: ([], [])].ids.insert(id)
                members[hour, default: ([], [])].positions.insert(entry.id)
                if points < hourTimes[hour]?.count ?? 0 { sparse.insert(hour) }
            }
        }
        return members.keys.sorted().compactMap { hour in
            guard let times = hourTimes[hour], let first = times.min(), let last = times.max(), let member = members[hour] else { return nil }
            let content = table.map { PresenceContentDigest.of(table: $0, positions: member.positions.sorted()) }
            return Row(
                hour: hour,
                minTS: first,
                maxTS: last,
                ids: member.ids.sorted(),
                gap: largestGap(times),
                dense: !sparse.contains(hour),
                content: content
            )
        }
    }

    /// The longest time between two consecutive of `times` (in any order; 0 for fewer than two).
    /// Times of one hour never overflow their difference.
    static func largestGap(_ times: [Int64]) -> Int64 {
        let sorted = times.sorted()
        var gap: Int64 = 0
        for (earlier, later) in zip(sorted, sorted.dropFirst()) {
            let (difference, overflow) = later.subtractingReportingOverflow(earlier)
            gap = max(gap, overflow ? .max : difference)
        }
        return gap
    }

    /// The block's timestamps at which some series has a value, so that a row's span starts and
    /// ends at points (``PresenceRows/nodesShowingPoint(start:end:)``): all of them when one series
    /// has a value at every row, as nearly every block has.
    private static func pointTimes(of block: Block) -> [Int64] {
        let count = block.timestamps.count
        if block.series.contains(where: { $0.present == nil && ($0.values.first?.count ?? 0) >= count }) { return block.timestamps }
        var pointed = [Bool](repeating: false, count: count)
        for entry in block.series {
            forEachRowWithValue(of: entry, rows: count) { pointed[$0] = true }
        }
        return block.timestamps.indices.filter { pointed[$0] }.map { block.timestamps[$0] }
    }

    /// How many of the first `rows` rows `entry` has a value at.
    private static func pointCount(of entry: BlockSeries, rows: Int) -> Int {
        let count = entry.values.first?.count ?? 0
        guard entry.present != nil else { return min(count, rows) }
        var points = 0
        forEachRowWithValue(of: entry, rows: rows) { _ in points += 1 }
        return points
    }

    /// Per hour in which `entry` has a value, how many rows it has one at.
    private static func pointsPerHour(_ entry: BlockSeries, timestamps: [Int64]) -> [Int64: Int] {
        var hours: [Int64: Int] = [:]
        forEachRowWithValue(of: entry, rows: timestamps.count) { hours[hour(of: timestamps[$0]), default: 0] += 1 }
        return hours
    }

    /// Calls `body` with each of the first `rows` rows at which `entry` has a value.
    private static func forEachRowWithValue(of entry: BlockSeries, rows: Int, _ body: (Int) -> Void) {
        let count = entry.values.first?.count ?? 0
        var valueIndex = 0
        for row in 0..<rows where valueIndex < count {
            if let present = entry.present, row < present.count, !present[row] { continue }
            body(row)
            valueIndex += 1
        }
    }
}

extension SeriesPresence {
    /// The maintenance mark (of node '') before which blocks may lack rows: set when the table
    /// was created, past the blocks stored then.
    static let sinceKind = "presence/since"

    /// Sorted ids as delta varints (SQLite's `series_presence.series`).
    static func encode(_ ids: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 2)
        var previous: Int64 = 0
        for id in ids {
            Varint.append(UInt64(bitPattern: id &- previous), to: &bytes)
            previous = id
        }
        return bytes
    }

    /// The ids of ``encode(_:)``'s bytes; nil when they do not decode.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Int64]? {
        var ids: [Int64] = []
        var index = 0
        var previous: Int64 = 0
        while index < bytes.count {
            guard let delta = try? Varint.read(bytes, at: &index) else { return nil }
            previous &+= Int64(bitPattern: delta)
            ids.append(previous)
        }
        return ids
    }
}

extension SeriesPresence {
    /// A node's rows of one hour as one: the union of their lists over the hull of their spans
    /// (each series still has a point inside it), its gap the longest of theirs and of the spaces
    /// between their spans (nil if one's is not known). Nil when there are fewer than two, or one
    /// did not decode (then they stay as they are).
    static func merged(_ rows: [Row?]) -> Row? {
        guard rows.count > 1, let first = rows.first ?? nil else { return nil }
        var merged = first
        var ids = Set(first.ids)
        for row in rows.dropFirst() {
            guard let row else { return nil }
            merged.minTS = min(merged.minTS, row.minTS)
            merged.maxTS = max(merged.maxTS, row.maxTS)
            ids.formUnion(row.ids)
        }
        merged.ids = ids.sorted()
        merged.gap = gap(of: rows.compactMap { $0 })
        // Their lists differ: one's series have no points at the other's times.
        merged.dense = false
        // Nor is their union's content either's.
        merged.content = nil
        return merged
    }

    /// The gap of the hull of `rows`' spans: a span starts and ends at points, so a space between
    /// two points of the hull with none inside lies within one span, or between two spans.
    static func gap(of rows: [Row]) -> Int64? {
        var gap: Int64 = 0
        var reached: Int64?
        for row in rows.sorted(by: { $0.minTS < $1.minTS }) {
            guard let own = row.gap else { return nil }
            gap = max(gap, own)
            if let reached, row.minTS > reached { gap = max(gap, row.minTS - reached) }
            reached = max(reached ?? row.maxTS, row.maxTS)
        }
        return gap
    }
}

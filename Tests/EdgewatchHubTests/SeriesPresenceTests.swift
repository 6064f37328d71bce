import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Testing

@testable import EdgewatchHub

/// The summary of which series have a point per node and hour (``SeriesPresence``): the rows a
/// block adds, their encoding, and what a window's rows say of the series a listing wants.
@Suite struct SeriesPresenceTests {
    static let hour = SeriesPresence.hour
    static let base: Int64 = 1_800_000_000_000

    @Test func aBlockWithinAnHourAddsOneRowOfItsSeriesWithPoints() {
        let block = Block(
            timestamps: [Self.base + 10_000, Self.base + 70_000],
            columns: 1,
            series: [
                BlockSeries(id: 0, present: nil, values: [[1, 2]]), BlockSeries(id: 1, present: [false, true], values: [[3]]),
                BlockSeries(id: 2, present: [false, false], values: [[]]),
            ]
        )
        let rows = SeriesPresence.rows(of: block, ids: [40, 7, 9])
        #expect(rows == [SeriesPresence.Row(hour: Self.base, minTS: Self.base + 10_000, maxTS: Self.base + 70_000, ids: [7, 40], gap: 60_000)])
        // Without series 1's hole (and series 2, which has no point), each series has a point at
        // every time: dense.
        let full = Block(timestamps: block.timestamps, columns: 1, series: [block.series[0], BlockSeries(id: 1, present: nil, values: [[3, 4]])])
        #expect(SeriesPresence.rows(of: full, ids: [40, 7]).map(\.dense) == [true])
        // Over an hour's end, per hour: dense in the first, where both have their points.
        let across = Block(
            timestamps: [Self.base + 10_000, Self.base + Self.hour + 10_000],
            columns: 1,
            series: [BlockSeries(id: 0, present: nil, values: [[1, 2]]), BlockSeries(id: 1, present: [true, false], values: [[3]])]
        )
        #expect(SeriesPresence.rows(of: across, ids: [40, 7]).map(\.dense) == [true, true])
        // Sparse in the first hour, where series 1 lacks a time series 0 has.
        let holed = Block(
            timestamps: [Self.base + 10_000, Self.base + 20_000, Self.base + Self.hour + 10_000],
            columns: 1,
            series: [BlockSeries(id: 0, present: nil, values: [[1, 2, 3]]), BlockSeries(id: 1, present: [true, false, true], values: [[4, 5]])]
        )
        #expect(SeriesPresence.rows(of: holed, ids: [40, 7]).map(\.dense) == [false, true])
    }

    /// A row's span starts and ends at points, not at rows no series has a value in: a listing
    /// takes a node whose row has an end in its window for one with a point there.
    @Test func aRowsSpanEndsAtPointsNotAtEmptyRows() {
        let times = [Self.base, Self.base + 10_000, Self.base + 20_000, Self.base + 30_000, Self.hour + Self.base]
        let block = Block(
            timestamps: times,
            columns: 1,
            series: [
                BlockSeries(id: 0, present: [false, true, false, false, false], values: [[1]]),
                BlockSeries(id: 1, present: [false, false, true, false, false], values: [[2]]),
            ]
        )
        let rows = SeriesPresence.rows(of: block, ids: [5, 6])
        #expect(rows == [SeriesPresence.Row(hour: Self.base, minTS: Self.base + 10_000, maxTS: Self.base + 20_000, ids: [5, 6], gap: 10_000)])
        var builder = PresenceRowsBuilder()
        for row in rows { builder.add(node: "n1", minTS: row.minTS, maxTS: row.maxTS, digest: [1], ids: row.ids) }
        let presence = builder.rows()
        #expect(presence.nodesWithPoint(start: Self.base + 15_000, end: Self.base + 25_000) == ["n1"])
        #expect(presence.nodesWithPoint(start: Self.base + 11_000, end: Self.base + 19_000).isEmpty)
        #expect(presence.nodesWithPoint(start: Self.base + 25_000, end: Self.base + 15_000).isEmpty)
    }

    /// Lists are fetched when first needed: the first few alone, by node and digest, then the
    /// rest together, once; a failed fetch leaves the rows unable to answer.
    @Test func listsNotSentAreFetchedAloneThenTogether() {
        let lists = (0..<12).map { [Int64($0 * 10), Int64($0 * 10 + 1)] }
        var asked: [String?] = []
        var builder = PresenceRowsBuilder()
        for index in lists.indices { builder.add(node: "n\(index)", minTS: 0, maxTS: 1, digest: [UInt8(index)]) }
        let presence = builder.rows { wanted in
            asked.append(wanted?.node)
            var fetched: [DigestBytes: [UInt8]] = [:]
            for (index, ids) in lists.enumerated() where wanted == nil || wanted?.digest == [UInt8(index)] {
                fetched[DigestBytes([UInt8(index)])] = SeriesPresence.encode(ids)
            }
            return fetched
        }
        #expect(presence.complete)
        let alone = PresenceRows.loadedAloneAtMost
        for list in 0..<alone { #expect(presence.ids(list) == lists[list]) }
        #expect(asked == (0..<alone).map { "n\($0)" })
        #expect(presence.ids(alone) == lists[alone])
        #expect(presence.ids(lists.count - 1) == lists[lists.count - 1])
        #expect(asked.count == alone + 1 && asked.last == .some(nil))
        #expect(presence.complete)

        var one = PresenceRowsBuilder()
        one.add(node: "n1", minTS: 0, maxTS: 1, digest: [1])
        let failing = one.rows { _ in nil }
        #expect(failing.complete)
        #expect(failing.ids(0).isEmpty)
        #expect(!failing.complete)
    }

    @Test func aBlockOverAnHourBoundaryAddsARowPerHourWithTheSeriesOfEach() {
        // Series 0 only before the boundary, 1 only after, 2 in both.
        let times = [Self.base - 60_000, Self.base - 1, Self.base, Self.base + 60_000]
        let block = Block(
            timestamps: times,
            columns: 1,
            series: [
                BlockSeries(id: 0, present: [true, true, false, false], values: [[1, 2]]),
                BlockSeries(id: 1, present: [false, false, true, true], values: [[1, 2]]),
                BlockSeries(id: 2, present: [true, false, false, true], values: [[1, 2]]),
            ]
        )
        let rows = SeriesPresence.rows(of: block, ids: [10, 11, 12])
        #expect(
            rows == [
                SeriesPresence.Row(hour: Self.base - Self.hour, minTS: Self.base - 60_000, maxTS: Self.base - 1, ids: [10, 12], gap: 59_999),
                SeriesPresence.Row(hour: Self.base, minTS: Self.base, maxTS: Self.base + 60_000, ids: [11, 12], gap: 60_000),
            ]
        )
    }

    @Test func hoursRoundDownBeforeTheEpochToo() {
        #expect(SeriesPresence.hour(of: -1) == -Self.hour)
        #expect(SeriesPresence.hour(of: -Self.hour) == -Self.hour)
        #expect(SeriesPresence.hour(of: Self.hour - 1) == 0)
        #expect(SeriesPresence.hour(of: .min) == .min)
        #expect(SeriesPresence.hour(of: .max) == Int64.max / Self.hour * Self.hour)
    }

    @Test func listsRoundTripAndDamageIsRefused() {
        for ids: [Int64] in [[], [0], [1, 2, 3], [5, 1_000_000, Int64.max], [Int64.min, -1, 0, Int64.max]] {
            let bytes = SeriesPresence.encode(ids)
            #expect(bytes.withUnsafeBytes { SeriesPresence.decode($0) } == ids)
        }
        let truncated: [UInt8] = [0x80]
        #expect(truncated.withUnsafeBytes { SeriesPresence.decode($0) } == nil)
    }

    /// Rows inside the window make their series sure; rows reaching past an edge make theirs
    /// unsure (checked over the parts they cover); series in no row of the window are left out.
    @Test func theVerdictSortsWantedSeriesByTheRowsThatListThem() throws {
        var builder = PresenceRowsBuilder()
        let (start, end) = (Self.base + 1_800_000, Self.base + 3 * Self.hour + 1_800_000)
        builder.add(node: "a", minTS: Self.base, maxTS: Self.base + Self.hour - 1, digest: [1], ids: [1, 2, 3])
        builder.add(node: "a", minTS: Self.base + Self.hour, maxTS: Self.base + 2 * Self.hour - 1, digest: [2], ids: [1, 4])
        builder.add(node: "a", minTS: Self.base + 3 * Self.hour, maxTS: Self.base + 4 * Self.hour - 1, digest: [1])
        builder.add(node: "b", minTS: Self.base + Self.hour, maxTS: Self.base + 2 * Self.hour - 1, digest: [3], ids: [7])
        let rows = builder.rows()
        #expect(rows.listCount == 3 && rows.complete)
        var wanted: [Int64: Labels] = [:]
        for id: Int64 in [1, 2, 3, 4, 5] { wanted[id] = Labels([Label("node", "a"), Label("id", "\(id)")]) }
        wanted[7] = ["node": "b"]
        wanted[8] = ["node": "c"]
        let verdict = PresenceVerdict(rows, wanted: wanted, start: start, end: end)
        #expect(Set(verdict.sure) == [1, 4, 7])
        #expect(Set(verdict.unsure) == [2, 3])
        #expect(verdict.spans == [(Self.base + 3 * Self.hour)...end, start...(Self.base + Self.hour - 1)])
        var asked: [ClosedRange<Int64>] = []
        let listed = verdict.labelSets(wanted) { left, span -> Set<Int64> in
            asked.append(span)
            return Set(left.keys).intersection([2, 3, 99])
        }
        #expect(Set(listed.compactMap { $0["id"] }) == ["1", "2", "3", "4"])
        #expect(listed.contains(["node": "b"]))
        // Both found in the later span: the earlier one is not read.
        #expect(asked == [(Self.base + 3 * Self.hour)...end])
        let second = verdict.labelSets(wanted) { _, span -> Set<Int64> in span.lowerBound == start ? [3] : [] }
        #expect(Set(second.compactMap { $0["id"] }) == ["1", "3", "4"])
    }

    /// Rows sharing a list share it once; rows whose list is not fetched, or does not decode,
    /// once needed, cannot answer.
    @Test func rowsAnswerOnlyWhileEveryListNeededComes() {
        var builder = PresenceRowsBuilder()
        for (minTS, maxTS) in [(Int64(0), Int64(1)), (2, 3), (4, 5)] { builder.add(node: "a", minTS: minTS, maxTS: maxTS, digest: [9], ids: [4, 5]) }
        builder.add(node: "b", minTS: 0, maxTS: 1, digest: [8], bytes: [0x80])
        builder.add(node: "c", minTS: 0, maxTS: 1, digest: [7])
        let rows = builder.rows()
        #expect(rows.complete && rows.listCount == 3 && rows.ids(0) == [4, 5] && rows.rows.map(\.list) == [0, 0, 0, 1, 2])
        #expect(rows.complete)
        #expect(rows.ids(1) == [] && !rows.complete)
        let missing = builder.rows()
        #expect(missing.ids(2) == [] && !missing.complete)
    }

    @Test func rangesMergeWhereTheyOverlapOrTouch() {
        #expect(PresenceVerdict.merged([5...9, 1...2, 3...4, 20...30, 8...12]) == [1...12, 20...30])
        #expect(PresenceVerdict.merged([Int64.min...0, Int64.max...Int64.max]) == [Int64.min...0, Int64.max...Int64.max])
        #expect(PresenceVerdict.holds([1, 3, 5], 3) && !PresenceVerdict.holds([1, 3, 5], 4) && !PresenceVerdict.holds([], 1))
    }

    @Test func anHoursRowsMergeIntoOneOverTheirHull() {
        let a = SeriesPresence.Row(hour: 0, minTS: 10, maxTS: 20, ids: [1, 3], dense: true)
        let b = SeriesPresence.Row(hour: 0, minTS: 5, maxTS: 15, ids: [2, 3], dense: true)
        // Not dense: 1 has no points at b's times, 2 none at a's.
        #expect(SeriesPresence.merged([a, b]) == SeriesPresence.Row(hour: 0, minTS: 5, maxTS: 20, ids: [1, 2, 3], dense: false))
        #expect(SeriesPresence.merged([a]) == nil)
        #expect(SeriesPresence.merged([a, nil]) == nil)
        #expect(SeriesPresence.merged([nil, a]) == nil)
    }

    /// A merged row's gap: the longest of its rows' and of the spaces between their spans (a span
    /// starts and ends at points), not known when one row's is not.
    @Test func aMergedRowsGapSpansTheSpacesBetweenItsRows() {
        let a = SeriesPresence.Row(hour: 0, minTS: 10, maxTS: 20, ids: [1], gap: 4)
        let b = SeriesPresence.Row(hour: 0, minTS: 5, maxTS: 15, ids: [2], gap: 3)
        let c = SeriesPresence.Row(hour: 0, minTS: 32, maxTS: 40, ids: [3], gap: 2)
        let d = SeriesPresence.Row(hour: 0, minTS: 21, maxTS: 22, ids: [4], gap: 1)
        #expect(SeriesPresence.merged([a, b])?.gap == 4)
        #expect(SeriesPresence.merged([c, a, b])?.gap == 12)
        #expect(SeriesPresence.merged([c, d, a, b])?.gap == 10)
        #expect(SeriesPresence.merged([a, SeriesPresence.Row(hour: 0, minTS: 30, maxTS: 30, ids: [5])])?.gap == nil)
        #expect(SeriesPresence.largestGap([40, 10, 25, 30]) == 15 && SeriesPresence.largestGap([7]) == 0)
    }

    /// A window inside a row's span, which neither of its ends falls in, holds a point when the
    /// part it shares with the span is at least the row's gap long; a row whose gap is not known
    /// says nothing of it.
    @Test func aWindowAsLongAsARowsGapInsideItsSpanHoldsAPoint() {
        var builder = PresenceRowsBuilder()
        builder.add(node: "n1", minTS: 0, maxTS: 300_000, gap: 10_000, digest: [1], ids: [1])
        builder.add(node: "n2", minTS: 0, maxTS: 300_000, gap: 180_000, digest: [2], ids: [2])
        builder.add(node: "n3", minTS: 0, maxTS: 300_000, digest: [3], ids: [3])
        let presence = builder.rows()
        #expect(presence.nodesWithPoint(start: 60_000, end: 240_000) == ["n1", "n2"])
        #expect(presence.nodesWithPoint(start: 60_000, end: 69_999).isEmpty)
        #expect(presence.nodesWithPoint(start: 60_000, end: 70_000) == ["n1"])
        #expect(presence.nodesWithPoint(start: 60_000, end: 120_000) == ["n1"])
        // The part shared with the span counts, not the window.
        #expect(presence.nodesWithPoint(start: -50_000, end: -1).isEmpty)
        #expect(presence.nodesWithPoint(start: -50_000, end: 9_999).count == 3)  // the spans' start
        #expect(presence.nodesWithPoint(start: 295_000, end: 299_999).isEmpty)
        #expect(presence.nodesWithPoint(start: 289_000, end: 299_999) == ["n1"])
        #expect(presence.nodesWithPoint(start: 70_000, end: 60_000).isEmpty)
    }

    /// Lists whose series have the same names and values share a content number, so a listing
    /// adds them once; a list met again is not read again.
    @Test func listsWithEqualLabelsShareAContent() {
        var builder = PresenceRowsBuilder()
        for (node, digest, ids) in [("a", [UInt8(1)], [Int64(1), 2]), ("b", [2], [3, 4]), ("c", [3], [5])] {
            builder.add(node: node, minTS: 0, maxTS: 1, digest: digest, ids: ids)
        }
        let rows = builder.rows()
        let stored: [Int64: Labels] = [
            1: ["__name__": "up"], 2: ["__name__": "load"], 3: ["__name__": "load"], 4: ["__name__": "up"], 5: ["__name__": "other"],
        ]
        var reads = 0
        let cache = ListLabelsCache()
        func labels(_ list: Int) -> ListLabels {
            cache.labels(rows, list, cluster: "") { ids in
                reads += 1
                return stored.filter { ids.contains($0.key) }
            }
        }
        let (a, b, c) = (labels(0), labels(1), labels(2))
        #expect(a.content == b.content && a.content != c.content)
        #expect(Set(a.values(of: "__name__")) == ["up", "load"] && a.values(of: nil) == ["__name__"])
        // One series carrying each value, the lowest id, whichever list it came from.
        #expect(a.carrier(of: "up", "__name__") == 1 && b.carrier(of: "up", "__name__") == 4 && a.carrier(of: "__name__", nil) == 1)
        #expect(a.carrier(of: "other", "__name__") == nil && a.carrier(of: "pod", nil) == nil)
        #expect(labels(0).content == a.content && reads == 3 && cache.count == 3)
        // Equal contents are one object, kept once.
        #expect(a.shared === b.shared && cache.contentCount == 2)
    }

    /// `node`'s values are each list's own: lists of two nodes with the same other labels share
    /// their content, and each keeps its node and the series carrying it.
    @Test func eachListKeepsItsNode() {
        var builder = PresenceRowsBuilder()
        builder.add(node: "a", minTS: 0, maxTS: 1, digest: [1], ids: [1, 2])
        builder.add(node: "b", minTS: 0, maxTS: 1, digest: [2], ids: [3])
        let rows = builder.rows()
        let stored: [Int64: Labels] = [
            1: ["__name__": "up", "node": "a", "job": "x"], 2: ["__name__": "up", "node": "a", "job": "y"],
            3: ["__name__": "up", "node": "b", "job": "x"],
        ]
        let cache = ListLabelsCache()
        let made = [0, 1].map { list in cache.labels(rows, list, cluster: "") { ids in stored.filter { ids.contains($0.key) } } }
        let (a, b) = (made[0], made[1])
        #expect(a.content != b.content && Set(a.values(of: nil)) == ["__name__", "job", "node"] && a.values(of: "node") == ["a"])
        #expect(a.carrier(of: "node", nil) == 1 && a.carrier(of: "a", "node") == 1 && a.carrier(of: "b", "node") == nil)
        #expect(
            a.carrier(of: "job", nil) == 1 && a.carrier(of: "y", "job") == 2 && b.carrier(of: "x", "job") == 3 && b.carrier(of: "y", "job") == nil
        )
        #expect(Set(a.values(of: "job")) == ["x", "y"] && b.values(of: "job") == ["x"] && a.values(of: "pod").isEmpty)
        #expect(rows.listNode(1) == "b" && rows.digest(1) == [2])
        // Their contents differ (`job`), yet the names and `__name__`'s values are one group each.
        #expect(a.shared.group(of: "__name__") === b.shared.group(of: "__name__") && a.shared.group(of: nil) === b.shared.group(of: nil))
        #expect(a.shared.group(of: "job") !== b.shared.group(of: "job") && a.shared.group(of: "node") == nil)
        #expect(Set([a, b].compactMap { $0.shared.group(of: "__name__")?.number }).count == 1 && cache.contentCount == 2)
    }
}

extension PresenceRows {
    /// The nodes with a point in `[start, end]`, in name order, as a `node` listing finds them.
    func nodesWithPoint(start: Int64, end: Int64) -> [String] {
        names(ofNodes: nodesShowingPoint(start: start, end: end)).sorted()
    }
}

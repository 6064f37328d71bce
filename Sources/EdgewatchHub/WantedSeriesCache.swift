import EdgewatchCore

/// The series a query's matchers took among a metric's stored series, kept for the next query with
/// the same matchers: a dashboard refreshes the same panels over and over, and each time a fleet
/// metric's label sets (64,000 for `node_cpu_seconds_total` over 2000 nodes) were looked up and
/// matched again. An entry answers only while the metric's ids and the nodes' clusters are those
/// it was made from: a new series, one retention deleted, or a cluster a node reported since, and
/// it is made again. A series' labels never change and its id is never reused.
struct WantedSeriesCache {
    /// What the matchers took, and how many of the ids had label sets that parsed; with its ids by
    /// node when it is to be kept (a query that is not kept groups only the ids it reads), and the
    /// selections of the blocks read for it (``SelectionMemo``).
    struct Taken {
        let wanted: [Int64: Labels]
        let known: Int
        var byNode: WantedByNode?

        /// `grouped`: with the ids by node (``byNode``); `ordered`: and by label set, for a bare
        /// selector's series (``WantedByNode/ordered``).
        init(wanted: [Int64: Labels], known: Int, grouped: Bool = false, ordered: Bool = false) {
            self.wanted = wanted
            self.known = known
            byNode = grouped ? WantedByNode(wanted, ordered: ordered, remembering: true) : nil
        }
    }

    private struct Entry {
        var ids: [Int64]
        var clusters: [String: String]
        var taken: Taken
        var used: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    /// Entries kept at most (the least lately used goes first).
    static let capacity = 32
    /// Series an entry may take, and ids of the metric it may be made from, at most: a larger
    /// answer, or one of a larger metric (an entry keeps all its ids to compare), is made again
    /// each time.
    static let largest = 1 << 17

    /// The key of a query's matchers (their order kept: the same panel sends the same order);
    /// another for a bare selector's, whose entry is made with its ids by label set (sorting a
    /// metric's thousands of label sets is not paid for an aggregation, which adds them up by id).
    static func key(_ matchers: [LabelMatcher], ordered: Bool = false) -> String {
        (ordered ? "\u{2}" : "") + matchers.map { "\($0.name)\u{0}\($0.operation.rawValue)\u{0}\($0.value)" }.joined(separator: "\u{1}")
    }

    /// What `key`'s matchers took when the metric's ids were `ids` and the clusters `clusters`;
    /// nil when not kept, or made from others.
    mutating func taken(_ key: String, ids: [Int64], clusters: [String: String]) -> Taken? {
        guard let entry = entries[key], entry.ids == ids, entry.clusters == clusters else { return nil }
        clock += 1
        entries[key]?.used = clock
        return entry.taken
    }

    /// Keeps what `key`'s matchers took among `ids` with `clusters`.
    mutating func keep(_ taken: Taken, _ key: String, ids: [Int64], clusters: [String: String]) {
        guard taken.wanted.count <= Self.largest, ids.count <= Self.largest else { return }
        if entries[key] == nil, entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        clock += 1
        entries[key] = Entry(ids: ids, clusters: clusters, taken: taken, used: clock)
    }

    /// How many entries are kept.
    var count: Int { entries.count }
}

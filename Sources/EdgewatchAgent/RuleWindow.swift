import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchRules
import EdgewatchStore

/// The recent samples rule expressions can reach: only series some selector of the rule set
/// matches, each kept for the longest range (plus lookback) of the selectors that match it.
/// Rule outputs are written here too, and recorded so they can go to the store.
struct RuleWindow: RuleStorage {
    private var source = MemorySeriesSource()
    private let selectors: [(matchers: [LabelMatcher], reach: Int64)]
    /// Extra time kept beyond a selector's range: the lookback plus one evaluation interval.
    private let margin: Int64
    /// The longest time any series is kept (milliseconds).
    let retention: Int64
    /// Per collected series: its slot and how long to keep it when selected, nil when no rule can see it.
    private var selection: [SeriesKey: (slot: Int, keep: Int64)?] = [:]
    private var selectionGeneration = 0
    /// Last cycle's keys and entries in collection order.
    private var lastCycle = CycleOrder<(slot: Int, keep: Int64)?>()
    /// Retention per slot (rule outputs: the longest retention).
    private var keep: [Int: Int64] = [:]
    /// Points written by rule evaluation since the last `takeWritten()`.
    private(set) var written: [(Labels, Point)] = []

    init(groups: [RuleGroup], lookback: Int64, longestInterval: Int64) {
        var selectors: [(matchers: [LabelMatcher], reach: Int64)] = []
        for group in groups {
            for rule in group.rules {
                for (selector, range) in rule.expression.selectors {
                    selectors.append((selector.matchers, range + max(selector.offset, 0)))
                }
            }
        }
        self.selectors = selectors
        margin = lookback + longestInterval
        retention = (selectors.map(\.reach).max() ?? 0) + margin
    }

    /// How long a series is kept when some rule selector matches it (name plus labels), else nil.
    func reach(name: String, labels: Labels) -> Int64? {
        var longest: Int64?
        for selector in selectors where selector.matchers.allSatisfy({ $0.matches($0.name == "__name__" ? name : labels[$0.name] ?? "") }) {
            longest = max(longest ?? 0, selector.reach + margin)
        }
        return longest
    }

    func isSelected(name: String, labels: Labels) -> Bool { reach(name: name, labels: labels) != nil }

    /// Adds one collection cycle's samples of the selected series.
    /// Collection emits the same series in the same order each cycle: a key equal to the one at its
    /// position last cycle reuses that entry without hashing the key.
    mutating func add(_ samples: [(SeriesKey, Double)], at time: Int64) {
        if selectionGeneration != source.generation {
            selection = [:]
            lastCycle.reset()
            selectionGeneration = source.generation
        }
        var current: [(key: SeriesKey, value: (slot: Int, keep: Int64)?)] = []
        current.reserveCapacity(samples.count)
        defer { lastCycle.replace(with: current) }
        for (index, (key, value)) in samples.enumerated() {
            let entry: (slot: Int, keep: Int64)?
            if let cached = lastCycle.value(at: index, for: key) {
                entry = cached
            } else if let cached = selection[key] {
                entry = cached
            } else {
                entry = reach(name: key.name, labels: key.labels).map { keep in
                    let slot = source.slot(for: key.labels.adding("__name__", key.name))
                    self.keep[slot] = keep
                    return (slot, keep)
                }
                selection[key] = entry
            }
            current.append((key, entry))
            if let entry { source.append(slot: entry.slot, Point(time, value)) }
        }
        // Keys of series that stopped (containers that ended) would pile up in the cache: once it
        // holds twice this cycle's keys, it keeps only this cycle's.
        if selection.count > 2 * current.count + 256 {
            selection = Dictionary(current.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// Adds history read from the store (oldest first).
    mutating func addHistory(_ labels: Labels, _ points: [Point]) {
        let slot = source.slot(for: labels)
        if keep[slot] == nil { keep[slot] = reach(name: labels.metricName ?? "", labels: labels.droppingName()) ?? retention }
        for point in points { source.append(slot: slot, point) }
    }

    /// Drops samples each series no longer needs; forgets series gone for good.
    mutating func prune(now: Int64) {
        for slot in 0..<source.count {
            source.dropPoints(slot: slot, before: now - (keep[slot] ?? retention))
        }
        let generation = source.generation
        source.compact()
        if source.generation != generation {
            // Slots were renumbered: rebuild retention per slot from the label sets.
            keep = [:]
            selection = [:]
            lastCycle.reset()
            selectionGeneration = source.generation
        }
    }

    mutating func takeWritten() -> [(Labels, Point)] {
        defer { written.removeAll(keepingCapacity: true) }
        return written
    }

    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [Series] {
        source.select(matchers, start: start, end: end)
    }

    mutating func append(_ labels: Labels, _ point: Point) {
        let slot = source.slot(for: labels)
        if keep[slot] == nil { keep[slot] = retention }
        source.append(slot: slot, point)
        written.append((labels, point))
    }
}

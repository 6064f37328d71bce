import EdgewatchCore
import EdgewatchPromQL
import EdgewatchRules
import EdgewatchStore

/// The recent samples rule expressions can reach: only series some selector of the rule set
/// matches, kept for the longest range (plus lookback) the rules use. Rule outputs are
/// written here too, and recorded so they can go to the store.
struct RuleWindow: RuleStorage {
    var source = MemorySeriesSource()
    let selectors: [[LabelMatcher]]
    /// How long samples are kept (milliseconds).
    let retention: Int64
    /// Per collected series: its label set when selected, nil when no rule can see it.
    private var selection: [SeriesKey: Labels?] = [:]
    /// Points written by rule evaluation since the last `takeWritten()`.
    private(set) var written: [(Labels, Point)] = []

    init(groups: [RuleGroup], lookback: Int64, longestInterval: Int64) {
        var selectors: [[LabelMatcher]] = []
        var longest: Int64 = 0
        for group in groups {
            for rule in group.rules {
                for (selector, range) in rule.expression.selectors {
                    selectors.append(selector.matchers)
                    longest = max(longest, range + max(selector.offset, 0))
                }
            }
        }
        self.selectors = selectors
        retention = longest + lookback + longestInterval
    }

    /// Whether a rule selector can match the series (name plus labels).
    func isSelected(name: String, labels: Labels) -> Bool {
        selectors.contains { matchers in
            matchers.allSatisfy { $0.matches($0.name == "__name__" ? name : labels[$0.name] ?? "") }
        }
    }

    /// Adds one collection cycle's samples of the selected series.
    mutating func add(_ samples: [(SeriesKey, Double)], at time: Int64) {
        for (key, value) in samples {
            let labels: Labels?
            if let cached = selection[key] {
                labels = cached
            } else {
                labels = isSelected(name: key.name, labels: key.labels) ? key.labels.adding("__name__", key.name) : nil
                selection[key] = labels
            }
            if let labels { source.append(labels, Point(time, value)) }
        }
    }

    /// Adds history read from the store (oldest first).
    mutating func addHistory(_ labels: Labels, _ points: [Point]) {
        for point in points { source.append(labels, point) }
    }

    /// Drops samples older than the retention.
    mutating func prune(now: Int64) {
        source.dropPoints(before: now - retention)
    }

    mutating func takeWritten() -> [(Labels, Point)] {
        defer { written.removeAll(keepingCapacity: true) }
        return written
    }

    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [Series] {
        source.select(matchers, start: start, end: end)
    }

    mutating func append(_ labels: Labels, _ point: Point) {
        source.append(labels, point)
        written.append((labels, point))
    }
}

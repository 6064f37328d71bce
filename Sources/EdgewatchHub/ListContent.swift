/// The label names and values (but `node`'s) of a ``ListLabels``, one object for every list with
/// the same: a fleet's nodes mostly run the same metrics with the same label values, so 2000 lists
/// of 500 series share a few of these rather than each keeping its own (about 70 KB a list, which
/// had been 140 MB of a hub's memory after one listing over such a fleet).
final class ListContent: Sendable {
    /// One label name and value.
    struct Pair: Hashable, Sendable, Comparable {
        var name: String
        var value: String

        static func < (left: Pair, right: Pair) -> Bool {
            (left.name, left.value) < (right.name, right.value)
        }
    }

    /// What makes two contents the same.
    struct Key: Hashable, Sendable {
        /// Sorted and distinct, without `node`'s.
        var pairs: [Pair]
        /// Whether the series carry `node` (its values are each list's own).
        var hasNode: Bool
    }

    /// The same for equal contents met lately (0: not numbered, a list that did not decode).
    let number: Int
    let key: Key
    /// Per label name, its pairs' positions in ``Key/pairs``.
    private let ranges: [String: Range<Int>]
    /// Per label name, its values; and the names (with `node` when the series carry it).
    private let groups: [String: ValueGroup]
    let names: ValueGroup

    /// `group` gives the shared object for each label's values and for the names.
    init(_ key: Key, number: Int, group: (ValueGroup.Key) -> ValueGroup) {
        self.key = key
        self.number = number
        var ranges: [String: Range<Int>] = [:]
        var groups: [String: ValueGroup] = [:]
        var start = 0
        for (index, pair) in key.pairs.enumerated() where index + 1 == key.pairs.count || key.pairs[index + 1].name != pair.name {
            ranges[pair.name] = start..<index + 1
            groups[pair.name] = group(ValueGroup.Key(label: pair.name, values: key.pairs[start..<index + 1].map(\.value)))
            start = index + 1
        }
        (self.ranges, self.groups) = (ranges, groups)
        names = group(ValueGroup.Key(label: nil, values: (Array(ranges.keys) + (key.hasNode ? ["node"] : [])).sorted()))
    }

    /// `label`'s values (nil: the names), but `node`'s (each list keeps its own).
    func group(of label: String?) -> ValueGroup? {
        guard let label else { return names }
        return groups[label]
    }

    /// The positions of `name`'s pairs.
    func positions(of name: String) -> Range<Int>? { ranges[name] }

    /// The position of the pair (`name`, `value`).
    func position(of value: String, _ name: String) -> Int? {
        guard let range = ranges[name] else { return nil }
        var (low, high) = (range.lowerBound, range.upperBound)
        while low < high {
            let middle = (low + high) / 2
            if key.pairs[middle].value < value { low = middle + 1 } else { high = middle }
        }
        return low < range.upperBound && key.pairs[low].value == value ? low : nil
    }
}

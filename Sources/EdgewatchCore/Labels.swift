/// A label set, always sorted by label name so that equal sets compare and hash equal.
public struct Labels: Hashable, Sendable, Comparable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public private(set) var storage: [Label]

    /// An empty label set.
    public init() { storage = [] }

    /// Builds a label set from labels in any order; a repeated name keeps its last value.
    public init(_ labels: [Label]) {
        var sorted = labels.sorted { $0.name < $1.name }
        var index = sorted.count - 1
        while index > 0 {
            if sorted[index - 1].name == sorted[index].name { sorted.remove(at: index - 1) }
            index -= 1
        }
        storage = sorted
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { Label($0.0, $0.1) })
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> Label { storage[position] }

    /// The value of the label called `name`, or nil.
    public subscript(name: String) -> String? {
        storage.first { $0.name == name }?.value
    }

    /// A copy with `name` set to `value`.
    public func adding(_ name: String, _ value: String) -> Labels {
        var copy = storage.filter { $0.name != name }
        copy.append(Label(name, value))
        return Labels(copy)
    }

    /// A copy without the labels called any of `names`.
    public func removing(_ names: Set<String>) -> Labels {
        Labels(storage.filter { !names.contains($0.name) })
    }

    /// Label by label (name, then value), each string by its UTF-8 bytes as Prometheus (Go) orders
    /// them; a set that is a prefix of the other comes first. One byte comparison per string where
    /// String's ordering made two Unicode-aware ones (a fleet query sorts thousands of series).
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        lhs.storage.withUnsafeBufferPointer { left in
            rhs.storage.withUnsafeBufferPointer { right in
                for index in 0..<Swift.min(left.count, right.count) {
                    let names = Label.compareUTF8(left[index].name, right[index].name)
                    if names != 0 { return names < 0 }
                    let values = Label.compareUTF8(left[index].value, right[index].value)
                    if values != 0 { return values < 0 }
                }
                return left.count < right.count
            }
        }
    }
}

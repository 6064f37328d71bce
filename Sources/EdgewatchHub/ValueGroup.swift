/// One label's values (or, for no label, the label names) in a ``ListContent``, one object for
/// every content with the same: where each node's series carry a value of their own (an address,
/// a pod's name), every node's content differs, yet most labels' values, and the metric names
/// above all, are the same fleet-wide, and a listing adds each group once rather than once a node.
final class ValueGroup: Sendable {
    struct Key: Hashable, Sendable {
        /// Nil for the label names.
        var label: String?
        /// Sorted and distinct.
        var values: [String]
    }

    /// The same for equal groups met lately (0: not numbered).
    let number: Int
    let values: [String]

    init(_ key: Key, number: Int) {
        self.number = number
        values = key.values
    }
}

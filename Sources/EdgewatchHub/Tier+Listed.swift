import EdgewatchEncoding

extension Tier {
    /// Every tier's number, comma-separated: listed in a statement so that a whole (node, tier, …)
    /// index serves a read of a node's blocks.
    static let listed = allCases.map { String($0.rawValue) }.joined(separator: ",")
}

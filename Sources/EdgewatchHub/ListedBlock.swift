/// A block as the first step of a query lists it: its series ids, index and length, and its data
/// only when it has no index (a rewritten block: one metric, small).
struct ListedBlock {
    var id: Int64
    var node: String
    var tier: Int
    /// The times of its first and last sample.
    var minimum: Int64
    var maximum: Int64
    var ids: [Int64]
    var index: [UInt8]
    var length: Int
    var data: [UInt8]?
}

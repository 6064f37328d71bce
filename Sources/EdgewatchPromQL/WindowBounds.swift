/// Where one selector's series' range windows were at the last step of a query (indices into
/// their points), so the next step's search starts there.
struct WindowBounds {
    /// The last step's window end; a step before it starts the search over.
    var end: Int64 = .min
    var lower: [Int]
    var upper: [Int]

    init(count: Int) {
        lower = Array(repeating: 0, count: count)
        upper = Array(repeating: 0, count: count)
    }
}

/// Where each of a selector's series falls (a point below the one before it), made once per
/// query: a counter's rate over a window without a reset needs no walk over the window's points.
/// Most series have none, so the positions of all of them fit in one short array.
struct CounterResets {
    /// The positions of every series' falls, series after series, each series' in order.
    private var positions: [Int] = []
    /// Where each series' positions begin in ``positions`` (one more entry than series).
    private var starts: [Int] = [0]

    init(_ series: [[Point]]) {
        starts.reserveCapacity(series.count + 1)
        for points in series {
            points.withUnsafeBufferPointer { points in
                var previous = points.first?.value ?? 0
                for position in points.indices.dropFirst() {
                    let value = points[position].value
                    if value < previous { positions.append(position) }
                    previous = value
                }
            }
            starts.append(positions.count)
        }
    }

    /// Whether series `index` falls inside `window` (at a point after the window's first).
    func any(_ index: Int, in window: Range<Int>) -> Bool {
        var low = starts[index]
        var high = starts[index + 1]
        guard low < high else { return false }
        // The first fall after the window's first point, searched by halves.
        while low < high {
            let middle = low + (high - low) / 2
            if positions[middle] <= window.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low < starts[index + 1] && positions[low] < window.upperBound
    }
}

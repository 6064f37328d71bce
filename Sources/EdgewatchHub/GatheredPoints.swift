import EdgewatchPromQL

/// One series' points as a query gathers them, block after block, in one array: blocks read in
/// time order (the usual case) need no merging afterwards, so the array is the series' points.
struct GatheredPoints {
    private var points: [Point] = []
    /// Each block's tier and where its points start in `points`.
    private var blocks: [(tier: Int, start: Int)] = []
    /// Whether `points` is strictly increasing in time: each block's points were, and each block
    /// began after the one before ended.
    private var increasing = true

    /// Appends one block's points (in the block's row order).
    mutating func append(tier: Int, _ block: [Point]) {
        guard let first = block.first else { return }
        if increasing, let last = points.last, last.timestamp >= first.timestamp { increasing = false }
        if increasing, !BlockPoints.isIncreasing(block[...]) { increasing = false }
        blocks.append((tier, points.count))
        // The first block's array is taken as it is (shared, not copied): most series have one.
        if points.isEmpty { points = block } else { points += block }
    }

    /// The points in time order, one per instant (the lowest tier's): the array itself when the
    /// blocks followed each other, else ``BlockPoints/merged(_:)`` of its blocks.
    func merged() -> [Point] {
        if increasing { return points }
        var chunks: [(tier: Int, points: [Point])] = []
        chunks.reserveCapacity(blocks.count)
        for (number, block) in blocks.enumerated() {
            let end = number + 1 < blocks.count ? blocks[number + 1].start : points.count
            chunks.append((block.tier, Array(points[block.start..<end])))
        }
        return BlockPoints.merged(chunks)
    }
}

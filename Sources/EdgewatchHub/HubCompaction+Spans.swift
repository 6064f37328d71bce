import EdgewatchEncoding

extension HubCompaction {
    /// Where a node's tier has been merged to (``HubCompaction/merged(_:)``): a batch compacted
    /// before that mark is rewritten with its whole merged span, so a span stays one block per metric.
    struct Spans {
        let period: Int64
        /// The merged span's length; nil for a tier not merged.
        let length: Int64?
        /// The end of the node's last merged span; nil before the first.
        let merged: Int64?

        init(tier: Tier, merged: Int64?) {
            period = HubCompaction.period(tier)
            length = HubCompaction.merged(tier)
            self.merged = merged
        }

        /// The span rewritten for a block starting at `time`: its merged span when that has been
        /// merged, else its period (cut short at the end of time).
        func containing(_ time: Int64) -> Range<Int64> {
            let from = alignDown(time, period)
            if let length, let merged, from < merged {
                let start = alignDown(time, length)
                return start..<Self.end(start, length)
            }
            return from..<Self.end(from, period)
        }

        private static func end(_ start: Int64, _ length: Int64) -> Int64 {
            let (end, overflow) = start.addingReportingOverflow(length)
            return overflow ? .max : end
        }
    }
}

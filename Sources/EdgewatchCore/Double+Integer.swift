extension Double {
    /// The value rounded by `rule` as an `Int64`; nil when it is not finite or outside `Int64`'s
    /// range (a plain conversion would trap on input such as a timestamp of `1e300`).
    public func roundedInt64(_ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int64? {
        Int64(exactly: rounded(rule))
    }
}

/// How current a node's data is, judged by its newest sample against its slot width (its raw
/// interval, or a minute for 1 m summaries): a live slot normally arrives within a slot or two
/// of its end.
enum NodeHealth: String, Encodable, Sendable {
    /// The newest sample is at most 3 slots and 30 s old.
    case fresh
    /// Older than that, but at most 30 slots or 15 minutes (whichever is longer): a slow link,
    /// a backlog, a restart.
    case late
    /// Older still, or no sample yet.
    case silent

    static func of(lastSample: Int64, slotMilliseconds: Int64, now: Int64) -> NodeHealth {
        guard lastSample > 0 else { return .silent }
        let slot = slotMilliseconds > 0 ? slotMilliseconds : 60_000
        let lag = now - lastSample
        if lag <= 3 * slot + 30_000 { return .fresh }
        return lag <= max(30 * slot, 900_000) ? .late : .silent
    }
}

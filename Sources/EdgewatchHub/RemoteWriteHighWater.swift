import EdgewatchCore
import EdgewatchRemoteWrite

/// What one remote_write target holds per series: the newest time it accepted, by
/// ``Labels/fingerprint``. Loaded from the hub's database when this process starts sending for the
/// target (at start, or when it takes the target over from another replica); raises since then are
/// recorded with the blocks they sent, in the same transaction.
struct RemoteWriteHighWater {
    /// The newest accepted time per series.
    private(set) var times: [UInt64: Int64] = [:]
    /// Raises not recorded in the database yet.
    private(set) var unrecorded: [UInt64: Int64] = [:]
    /// Whether `times` holds what the database had when this process started sending.
    private(set) var loaded = false

    /// Starts from what the database holds.
    mutating func load(_ stored: [UInt64: Int64]) {
        times = stored
        unrecorded = [:]
        loaded = true
    }

    /// Another process sends for the target now: what it sends is not seen here, so load again
    /// before sending.
    mutating func release() {
        loaded = false
        times = [:]
        unrecorded = [:]
    }

    /// A request's series were accepted.
    mutating func accepted(_ request: [RemoteWriteSeries]) {
        for series in request {
            guard let last = series.samples.last?.timestamp else { continue }
            let key = series.labels.fingerprint
            if last > times[key] ?? .min {
                times[key] = last
                unrecorded[key] = last
            }
        }
    }

    /// The database has recorded `raises`.
    mutating func recorded(_ raises: [UInt64: Int64]) {
        for (key, time) in raises where unrecorded[key] == time { unrecorded[key] = nil }
    }
}

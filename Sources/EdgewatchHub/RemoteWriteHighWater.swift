import EdgewatchCore
import EdgewatchRemoteWrite

/// What one remote_write target holds per series: the newest time it accepted, by
/// ``Labels/fingerprint``. Loaded from the hub's database when this process starts sending for the
/// target (at start, or when it takes the target over from another replica); raises since then are
/// recorded with the blocks they sent, in the same transaction.
///
/// A series not sent for ``horizon`` is forgotten (``forget(now:)``), in memory and in the
/// database: replaced pods and retired nodes leave no entry behind for good. Its times only ever
/// kept back samples older than what the target holds, which arrive soon after (another tier of
/// the same minutes, a request sent again); a day later, the target would refuse them for age.
struct RemoteWriteHighWater {
    /// The newest accepted time per series.
    private(set) var times: [UInt64: Int64] = [:]
    /// Raises not recorded in the database yet.
    private(set) var unrecorded: [UInt64: Int64] = [:]
    /// Whether `times` holds what the database had when this process started sending.
    private(set) var loaded = false
    /// When series were last forgotten (or the times loaded).
    private var forgotten: Int64?

    /// How long a series' time is kept after its newest sample sent (milliseconds).
    static let horizon: Int64 = 24 * 3_600_000
    /// How often series are forgotten.
    static let forgetEvery: Int64 = 3_600_000

    /// Starts from what the database holds.
    mutating func load(_ stored: [UInt64: Int64]) {
        times = stored
        unrecorded = [:]
        loaded = true
        forgotten = nil
    }

    /// Drops the series whose newest time sent is older than ``horizon`` at `now`, once per
    /// ``forgetEvery`` (the first call after loading included); returns the time before which
    /// they were dropped, for the database to do the same, or nil when it was not due.
    mutating func forget(now: Int64) -> Int64? {
        if let forgotten, now >= forgotten, now - forgotten < Self.forgetEvery { return nil }
        forgotten = now
        let cutoff = now - Self.horizon
        times = times.filter { $0.value >= cutoff }
        unrecorded = unrecorded.filter { $0.value >= cutoff }
        return cutoff
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

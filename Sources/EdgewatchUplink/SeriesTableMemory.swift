import Synchronization

/// What the uplink knows of the hub's series tables: whether the hub keeps them at all (it says
/// so on each ingest answer) and which tables it acknowledged, so later batches name them by
/// SHA-256 instead of carrying them. Kept in memory only: after a restart the first batch of
/// each table goes inline again, and a hub that no longer keeps one asks for it (409).
final class SeriesTableMemory: Sendable {
    /// Tables remembered, most recent last.
    static let capacity = 16

    private struct State {
        var hubKeepsTables = false
        var known: [[UInt8]] = []
    }

    private let state = Mutex(State())

    /// Whether the hub said it keeps series tables (then batches are sent in format 4).
    var hubKeepsTables: Bool { state.withLock { $0.hubKeepsTables } }

    /// Whether a batch may name this table instead of carrying it.
    func isKnown(_ hash: [UInt8]) -> Bool { state.withLock { $0.hubKeepsTables && $0.known.contains(hash) } }

    /// Records a 2xx answer: whether the hub keeps tables, and that it holds `hash` when the
    /// batch carried it inline in format 4 (or named it).
    func acknowledged(_ hash: [UInt8], hubKeepsTables: Bool, sentInFormat4: Bool) {
        state.withLock { state in
            state.hubKeepsTables = hubKeepsTables
            guard hubKeepsTables, sentInFormat4 else { return }
            state.known.removeAll { $0 == hash }
            state.known.append(hash)
            if state.known.count > Self.capacity { state.known.removeFirst() }
        }
    }

    /// The hub no longer keeps this table.
    func forget(_ hash: [UInt8]) { state.withLock { $0.known.removeAll { $0 == hash } } }
}

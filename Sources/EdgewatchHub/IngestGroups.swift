import EdgewatchSQLite
import Synchronization

/// Group commit's bookkeeping for ``SQLiteHubStorage``: each caller enqueues its batch, then takes
/// the writer; whoever gets it first drains every batch waiting and commits them together, leaving
/// the others' outcomes here for them to take when they get the writer in turn.
final class IngestGroups: Sendable {
    private struct State {
        var next: UInt64 = 0
        var waiting: [(ticket: UInt64, request: HubIngestRequest)] = []
        var finished: [UInt64: Result<HubIngestOutcome, SQLiteError>] = [:]
    }

    private let state = Mutex(State())

    /// Queues a batch; the ticket names its outcome.
    func enqueue(_ request: HubIngestRequest) -> UInt64 {
        state.withLock { state in
            state.next += 1
            state.waiting.append((state.next, request))
            return state.next
        }
    }

    /// The outcome of `ticket` when another caller committed it already.
    func take(_ ticket: UInt64) -> Result<HubIngestOutcome, SQLiteError>? {
        state.withLock { $0.finished.removeValue(forKey: ticket) }
    }

    /// Every batch waiting now, in arrival order.
    func drain() -> [(ticket: UInt64, request: HubIngestRequest)] {
        state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
    }

    /// Keeps the outcomes of a committed group for their callers; returns `mine`'s.
    func finish(
        _ outcomes: some Sequence<(UInt64, Result<HubIngestOutcome, SQLiteError>)>,
        mine: UInt64
    ) -> Result<HubIngestOutcome, SQLiteError> {
        state.withLock { state in
            var own: Result<HubIngestOutcome, SQLiteError>?
            for (ticket, outcome) in outcomes {
                if ticket == mine { own = outcome } else { state.finished[ticket] = outcome }
            }
            return own ?? .failure(SQLiteError(code: 21, message: "the batch was not in the group it committed", context: "ingest"))
        }
    }
}

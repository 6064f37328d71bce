import EdgewatchCore
import EdgewatchJournal
import EdgewatchStore
import Logging
import NIOPosix
import ServiceLifecycle

/// Follows the journal and keeps the entries of the configured units at or above the capture
/// priority in the store, so they survive a journal kept only in RAM (`Storage=volatile`). The
/// cursor commits with the entries; a restart resumes after it, and entries read twice are
/// stored once (unique cursor).
struct LogCapture: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    var description: String { "LogCapture" }

    let store: StoreService
    let directory: String?
    let units: [String]
    let priority: Int
    /// `logs.enabled: true`: a journal that cannot be opened stops the agent instead of a warning.
    var required = false
    let logger: Logger
    var pollInterval: Duration = .seconds(2)

    func run() async throws {
        let follower: JournalFollower
        do {
            follower = try JournalFollower(directory: directory, units: units)
        } catch {
            if required { throw AgentError.logs("logs.enabled is true but \(error)") }
            logger.warning("journal capture off", metadata: ["reason": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        let cursor = await store.meta(StoreWriter.journalCursorKey)
        let found = try await NIOThreadPool.singleton.runIfActive { follower.resume(after: cursor) }
        if cursor != nil, !found { logger.info("journal cursor not found (journal rotated or lost at a reboot); capturing from its start") }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var full = false
            do {
                let batch = try await NIOThreadPool.singleton.runIfActive { try follower.read(limit: 1_000) }
                if let last = batch.cursor {
                    let kept = batch.records.filter { $0.priority <= priority }
                    if await !store.recordLogs(kept, cursor: last) {
                        // The store's buffer is full (flushes failing): read them again from the committed cursor.
                        let committed = await store.meta(StoreWriter.journalCursorKey)
                        _ = try await NIOThreadPool.singleton.runIfActive { follower.resume(after: committed) }
                    }
                    full = batch.records.count == 1_000
                }
            } catch {
                logger.warning("reading the journal failed; retrying", metadata: ["error": "\(error)"])
            }
            if !full {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
                } catch {
                    break
                }
            }
        }
    }
}

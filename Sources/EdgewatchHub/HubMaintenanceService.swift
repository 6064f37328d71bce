import Logging
import NIOPosix

/// Runs the hub's upkeep in the background, compaction then retention: a pass a minute, each of
/// bounded steps (one node's period per transaction, so ingest waits at most one step); a pass
/// that stops at its budget is followed by the next at once, until nothing is due.
struct HubMaintenanceService: Sendable {
    let storage: any HubStorage
    let policy: RetentionPolicy
    let metrics: HubMetrics
    let logger: Logger
    var intervalMilliseconds: Int64 = 60_000
    var stepsPerPass = 256

    func run() async {
        while !Task.isCancelled {
            var finished = true
            let (storage, policy, budget) = (self.storage, self.policy, stepsPerPass)
            do {
                let (compacted, retained) = try await NIOThreadPool.singleton.runIfActive {
                    let compacted = try storage.compact(now: HubClock.now(), budget: budget)
                    return (compacted, try storage.retain(policy: policy, now: HubClock.now(), budget: budget))
                }
                metrics.maintained(compacted: compacted, retained: retained)
                if retained.expiredQueuedBlocks > 0 {
                    logger.warning(
                        "remote_write: retention deleted blocks a target had not taken yet; they are kept as its refusals",
                        metadata: ["blocks": "\(retained.expiredQueuedBlocks)"]
                    )
                }
                finished = compacted.finished && retained.finished
            } catch is CancellationError {
                return
            } catch {
                logger.error("upkeep pass (compaction, retention) failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: .milliseconds(finished ? intervalMilliseconds : 10))
            } catch {
                return
            }
        }
    }
}

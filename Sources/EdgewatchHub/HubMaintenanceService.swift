import Logging
import NIOPosix

/// Runs retention in the background: a pass a minute, each of bounded steps (one node's period per
/// transaction, so ingest waits at most one step); a pass that stops at its budget is followed by
/// the next at once, until nothing is due.
struct HubRetentionService: Sendable {
    let storage: any HubStorage
    let policy: RetentionPolicy
    let metrics: HubMetrics
    let logger: Logger
    var intervalMilliseconds: Int64 = 60_000
    var stepsPerPass = 256

    func run() async {
        guard policy.raw > 0 || policy.minute > 0 || policy.hour > 0 else { return }
        while !Task.isCancelled {
            var finished = true
            let (storage, policy, budget) = (self.storage, self.policy, stepsPerPass)
            do {
                let report = try await NIOThreadPool.singleton.runIfActive {
                    try storage.retain(policy: policy, now: HubClock.now(), budget: budget)
                }
                metrics.retained(report)
                finished = report.finished
            } catch is CancellationError {
                return
            } catch {
                logger.error("retention pass failed; trying again later", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: .milliseconds(finished ? intervalMilliseconds : 10))
            } catch {
                return
            }
        }
    }
}

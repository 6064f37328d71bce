import EdgewatchCore
import Logging
import ServiceLifecycle

/// What a failed request means for the loops: 410 relists at once, 401/403 name the missing
/// permission and retry slowly, everything else retries with backoff and full jitter.
extension KubernetesEventSource {
    /// Waits as the error asks; false when shutdown came first.
    /// A 410 clears `resourceVersion` (the caller lists again).
    func recover(from error: any Error, resourceVersion: inout String?, backoff: inout Backoff, what: String) async -> Bool {
        var random = SystemRandomNumberGenerator()
        switch error {
        case KubernetesError.expired(let message):
            logger.info("kubernetes \(what): resourceVersion expired; listing again", metadata: ["reason": "\(message)"])
            resourceVersion = nil
            return !Task.isCancelled
        case KubernetesError.status(let code, let message) where code == 401 || code == 403:
            metrics.update { $0.errors[code == 401 ? "unauthorized" : "forbidden", default: 0] += 1 }
            let permission = what == "pods" ? "list, watch pods" : "list, watch events" + (settings.api == .events ? " (events.k8s.io)" : "")
            logger.error(
                "kubernetes \(what): the apiserver refused the credentials from \(settings.credentials.origin) (\(code)); they need permission to \(permission). Retrying slowly",
                metadata: ["message": "\(message)"]
            )
            // At least `refusedRetry`, up to five times it: credentials do not fix themselves quickly.
            let least = settings.refusedRetry.components.seconds * 1000 + settings.refusedRetry.components.attoseconds / 1_000_000_000_000_000
            return await pause(least + Int64.random(in: 0...(4 * least), using: &random))
        case KubernetesError.status(let code, let message):
            metrics.update { $0.errors["server", default: 0] += 1 }
            logger.warning("kubernetes \(what): apiserver error; retrying", metadata: ["status": "\(code)", "message": "\(message)"])
        default:
            metrics.update { $0.errors["transport", default: 0] += 1 }
            logger.warning("kubernetes \(what): stream failed; reconnecting", metadata: ["error": "\(error)"])
        }
        return await pause(backoff.next(using: &random))
    }

    /// Sleeps `milliseconds`; false when shutdown or cancellation came first.
    func pause(_ milliseconds: Int64) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(milliseconds)) }
        } catch {
            return false
        }
        return !Task.isShuttingDownGracefully && !Task.isCancelled
    }
}

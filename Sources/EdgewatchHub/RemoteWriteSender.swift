import EdgewatchCore
import EdgewatchHTTPClient
import EdgewatchRemoteWrite
import Logging
import NIOPosix
import NIOSSL

/// Sends one target's queue, oldest block first, until cancelled: a request answered 2xx takes
/// its blocks out of the queue; 5xx, 429 and network failures are retried with backoff (the
/// queue waits, so nothing is skipped); any other 4xx moves the blocks to the target's refusals.
/// With PostgreSQL, only the replica holding the target's lock sends.
struct RemoteWriteSender: Sendable {
    let target: RemoteWriteTarget
    let storage: any HubStorage
    let metrics: HubMetrics
    let logger: Logger
    let tls: NIOSSLContext?
    /// How long an empty queue, or a target another replica sends for, waits before looking again.
    var idleMilliseconds: Int64 = 1_000
    /// Blocks read from the queue at a time.
    var blocksPerRead = 256

    init(target: RemoteWriteTarget, storage: any HubStorage, metrics: HubMetrics, logger: Logger) throws {
        self.target = target
        self.storage = storage
        self.metrics = metrics
        self.logger = logger
        tls =
            target.url.secure
            ? try ClientTLS.context(caFile: target.caFile, certificateFile: target.certificateFile, keyFile: target.keyFile) : nil
    }

    /// What a request's answer means for its blocks.
    enum Outcome: Equatable {
        case accepted
        /// Try the same request again after a while (seconds the target asked for, if any).
        case retry(after: Int?)
        case refused(status: Int, reason: String)

        static func of(status: Int, body: String, retryAfter: Int?) -> Outcome {
            switch status {
            case 200..<300: return .accepted
            case 429, 500..<600: return .retry(after: retryAfter)
            default: return .refused(status: status, reason: String(body.prefix(1024)))
            }
        }
    }

    func run() async {
        var highWater = RemoteWriteHighWater()
        while !Task.isCancelled {
            do {
                let sent = try await sendOnce(highWater: &highWater)
                if !sent { try await Task.sleep(for: .milliseconds(idleMilliseconds)) }
            } catch is CancellationError {
                return
            } catch {
                logger.error("remote_write: cannot read the queue", metadata: ["target": "\(target.name)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(max(idleMilliseconds, 1_000)))
            }
        }
    }

    /// Sends what the queue holds now (false when there was nothing to send, or another replica sends).
    func sendOnce(highWater: inout RemoteWriteHighWater) async throws -> Bool {
        let (storage, target, limit) = (self.storage, self.target, blocksPerRead)
        guard try await blocking({ try storage.claimRemoteWrite(target: target.name) }) else {
            highWater.release()
            return false
        }
        if !highWater.loaded { highWater.load(try await blocking { try storage.remoteWriteHighWater(target: target.name) }) }
        if let cutoff = highWater.forget(now: HubClock.now()) {
            try await blocking { try storage.remoteWriteForget(target: target.name, before: cutoff) }
        }
        let blocks = try await blocking { try storage.remoteWriteQueue(target: target.name, limit: limit) }
        guard !blocks.isEmpty else { return false }
        try await send(blocks, highWater: &highWater)
        return true
    }

    /// Sends blocks in groups. A group refused as a whole is sent again block by block (when it
    /// holds more than one): Prometheus refuses a whole request for one sample it holds already,
    /// so blocks it took before a hub restart (or backfill older than what it holds) must not take
    /// new blocks down with them; only the blocks refused alone are kept as refusals.
    private func send(_ blocks: [QueuedBlock], highWater: inout RemoteWriteHighWater) async throws {
        let (storage, target) = (self.storage, self.target)
        let plan = RemoteWritePlan(blocks: blocks, rollups: target.rollups, maxSamples: target.maxSamplesPerSend, highWater: highWater.times)
        if !plan.undecodable.isEmpty {
            try await refuse(plan.undecodable, status: 0, reason: "the hub cannot decode the stored block")
        }
        for group in plan.groups {
            metrics.remoteWrite(target.name) { $0.skippedSamples += Int64(group.skipped) }
            var refusal: (status: Int, reason: String)?
            for request in group.requests where refusal == nil {
                switch try await deliver(request) {
                case .accepted: highWater.accepted(request)
                case .refused(let status, let reason): refusal = (status, reason)
                case .retry: continue
                }
            }
            if let refusal, group.blocks.count > 1 {
                logger.notice(
                    "remote_write: a request of several blocks was refused; sending them one by one",
                    metadata: ["target": "\(target.name)", "status": "\(refusal.status)"]
                )
                for block in blocks where group.blocks.contains(block.id) { try await send([block], highWater: &highWater) }
            } else if let refusal {
                try await refuse(group.blocks, status: refusal.status, reason: refusal.reason)
            } else {
                let (done, raises) = (group.blocks, highWater.unrecorded)
                try await blocking { try storage.remoteWriteSent(target: target.name, blocks: done, highWater: raises) }
                highWater.recorded(raises)
            }
        }
    }

    /// Sends one request until it is accepted or refused (retrying with backoff meanwhile).
    private func deliver(_ series: [RemoteWriteSeries]) async throws -> Outcome {
        let body = try RemoteWriteRequest.body(series)
        let samples = series.reduce(0) { $0 + $1.samples.count }
        var backoff = Backoff(base: target.minBackoffMilliseconds, cap: target.maxBackoffMilliseconds)
        var random = SystemRandomNumberGenerator()
        while true {
            try Task.checkCancellation()
            let outcome: Outcome
            do {
                let reply = try await HTTPPost.send(
                    host: target.url.host,
                    port: target.url.port,
                    path: target.url.pathPrefix.isEmpty ? "/" : target.url.pathPrefix,
                    body: body,
                    headers: headers,
                    timeout: .milliseconds(target.timeoutMilliseconds),
                    group: MultiThreadedEventLoopGroup.singleton,
                    tls: tls
                )
                outcome = Outcome.of(status: reply.status, body: reply.body, retryAfter: reply.retryAfter)
                metrics.remoteWrite(target.name) { $0.responses[reply.status, default: 0] += 1 }
            } catch {
                metrics.remoteWrite(target.name) { $0.failures += 1 }
                logger.warning("remote_write: request failed; retrying", metadata: ["target": "\(target.name)", "error": "\(error)"])
                outcome = .retry(after: nil)
            }
            switch outcome {
            case .accepted:
                metrics.remoteWrite(target.name) {
                    $0.sentSamples += Int64(samples)
                    $0.lastSuccess = HubClock.now()
                }
                return outcome
            case .refused(let status, let reason):
                logger.error(
                    "remote_write: target refused a request",
                    metadata: ["target": "\(target.name)", "status": "\(status)", "reason": "\(reason)"]
                )
                return outcome
            case .retry(let after):
                metrics.remoteWrite(target.name) { $0.retries += 1 }
                let wait = after.map { Int64(min($0, 300)) * 1000 } ?? backoff.next(using: &random)
                try await Task.sleep(for: .milliseconds(wait))
            }
        }
    }

    private var headers: [(String, String)] {
        var result = RemoteWriteRequest.headers
        if let auth = target.basicAuth {
            result.append(("Authorization", "Basic " + Base64.encode(Array("\(auth.username):\(auth.password)".utf8))))
        }
        return result + target.headers.map { ($0.name, $0.value) }
    }

    private func refuse(_ blocks: [Int64], status: Int, reason: String) async throws {
        let (storage, name) = (self.storage, target.name)
        metrics.remoteWrite(name) { $0.refusedBlocks += Int64(blocks.count) }
        try await blocking { try storage.remoteWriteRefused(target: name, blocks: blocks, status: status, reason: reason, at: HubClock.now()) }
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

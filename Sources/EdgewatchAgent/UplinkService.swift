import EdgewatchConfig
import EdgewatchStore
import EdgewatchUplink
import HostFS
import Logging
import NIOCore
import ServiceLifecycle

/// Store-and-forward to the hub: reads committed windows from the store, sends the newest
/// first and the backlog behind it, retries with exponential backoff and full jitter (honouring
/// Retry-After), dead-letters batches the hub refuses for good, and moves its durable cursor
/// only after the hub's 2xx. Memory stays flat: one window is read and encoded at a time.
public struct UplinkService: Service, CustomStringConvertible {
    /// Never prints the token or the node secret (service lifecycle logs services by description).
    public var description: String { "UplinkService(\(settings.url.host):\(settings.url.port), node \(settings.node), \(settings.stream))" }

    public struct Settings: Sendable {
        public var url: HTTPURL
        public var token: String
        public var node: String
        public var nodeSecret: String
        public var tier: Tier
        public var maxBatchBytes: Int
        /// Bytes per second, 0 for no cap.
        public var bandwidth: Int64
        public var storePath: String
        public var statePath: String
        /// Window width override (0: by tier).
        public var windowOverride: Int64

        public init(url: HTTPURL, token: String, node: String, nodeSecret: String, tier: Tier, maxBatchBytes: Int, bandwidth: Int64,
                    storePath: String, statePath: String, windowMilliseconds: Int64 = 0) {
            self.url = url
            self.token = token
            self.node = node
            self.nodeSecret = nodeSecret
            self.tier = tier
            self.maxBatchBytes = maxBatchBytes
            self.bandwidth = bandwidth
            self.storePath = storePath
            self.statePath = statePath
            windowOverride = windowMilliseconds
        }

        /// Window width: 1 minute of raw samples, 10 minutes of 1 m summaries, 6 hours of 1 h ones.
        var windowMilliseconds: Int64 {
            if windowOverride > 0 { return windowOverride }
            switch tier {
            case .raw: return 60_000
            case .minute: return 600_000
            case .hour: return 21_600_000
            }
        }

        /// The stream name carries the tier and window width, so a changed width never reuses old keys.
        var stream: String { "metrics/\(tier.name)/\(windowMilliseconds / 1000)s" }
        var alertStream: String { "alerts/\(tier.name)/\(windowMilliseconds / 1000)s" }
    }

    let settings: Settings
    let metrics: AgentMetrics
    /// The agent's client event loop, shared with the Alertmanager notifier.
    let group: any EventLoopGroup
    let logger: Logger

    public init(settings: Settings, metrics: AgentMetrics, group: any EventLoopGroup, logger: Logger) {
        self.settings = settings
        self.metrics = metrics
        self.group = group
        self.logger = logger
    }

    enum Outcome {
        case delivered(bytes: Int)
        case retry(afterMilliseconds: Int64?)
    }

    public func run() async throws {
        let state: UplinkState
        do {
            state = try UplinkState(path: settings.statePath)
        } catch {
            logger.error("uplink disabled: cannot open its state", metadata: ["path": "\(settings.statePath)", "error": "\(error)"])
            return
        }
        var plan = (try? state.plan(stream: settings.stream)) ?? UplinkPlan()
        // After a change of window width, data before this instant went up in the old stream.
        let resumeAt = (try? state.coveredUntil(prefix: "metrics/\(settings.tier.name)/", except: settings.stream)) ?? nil
        if plan.liveNext == nil, let resumeAt {
            // Resume where the old stream stopped instead of sending its data again; the window holding
            // that instant is sent from the instant on.
            plan.resumeFrom = Self.floorDiv(resumeAt, settings.windowMilliseconds)
            logger.info("uplink window changed; resuming after what the previous stream delivered", metadata: ["from_ms": "\(resumeAt)"])
        }
        // Full jitter up to 30 s spreads thousands of nodes after an outage and still resumes quickly.
        var backoff = Backoff(base: 1_000, cap: 30_000)
        var random = SystemRandomNumberGenerator()
        var reader: StoreReader?
        let width = settings.windowMilliseconds
        metrics.updateUplink { $0.deadLetters = state.count("dead_letters"); $0.downgrades = state.count("downgrades") }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var pause: Int64 = 1_000
            do {
                if reader == nil { reader = try? StoreReader(path: settings.storePath) }
                if let reader, let bounds = try reader.cycleBounds() {
                    let oldest = try Tier.allCases.filter { $0 >= settings.tier }.compactMap { try reader.oldestTimestamp(tier: $0) }.min() ?? bounds.first
                    logger.trace("uplink tick", metadata: ["last": "\(bounds.last)", "oldest": "\(oldest)", "plan": "\(plan)"])
                    let step = plan.next(newestComplete: Self.floorDiv(bounds.last, width) - 1, oldestAvailable: Self.floorDiv(oldest, width))
                    metrics.updateUplink { $0.backlogWindows = plan.backlogCount }
                    let index: Int64?
                    switch step {
                    case .live(let value), .backfill(let value): index = value
                    case .idle: index = nil
                    }
                    if let index {
                        logger.debug("uplink window", metadata: ["step": "\(step)", "newest_complete": "\(Self.floorDiv(bounds.last, width) - 1)"])
                        switch try await send(window: index, notBefore: resumeAt, reader: reader, state: state) {
                        case .delivered(let bytes):
                            plan.completed(step)
                            try state.save(plan, stream: settings.stream)
                            backoff.reset()
                            metrics.updateUplink {
                                $0.lagSeconds = Double(bounds.last - (index + 1) * width) / 1000
                                $0.deadLetters = state.count("dead_letters")
                                $0.downgrades = state.count("downgrades")
                            }
                            pause = settings.bandwidth > 0 ? Int64(bytes) * 1000 / settings.bandwidth : 0
                        case .retry(let after):
                            pause = max(after ?? 0, backoff.next(using: &random))
                        }
                    }
                }
            } catch {
                logger.warning("uplink step failed; retrying", metadata: ["error": "\(error)"])
                pause = backoff.next(using: &random)
            }
            if pause > 0 {
                let wait = pause
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(wait)) }
                } catch {
                    break
                }
            }
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    /// Sends one window: first its alerts and events, then its metrics (split by series when a
    /// batch exceeds the size limit); each part is its own idempotent batch.
    func send(window index: Int64, notBefore: Int64?, reader: StoreReader, state: UplinkState) async throws -> Outcome {
        let width = settings.windowMilliseconds
        let from = index * width
        let dataFrom = max(from, notBefore ?? from)
        let builder = UplinkBatchBuilder(reader: reader, node: settings.node)
        var sent = 0
        for alerts in [true, false] {
            let stream = alerts ? settings.alertStream : settings.stream
            guard let batch = try builder.batch(stream: stream, sequence: from, from: dataFrom, to: from + width, tier: settings.tier, alerts: alerts) else { continue }
            switch try await send(batch, state: state) {
            case .delivered(let bytes): sent += bytes
            case .retry(let after): return .retry(afterMilliseconds: after)
            }
            if let downgraded = batch.downgradedFrom {
                try state.downgrade(stream: stream, sequence: from, from: downgraded, to: batch.tier, at: LiveHostKernel().wallTime().milliseconds)
            }
        }
        return .delivered(bytes: sent)
    }

    func send(_ batch: UplinkBatch, state: UplinkState) async throws -> Outcome {
        var parts = [batch]
        var bodies = [batch.compressed()]
        while let largest = bodies.indices.max(by: { bodies[$0].count < bodies[$1].count }), bodies[largest].count > settings.maxBatchBytes,
              parts[largest].series.count > 1 {
            let (a, b) = Self.split(parts[largest])
            parts.replaceSubrange(largest...largest, with: [a, b])
            bodies.replaceSubrange(largest...largest, with: [a.compressed(), b.compressed()])
        }
        var sent = 0
        for (number, var part) in parts.enumerated() {
            if parts.count > 1 {
                part.stream += "/part\(number + 1)of\(parts.count)"
                bodies[number] = part.compressed()
            }
            let reply: HTTPPost.Reply
            do {
                reply = try await HTTPPost.send(
                    host: settings.url.host, port: settings.url.port, path: settings.url.pathPrefix + "/api/v1/ingest", body: bodies[number],
                    headers: [("Content-Type", "application/x-edgewatch-batch"), ("Authorization", "Bearer " + settings.token),
                              ("X-Edgewatch-Node", settings.node), ("X-Edgewatch-Node-Secret", settings.nodeSecret)],
                    timeout: .seconds(30), group: group)
            } catch {
                metrics.updateUplink { $0.failures += 1 }
                logger.debug("uplink send failed", metadata: ["stream": "\(part.stream)", "window": "\(part.sequence)", "error": "\(error)"])
                return .retry(afterMilliseconds: nil)
            }
            switch reply.status {
            case 200..<300:
                sent += bodies[number].count
                metrics.updateUplink {
                    $0.batches += 1
                    $0.bytes += Int64(bodies[number].count)
                    $0.samples += Int64(part.sampleCount)
                }
            case 408, 429, 500...:
                metrics.updateUplink { $0.failures += 1 }
                logger.info("hub asked to retry", metadata: ["status": "\(reply.status)", "retry_after": "\(reply.retryAfter.map(String.init) ?? "-")"])
                return .retry(afterMilliseconds: reply.retryAfter.map { Int64($0) * 1000 })
            default:
                // Refused for good: keep the reason, do not block the queue.
                try state.deadLetter(stream: part.stream, sequence: part.sequence, status: reply.status, reason: reply.body, at: LiveHostKernel().wallTime().milliseconds)
                logger.error("hub refused a batch; dead-lettered", metadata: ["stream": "\(part.stream)", "window": "\(part.sequence)", "status": "\(reply.status)", "reason": "\(reply.body.prefix(300))"])
            }
        }
        return .delivered(bytes: sent)
    }

    /// Two halves by series (deterministic: series order is the store's).
    static func split(_ batch: UplinkBatch) -> (UplinkBatch, UplinkBatch) {
        let half = batch.series.count / 2
        func part(_ range: Range<Int>) -> UplinkBatch {
            var copy = batch
            copy.series = Array(batch.series[range])
            copy.block.series = batch.block.series.filter { range.contains(Int($0.id)) }.map {
                BlockSeries(id: $0.id - Int64(range.lowerBound), present: $0.present, values: $0.values)
            }
            return copy
        }
        var first = part(0..<half)
        first.gaps = batch.gaps
        first.events = batch.events
        var second = part(half..<batch.series.count)
        second.gaps = []
        second.events = []
        return (first, second)
    }
}

import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
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

    /// What the store holds in memory, not yet flushed, of a tier in `[from, to)` (of one clock era,
    /// or all when nil).
    public typealias PendingSource = @Sendable (_ tier: Tier, _ from: Int64, _ to: Int64, _ era: Int64?) async -> PendingView?

    let settings: Settings
    let metrics: UplinkMetrics
    /// The agent's client event loop, shared with the Alertmanager notifier.
    let group: any EventLoopGroup
    let logger: Logger
    /// The store's unflushed head, so the live edge goes up before the next flush (nil: committed data only).
    let pending: PendingSource?
    /// Which series tables the hub holds, so batches can name them instead of carrying them.
    let tables = SeriesTableMemory()

    public init(settings: Settings, metrics: UplinkMetrics, group: any EventLoopGroup, logger: Logger, pending: PendingSource? = nil) {
        self.settings = settings
        self.metrics = metrics
        self.group = group
        self.logger = logger
        self.pending = pending
    }

    enum Outcome {
        case delivered(bytes: Int)
        case retry(afterMilliseconds: Int64?)
    }

    /// Reads the cursor, then sends until shutdown; stops sending (with the `edgewatch_uplink_stopped`
    /// metric) when its state cannot be opened or read, rather than resending everything, and
    /// waits for the agent's shutdown (a service that returns early would stop the whole agent).
    public func run() async throws {
        let thread = DatabaseThread()
        do {
            let state = try UplinkState(path: settings.statePath, thread: thread)
            if let start = await start(state) { await send(from: start, state: state) }
            await state.close()
        } catch {
            stop("cannot open its state", error)
        }
        await thread.shutdown()
        try? await gracefulShutdown()
    }

    /// The cursor as stored (in the oldest clock era not finished). Read errors are retried with
    /// backoff; nil (after logging why) when the state stays unreadable.
    func start(_ state: UplinkState) async -> EraCursor? {
        var backoff = Backoff(base: 1_000, cap: 30_000)
        var random = SystemRandomNumberGenerator()
        for attempt in 1...5 {
            do {
                let era = try await state.newestEra(tier: settings.tier)
                return try await load(era: era, state: state)
            } catch {
                guard attempt < 5 else {
                    stop("cannot read its cursor", error)
                    return nil
                }
                logger.warning("uplink cursor unreadable; retrying", metadata: ["path": "\(settings.statePath)", "error": "\(error)"])
                guard await pause(backoff.next(using: &random)) else { return nil }
            }
        }
        return nil
    }

    /// The plan of clock era `era`, and where data not yet delivered by an older stream of the era
    /// (another window width) begins.
    func load(era: Int64, state: UplinkState) async throws -> EraCursor {
        let stream = settings.stream(slots: 1, era: era)
        var plan = try await state.plan(stream: stream)
        // After a change of window width, data before this instant went up in the old stream.
        let resumeAt = try await state.coveredUntil(prefix: settings.streamPrefix(era: era), except: stream)
        if plan.liveNext == nil, let resumeAt {
            // The slot holding that instant is sent from the instant on.
            plan.resumeFrom = Self.floorDiv(resumeAt, settings.slotMilliseconds)
            logger.info("uplink window changed; resuming after what the previous stream delivered", metadata: ["from_ms": "\(resumeAt)"])
        }
        return EraCursor(era: era, plan: plan, resumeAt: resumeAt)
    }

    private func stop(_ why: String, _ error: any Error) {
        metrics.update { $0.stopped = 1 }
        logger.error(
            "uplink stopped: \(why); nothing is resent from the start. Fix or move the file and restart the agent",
            metadata: ["path": "\(settings.statePath)", "error": "\(error)"]
        )
    }

    /// The send loop: one window per step, live first, until shutdown.
    func send(from start: EraCursor, state: UplinkState) async {
        var cursor = start
        // Full jitter up to 30 s spreads thousands of nodes after an outage and still resumes quickly.
        var backoff = Backoff(base: 1_000, cap: 30_000)
        var random = SystemRandomNumberGenerator()
        var reader: StoreReader?
        await refreshCounts(state)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var wait: Int64 = 1_000
            do {
                if reader == nil { reader = try? StoreReader(path: settings.storePath) }
                if let reader, let outcome = try await step(&cursor, reader: reader, state: state) {
                    switch outcome {
                    case .delivered(let bytes):
                        backoff.reset()
                        wait = settings.bandwidth > 0 ? Int64(bytes) * 1000 / settings.bandwidth : 0
                    case .retry(let after):
                        wait = max(after ?? 0, backoff.next(using: &random))
                    }
                }
            } catch {
                logger.warning("uplink step failed; retrying", metadata: ["error": "\(error)"])
                wait = backoff.next(using: &random)
            }
            guard await pause(wait) else { break }
        }
    }

    func refreshCounts(_ state: UplinkState) async {
        let counts = await state.counts()
        metrics.update {
            $0.deadLetters = counts.deadLetters
            $0.downgrades = counts.downgrades
        }
    }

    /// Sleeps `milliseconds`; false when the service is shutting down.
    private func pause(_ milliseconds: Int64) async -> Bool {
        guard milliseconds > 0 else { return !Task.isShuttingDownGracefully }
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(milliseconds)) }
            return true
        } catch {
            return false
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
}

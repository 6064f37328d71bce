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

    /// What the store holds in memory, not yet flushed, of a tier in `[from, to)`.
    public typealias PendingSource = @Sendable (_ tier: Tier, _ from: Int64, _ to: Int64) async -> PendingView?

    let settings: Settings
    let metrics: UplinkMetrics
    /// The agent's client event loop, shared with the Alertmanager notifier.
    let group: any EventLoopGroup
    let logger: Logger
    /// The store's unflushed head, so the live edge goes up before the next flush (nil: committed data only).
    let pending: PendingSource?

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

    /// The plan as stored, and where data not yet delivered by an older stream begins. Read errors
    /// are retried with backoff; nil (after logging why) when the state stays unreadable.
    func start(_ state: UplinkState) async -> (plan: UplinkPlan, resumeAt: Int64?)? {
        var backoff = Backoff(base: 1_000, cap: 30_000)
        var random = SystemRandomNumberGenerator()
        for attempt in 1...5 {
            do {
                var plan = try await state.plan(stream: settings.stream)
                // After a change of window width, data before this instant went up in the old stream.
                let resumeAt = try await state.coveredUntil(prefix: settings.streamPrefix, except: settings.stream)
                if plan.liveNext == nil, let resumeAt {
                    // The slot holding that instant is sent from the instant on.
                    plan.resumeFrom = Self.floorDiv(resumeAt, settings.slotMilliseconds)
                    logger.info("uplink window changed; resuming after what the previous stream delivered", metadata: ["from_ms": "\(resumeAt)"])
                }
                return (plan, resumeAt)
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

    private func stop(_ why: String, _ error: any Error) {
        metrics.update { $0.stopped = 1 }
        logger.error(
            "uplink stopped: \(why); nothing is resent from the start. Fix or move the file and restart the agent",
            metadata: ["path": "\(settings.statePath)", "error": "\(error)"]
        )
    }

    /// The send loop: one window per step, live first, until shutdown.
    func send(from start: (plan: UplinkPlan, resumeAt: Int64?), state: UplinkState) async {
        var plan = start.plan
        // Full jitter up to 30 s spreads thousands of nodes after an outage and still resumes quickly.
        var backoff = Backoff(base: 1_000, cap: 30_000)
        var random = SystemRandomNumberGenerator()
        var reader: StoreReader?
        await refreshCounts(state)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var wait: Int64 = 1_000
            do {
                if reader == nil { reader = try? StoreReader(path: settings.storePath) }
                if let reader, let outcome = try await step(&plan, reader: reader, resumeAt: start.resumeAt, state: state) {
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

    /// Sends the step the plan chooses; nil when there is nothing to send yet. The newest cycle is
    /// the newest the agent holds, flushed or not: a slot is complete once a later cycle exists.
    func step(_ plan: inout UplinkPlan, reader: StoreReader, resumeAt: Int64?, state: UplinkState) async throws -> Outcome? {
        let head = await pending?(settings.tier, 0, 0)
        let bounds = try reader.cycleBounds()
        guard let newest = [bounds?.last, head?.newestCycle].compactMap({ $0 }).max() else { return nil }
        let slot = settings.slotMilliseconds
        let tiers = Tier.allCases.filter { $0 >= settings.tier }
        let oldest = try tiers.compactMap { try reader.oldestTimestamp(tier: $0) }.min() ?? bounds?.first ?? newest
        let chosenBefore = plan.inflight != nil
        let step = plan.next(
            newestComplete: Self.floorDiv(newest, slot) - 1,
            oldestAvailable: Self.floorDiv(oldest, slot),
            windowSlots: settings.windowSlots
        )
        let backlog = plan.backlogCount
        metrics.update { $0.backlogWindows = backlog }
        guard step != .idle else { return nil }
        // The step is durable before it is sent: after a crash the same slots go up under the same key.
        if !chosenBefore { try await state.save(plan, stream: settings.stream) }
        return try await deliver(step, plan: &plan, newest: newest, reader: reader, resumeAt: resumeAt, state: state)
    }

    private func deliver(
        _ step: UplinkPlan.Step,
        plan: inout UplinkPlan,
        newest: Int64,
        reader: StoreReader,
        resumeAt: Int64?,
        state: UplinkState
    ) async throws -> Outcome {
        logger.debug("uplink step", metadata: ["step": "\(step)"])
        guard let span = step.span else { return .delivered(bytes: 0) }
        let outcome = try await send(first: span.first, slots: span.slots, notBefore: resumeAt, reader: reader, state: state)
        if case .delivered = outcome {
            plan.completed(step)
            try await state.save(plan, stream: settings.stream)
            let lag = Double(newest - (span.first + span.slots) * settings.slotMilliseconds) / 1000
            metrics.update { $0.lagSeconds = lag }
            await refreshCounts(state)
        }
        return outcome
    }

    private func refreshCounts(_ state: UplinkState) async {
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

import EdgewatchEncoding
import EdgewatchStore

/// Choosing and sending one step, clock era by era.
extension UplinkService {
    /// The uplink's position in one clock era of the store: eras are sent in order, each under
    /// streams of its own, since a clock that went back makes an era's times repeat older ones.
    struct EraCursor: Sendable {
        var era: Int64
        var plan: UplinkPlan
        /// Where data not yet delivered by an older stream of the era (another width) begins.
        var resumeAt: Int64?
    }

    /// Sends the step the plan chooses; nil when there is nothing to send yet. The newest cycle is
    /// the newest the agent holds, flushed or not: a slot is complete once a later cycle exists, and
    /// every slot of an era that ended is. While the store holds rows for a clock correction, only
    /// what is settled in the current era counts as complete, and ended eras wait.
    func step(_ cursor: inout EraCursor, reader: StoreReader, state: UplinkState) async throws -> Outcome? {
        let head = await pending?(settings.tier, 0, 0, nil)
        let current = max(head?.era ?? 0, try reader.newestEra())
        let era = cursor.era
        let ended = era < current
        let eraHead = ended ? await pending?(settings.tier, 0, 0, era) : head
        let bounds = try reader.cycleBounds(era: era)
        let newest = [bounds?.last, eraHead?.newestCycle, ended ? try reader.eraEnd(era) : nil].compactMap({ $0 }).max()
        let slot = settings.slotMilliseconds
        let holding = head?.holding ?? false
        // An ended era is finished when nothing is owed through its end, or when the store knows
        // nothing of it any more (ended by an older version, every cycle evicted).
        if ended, !holding, newest == nil || cursor.plan.isFinished(through: newest.map { Self.floorDiv($0, slot) }) {
            logger.info("uplink finished a clock era", metadata: ["era": "\(era)"])
            cursor = try await load(era: era + 1, state: state)
            return .delivered(bytes: 0)
        }
        guard let newest else { return nil }
        let complete: Int64
        if holding {
            complete = ended ? -1 : (head?.settledThrough.map { Self.floorDiv($0, slot) - 1 } ?? -1)
        } else {
            complete = Self.floorDiv(newest, slot) - (ended ? 0 : 1)
        }
        let oldest = try oldestHeld(plan: cursor.plan, era: era, reader: reader) ?? bounds?.first ?? newest
        let chosenBefore = cursor.plan.inflight != nil
        let step = cursor.plan.next(newestComplete: complete, oldestAvailable: Self.floorDiv(oldest, slot), windowSlots: settings.windowSlots)
        let backlog = cursor.plan.backlogCount
        metrics.update { $0.backlogWindows = backlog }
        guard step != .idle else { return nil }
        let stream = settings.stream(slots: 1, era: era)
        // The step is durable before it is sent: after a crash the same slots go up under the same key.
        if !chosenBefore { try await state.save(cursor.plan, stream: stream) }
        return try await deliver(step, cursor: &cursor, newest: newest, reader: reader, state: state)
    }

    /// The oldest time the store holds anything owed at: a segment of the uplink's tier or coarser,
    /// or an event or a gap since the oldest owed slot. Events have a budget share of their own and
    /// outlive the segments of their time, and the gaps say what eviction took: their slots stay
    /// owed after every tier there was evicted, so the hub learns why it has no data there.
    private func oldestHeld(plan: UplinkPlan, era: Int64, reader: StoreReader) throws -> Int64? {
        let tiers = Tier.allCases.filter { $0 >= settings.tier }
        let segments = try tiers.compactMap { try reader.oldestTimestamp(tier: $0, era: era) }.min()
        guard let owed = plan.backlog.first?.lowerBound ?? plan.liveNext else { return segments }
        let event = try reader.firstEventRecorded(from: owed * settings.slotMilliseconds)
        let gap = try reader.firstGapStart(endingFrom: owed * settings.slotMilliseconds)
        return [segments, event, gap].compactMap { $0 }.min()
    }

    /// The earliest time after an empty backfill step where the store may hold anything of the era
    /// (committed or buffered); `.max` when nothing at all.
    private func nextActivity(after span: (first: Int64, slots: Int64), era: Int64, reader: StoreReader) async throws -> Int64? {
        let from = (span.first + span.slots) * settings.slotMilliseconds
        let committed = try reader.nextActivity(from: from, tier: settings.tier, era: era)
        let buffered = await pending?(settings.tier, 0, 0, era)?.oldestCycle
        return [committed, buffered].compactMap { $0 }.min() ?? .max
    }

    private func deliver(
        _ step: UplinkPlan.Step,
        cursor: inout EraCursor,
        newest: Int64,
        reader: StoreReader,
        state: UplinkState
    ) async throws
        -> Outcome
    {
        logger.debug("uplink step", metadata: ["step": "\(step)", "era": "\(cursor.era)"])
        guard let span = step.span else { return .delivered(bytes: 0) }
        let outcome = try await send(
            first: span.first,
            slots: span.slots,
            era: cursor.era,
            notBefore: cursor.resumeAt,
            reader: reader,
            state: state
        )
        if case .delivered(let bytes) = outcome {
            cursor.plan.completed(step)
            if bytes == 0, case .backfill = step, let next = try await nextActivity(after: span, era: cursor.era, reader: reader) {
                cursor.plan.skipBacklog(before: Self.floorDiv(next, settings.slotMilliseconds))
            }
            try await state.save(cursor.plan, stream: settings.stream(slots: 1, era: cursor.era))
            let lag = Double(newest - (span.first + span.slots) * settings.slotMilliseconds) / 1000
            metrics.update { $0.lagSeconds = lag }
            await refreshCounts(state)
        }
        return outcome
    }
}

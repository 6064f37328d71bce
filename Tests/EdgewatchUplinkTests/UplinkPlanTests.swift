import Testing

@testable import EdgewatchUplink

@Suite struct UplinkPlanTests {
    @Test func firstStartSendsTheNewestSlotThenTheBacklogOldestFirst() {
        var plan = UplinkPlan()
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .live(10))
        plan.completed(.live(10))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .backfill(7, slots: 1))
        plan.completed(.backfill(7, slots: 1))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .backfill(8, slots: 1))
        #expect(plan.backlogCount == 2)
    }

    @Test func liveGoesFirstWhileTheBacklogDrains() {
        var plan = UplinkPlan(liveNext: 5)
        // The link was down for slots 5...8; slot 9 is the newest.
        #expect(plan.next(newestComplete: 9, oldestAvailable: 0) == .live(9))
        plan.completed(.live(9))
        #expect(plan.backlog == [5..<9])
        #expect(plan.next(newestComplete: 9, oldestAvailable: 0) == .backfill(5, slots: 1))
        plan.completed(.backfill(5, slots: 1))
        // A new slot completes: it goes before the rest of the backlog.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .live(10))
        plan.completed(.live(10))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .backfill(6, slots: 1))
    }

    @Test func aStepIsRepeatedUnchangedUntilAcknowledgedThenEvictedSlotsLeaveTheBacklog() {
        var plan = UplinkPlan(liveNext: 11, backlog: [3..<11])
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .backfill(3, slots: 1))
        // Not completed (send failed): the same step comes again, even after the store evicted it.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .backfill(3, slots: 1))
        plan.completed(.backfill(3, slots: 1))
        // The store evicted everything before slot 6 at every tier.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .backfill(6, slots: 1))
        #expect(plan.backlog == [6..<11])
        plan.completed(.backfill(6, slots: 1))
        for slot in 7..<11 {
            #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .backfill(Int64(slot), slots: 1))
            plan.completed(.backfill(Int64(slot), slots: 1))
        }
        #expect(plan.backlog.isEmpty)
        #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .idle)
        #expect(plan.inflight == nil)
    }

    @Test func nothingCompleteYetIsIdle() {
        var plan = UplinkPlan()
        #expect(plan.next(newestComplete: -1, oldestAvailable: 0) == .idle)
        #expect(plan.liveNext == nil)
        #expect(plan.inflight == nil)
    }
}

@Suite struct UplinkPlanWindowTests {
    @Test func theBacklogGoesAWholeWindowAtATimeWhereOneRangeHoldsIt() {
        // Windows of 10 slots; the link was down from slot 7 to slot 35.
        var plan = UplinkPlan(liveNext: 7)
        #expect(plan.next(newestComplete: 35, oldestAvailable: 0, windowSlots: 10) == .live(35))
        plan.completed(.live(35))
        var steps: [UplinkPlan.Step] = []
        while case let step = plan.next(newestComplete: 35, oldestAvailable: 0, windowSlots: 10), step != .idle {
            steps.append(step)
            plan.completed(step)
        }
        // Slots 7–9 alone (their window's first slots went live), windows 10 and 20, then 30–34 alone
        // (slot 35 went live, so window 30 is not wholly owed).
        let expected: [UplinkPlan.Step] =
            [.backfill(7, slots: 1), .backfill(8, slots: 1), .backfill(9, slots: 1), .backfill(10, slots: 10), .backfill(20, slots: 10)]
            + (30..<35).map { .backfill(Int64($0), slots: 1) }
        #expect(steps == expected)
    }

    @Test func rangesAreNotMergedAcrossSlotsAlreadyDelivered() {
        var plan = UplinkPlan(liveNext: 3)
        #expect(plan.next(newestComplete: 5, oldestAvailable: 0, windowSlots: 10) == .live(5))
        plan.completed(.live(5))
        // Slot 6 goes live, then a second outage: slots 7–24 owed.
        #expect(plan.next(newestComplete: 6, oldestAvailable: 0, windowSlots: 10) == .live(6))
        plan.completed(.live(6))
        #expect(plan.next(newestComplete: 25, oldestAvailable: 0, windowSlots: 10) == .live(25))
        plan.completed(.live(25))
        #expect(plan.backlog == [3..<5, 7..<25])
        // Window 0 holds delivered slots 5 and 6: its owed slots go one by one; window 10 goes whole.
        var widths: [Int64: Int64] = [:]
        while case let step = plan.next(newestComplete: 25, oldestAvailable: 0, windowSlots: 10), let span = step.span {
            widths[span.first] = span.slots
            plan.completed(step)
        }
        #expect(widths[10] == 10)
        #expect(widths.filter { $0.value == 10 }.count == 1)
        #expect(widths.keys.sorted() == [3, 4, 7, 8, 9, 10, 20, 21, 22, 23, 24])
    }

    @Test func aChosenStepSurvivesAMergeThatWouldHaveChosenAWiderOne() {
        // Slot 20 alone is in flight (slot 21 not yet owed); then the live edge moves on.
        var plan = UplinkPlan(liveNext: 21, backlog: [20..<21])
        #expect(plan.next(newestComplete: 20, oldestAvailable: 0, windowSlots: 10) == .backfill(20, slots: 1))
        // Sending failed; meanwhile slots 21–39 joined the backlog's range in memory.
        #expect(plan.next(newestComplete: 40, oldestAvailable: 0, windowSlots: 10) == .backfill(20, slots: 1))
        plan.completed(.backfill(20, slots: 1))
        #expect(plan.next(newestComplete: 40, oldestAvailable: 0, windowSlots: 10) == .live(40))
    }
}

@Suite struct UplinkPlanResumeTests {
    @Test func aNewWidthResumesAfterWhatTheOldStreamDelivered() {
        var plan = UplinkPlan()
        plan.resumeFrom = 8
        #expect(plan.next(newestComplete: 10, oldestAvailable: 2) == .live(10))
        plan.completed(.live(10))
        #expect(plan.backlog == [8..<10])
    }

    @Test func anEmptyStretchOfBacklogIsSkippedAndAnEndedEraIsFinishedOnlyWhenNothingIsOwed() {
        var plan = UplinkPlan(liveNext: 100_000, backlog: [10..<90_000, 95_000..<96_000])
        plan.skipBacklog(before: 89_990)
        #expect(plan.backlog == [89_990..<90_000, 95_000..<96_000])
        plan.skipBacklog(before: .max / 2)
        #expect(plan.backlog == [95_000..<96_000])
        #expect(!plan.isFinished(through: 99_999))
        plan.backlog = []
        #expect(plan.isFinished(through: 99_999) && !plan.isFinished(through: 100_000) && plan.isFinished(through: nil))
        // A step in flight is never skipped over, nor an era with one finished.
        plan.backlog = [3..<9]
        #expect(plan.next(newestComplete: 99_999, oldestAvailable: 0) == .backfill(3, slots: 1))
        plan.skipBacklog(before: 8)
        #expect(plan.backlog == [3..<9] && !plan.isFinished(through: nil))
        #expect(UplinkPlan().isFinished(through: nil) && !UplinkPlan().isFinished(through: 0))
    }
}

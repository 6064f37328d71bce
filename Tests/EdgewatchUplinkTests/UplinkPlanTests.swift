import Testing

@testable import EdgewatchUplink

@Suite struct UplinkPlanTests {
    @Test func firstStartSendsTheNewestWindowThenTheBacklogOldestFirst() {
        var plan = UplinkPlan()
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .live(10))
        plan.completed(.live(10))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .backfill(7))
        plan.completed(.backfill(7))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 7) == .backfill(8))
        #expect(plan.backlogCount == 2)
    }

    @Test func liveGoesFirstWhileTheBacklogDrains() {
        var plan = UplinkPlan(liveNext: 5, backlog: nil)
        // The link was down for windows 5...8; window 9 is the newest.
        #expect(plan.next(newestComplete: 9, oldestAvailable: 0) == .live(9))
        plan.completed(.live(9))
        #expect(plan.backlog == 5..<9)
        #expect(plan.next(newestComplete: 9, oldestAvailable: 0) == .backfill(5))
        plan.completed(.backfill(5))
        // A new window completes: it goes before the rest of the backlog.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .live(10))
        plan.completed(.live(10))
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .backfill(6))
    }

    @Test func aFailedSendIsRetriedAndWindowsTheStoreLostLeaveTheBacklog() {
        var plan = UplinkPlan(liveNext: 11, backlog: 3..<11)
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .backfill(3))
        // Not completed (send failed): the same window comes again.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 0) == .backfill(3))
        // The store evicted everything before window 6 at every tier.
        #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .backfill(6))
        #expect(plan.backlog == 6..<11)
        for window in 6..<11 { plan.completed(.backfill(Int64(window))) }
        #expect(plan.backlog == nil)
        #expect(plan.next(newestComplete: 10, oldestAvailable: 6) == .idle)
    }

    @Test func nothingCompleteYetIsIdle() {
        var plan = UplinkPlan()
        #expect(plan.next(newestComplete: -1, oldestAvailable: 0) == .idle)
        #expect(plan.liveNext == nil)
    }
}

@Suite struct UplinkPlanResumeTests {
    @Test func aNewWindowWidthResumesAfterWhatTheOldStreamDelivered() {
        var plan = UplinkPlan()
        plan.resumeFrom = 8
        #expect(plan.next(newestComplete: 10, oldestAvailable: 2) == .live(10))
        plan.completed(.live(10))
        #expect(plan.backlog == 8..<10)
    }
}

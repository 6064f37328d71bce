import Testing

@testable import EdgewatchHub

@Suite struct NodeHealthTests {
    @Test func judgedBySlotsBehind() {
        let now: Int64 = 1_800_000_000_000
        #expect(NodeHealth.of(lastSample: 0, slotMilliseconds: 10_000, now: now) == .silent)
        #expect(NodeHealth.of(lastSample: now - 60_000, slotMilliseconds: 10_000, now: now) == .fresh)
        #expect(NodeHealth.of(lastSample: now - 61_000, slotMilliseconds: 10_000, now: now) == .late)
        #expect(NodeHealth.of(lastSample: now - 900_000, slotMilliseconds: 10_000, now: now) == .late)
        #expect(NodeHealth.of(lastSample: now - 900_001, slotMilliseconds: 10_000, now: now) == .silent)
        // 1 m summaries (or an agent that did not say): a minute's slot.
        #expect(NodeHealth.of(lastSample: now - 200_000, slotMilliseconds: 0, now: now) == .fresh)
        #expect(NodeHealth.of(lastSample: now - 1_800_000, slotMilliseconds: 60_000, now: now) == .late)
        #expect(NodeHealth.of(lastSample: now - 1_800_001, slotMilliseconds: 60_000, now: now) == .silent)
    }
}

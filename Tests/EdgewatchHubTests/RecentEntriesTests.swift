import Testing

@testable import EdgewatchHub

/// The two-generation cache the PostgreSQL backend keeps its series in.
struct RecentEntriesTests {
    @Test func anEntryStaysAnAgeAfterItsLastUseAndGoesWithinTwo() {
        var cache = RecentEntries<String, Int>(age: 100)
        cache.insert(["a": 1, "b": 2], now: 0)
        #expect(cache.value(for: "a", now: 99) == 1)
        // A new generation at 100: both move to the older one, and "a" comes back on use.
        #expect(cache.value(for: "a", now: 150) == 1)
        #expect(cache.count == 2)
        // The next generation, at 250, drops the older one: "b" (unused since 0) goes, "a" (used
        // at 150) stays.
        #expect(cache.value(for: "a", now: 249) == 1)
        #expect(cache.value(for: "b", now: 250) == nil)
        #expect(cache.count == 1)
    }

    @Test func aCapacityBoundsTheEntriesHeld() {
        var cache = RecentEntries<Int, Int>(age: 100, capacity: 4)
        cache.insert([1: 1, 2: 2, 3: 3], now: 0)
        // Past the capacity, the current generation becomes the older one.
        cache.insert([4: 4, 5: 5], now: 1)
        #expect(cache.count == 5)
        #expect(cache.value(for: 1, now: 2) == 1)
        // Again: the older generation (2, 3) goes, 1 (used) and the new ones stay.
        cache.insert([6: 6, 7: 7], now: 3)
        #expect(cache.count == 5)
        #expect(cache.value(for: 2, now: 4) == nil)
        #expect(cache.value(for: 1, now: 4) == 1)
        #expect(cache.value(for: 6, now: 4) == 6)
        // More than the capacity at once is not kept.
        cache.insert(Dictionary(uniqueKeysWithValues: (10..<15).map { ($0, $0) }), now: 5)
        #expect(cache.value(for: 10, now: 6) == nil)
        #expect(cache.count <= 8)
    }

    @Test func anIdleCacheEmptiesAfterTwoAges() {
        var cache = RecentEntries<Int, String>(age: 100)
        cache.insert([1: "x", 2: "y"], now: 1000)
        #expect(cache.value(for: 3, now: 1200) == nil)
        #expect(cache.count == 0)
    }

    @Test func aClockSteppedBackDropsNothing() {
        var cache = RecentEntries<Int, Int>(age: 100)
        cache.insert([1: 1], now: 10_000)
        #expect(cache.value(for: 1, now: 50) == 1)
        #expect(cache.value(for: 1, now: 149) == 1)
        #expect(cache.count == 1)
        // The generation began again at 50: a new one starts at 150, and the entry is used then.
        #expect(cache.value(for: 1, now: 150) == 1)
        #expect(cache.count == 1)
    }

    @Test func churnLeavesMemory() {
        var cache = RecentEntries<Int, Int>(age: 60)
        // An hour of churn: 10 new keys a minute, each used for five minutes.
        for minute in 0..<60 {
            let now = Int64(minute) * 60
            cache.insert(Dictionary(uniqueKeysWithValues: (0..<10).map { (minute * 10 + $0, minute) }), now: now)
            for key in max(0, (minute - 4) * 10)..<(minute * 10 + 10) { _ = cache.value(for: key, now: now) }
        }
        #expect(cache.count <= 70)
        #expect(cache.value(for: 595, now: 3540) == 59)
    }

    @Test func removedEntriesLeaveBothGenerations() {
        var entries = RecentEntries<String, Int>(age: 10)
        entries.insert(["a": 1, "b": 2], now: 0)
        entries.insert(["c": 3], now: 10)  // a and b now in the older generation
        entries.remove(["a", "c", "absent"])
        #expect(entries.value(for: "a", now: 11) == nil && entries.value(for: "c", now: 11) == nil)
        #expect(entries.value(for: "b", now: 11) == 2 && entries.count == 1)
    }
}

import Testing

@testable import EdgewatchHub

/// The memo's dense numbers of contents (``ContentSlots``), which a listing answered from the
/// window marks contents by.
struct ContentSlotsTests {
    static func content(_ name: String, number: Int) -> ListContent {
        ListContent(ListContent.Key(pairs: [.init(name: "__name__", value: name)], hasNode: true), number: number) {
            ValueGroup($0, number: number)
        }
    }

    @Test func listsWithOneContentShareItsSlotAndAContentNotNumberedHasNone() {
        var memo = ListLabelsMemo()
        let (a, b) = (Self.content("a", number: 3), Self.content("b", number: 4))
        memo.learn([:], contents: [0: a, 2: b, 5: a, 6: Self.content("broken", number: 0)], generation: 1)
        let slots = memo.slots
        #expect(slots.ofList.count == 7 && slots.contents.count == 2)
        #expect(slots.ofList[0] == slots.ofList[5] && slots.ofList[0] != slots.ofList[2])
        #expect(slots.contents[slots.ofList[0]] === a && slots.contents[slots.ofList[2]] === b)
        #expect(slots.ofList[1] == -1 && slots.ofList[6] == -1)
        // Another generation starts afresh.
        memo.learn([:], contents: [1: b], generation: 2)
        #expect(memo.slots.ofList == [-1, 0] && memo.slots.contents.count == 1)
    }

    @Test func aContentNoListHasIsLetGoAndSlotsStayFewWhileTheCacheRenumbersContents() {
        var memo = ListLabelsMemo()
        weak var first: ListContent?
        do {
            let content = Self.content("a", number: 1)
            first = content
            memo.learn([:], contents: [0: content, 1: content], generation: 1)
        }
        #expect(first != nil)
        for number in 2...5000 {
            let content = Self.content("a", number: number)
            memo.learn([:], contents: [0: content, 1: content], generation: 1)
        }
        // The memo keeps the lists' latest content only (its shared map and its slots alike).
        #expect(first == nil)
        let slots = memo.slots
        #expect(slots.contents.count <= 2 * ContentSlots.freeAtMost + 2)
        #expect(slots.contents.compactMap { $0 }.map(\.number) == [5000])
        #expect(slots.ofList[0] == slots.ofList[1] && slots.contents[slots.ofList[0]]?.number == 5000)
        let renumbered = memo.renumbered([1: 0])
        #expect(renumbered.slots.ofList == [0] && renumbered.slots.contents.map { $0?.number } == [5000])
    }

    @Test func aListLearnedAgainWithItsContentKeepsItsSlot() {
        var slots = ContentSlots()
        let a = Self.content("a", number: 9)
        slots.set(a, for: 3)
        slots.set(a, for: 3)
        #expect(slots.ofList == [-1, -1, -1, 0] && slots.contents.count == 1)
        slots.set(nil, for: 3)
        #expect(slots.ofList == [-1, -1, -1, -1] && slots.contents.map { $0 == nil } == [true])
    }
}

extension ListLabelsMemo {
    /// Each list's content number (0: not known), by the mirror's list number.
    var contents: [Int] { slots.ofList.indices.map { contentNumber($0) ?? 0 } }
}

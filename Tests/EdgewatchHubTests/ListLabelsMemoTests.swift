import Testing

@testable import EdgewatchHub

/// The memo's dense numbers of contents (``ListLabelsMemo/slots``), which a listing answered from
/// the window marks contents by.
struct ListLabelsMemoTests {
    static func content(_ name: String, number: Int) -> ListContent {
        ListContent(ListContent.Key(pairs: [.init(name: "__name__", value: name)], hasNode: true), number: number) {
            ValueGroup($0, number: number)
        }
    }

    @Test func listsWithOneContentShareItsSlotAndAContentNotNumberedHasNone() {
        var memo = ListLabelsMemo()
        let (a, b) = (Self.content("a", number: 3), Self.content("b", number: 4))
        memo.learn([:], contents: [0: a, 2: b, 5: a, 6: Self.content("broken", number: 0)], generation: 1)
        #expect(memo.slots.count == 7 && memo.slotContents.count == 2)
        #expect(memo.slots[0] == memo.slots[5] && memo.slots[0] != memo.slots[2])
        #expect(memo.slotContents[memo.slots[0]] === a && memo.slotContents[memo.slots[2]] === b)
        #expect(memo.slots[1] == -1 && memo.slots[6] == -1)
        // Another generation starts afresh.
        memo.learn([:], contents: [1: b], generation: 2)
        #expect(memo.slots == [-1, 0] && memo.slotContents.count == 1)
    }

    @Test func slotsStayFewWhileTheCacheRenumbersContents() {
        var memo = ListLabelsMemo()
        for number in 1...5000 {
            let content = Self.content("a", number: number)
            memo.learn([:], contents: [0: content, 1: content], generation: 1)
        }
        #expect(memo.slotContents.count <= 2 * memo.contents.count + 1025)
        #expect(memo.slots[0] == memo.slots[1] && memo.slotContents[memo.slots[0]].number == 5000)
        #expect(memo.renumbered([1: 0]).slots == [0] && memo.renumbered([1: 0]).slotContents.map(\.number) == [5000])
    }
}

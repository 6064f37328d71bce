import Testing

@testable import EdgewatchHub

@Suite struct KeyedGroupsTests {
    /// Each group keeps its items' order, and the groups come in the order their keys were first met.
    @Test func groupsInOrderMet() {
        let items = ["b1", "a1", "b2", "c1", "a2", "b3"]
        let groups = KeyedGroups.grouped(items) { String($0.prefix(1)) }
        #expect(groups.map(\.key) == ["b", "a", "c"])
        #expect(groups.map(\.items) == [["b1", "b2", "b3"], ["a1", "a2"], ["c1"]])
        #expect(KeyedGroups.grouped([String]()) { $0 }.isEmpty)
    }
}

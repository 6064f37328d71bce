import EdgewatchCore
import Testing

/// Label sets order label by label, name before value, a prefix first: the order query answers
/// list their series in.
@Suite struct LabelsOrderTests {
    @Test func labelSetsOrderLabelByLabel() {
        let sets: [Labels] = [
            [:],
            ["__name__": "a"],
            ["__name__": "a", "node": "n1"],
            ["__name__": "a", "node": "n10"],
            ["__name__": "a", "node": "n2"],
            ["__name__": "a", "zone": "x"],
            ["__name__": "b"],
            ["cpu": "0"],
        ]
        for (i, left) in sets.enumerated() {
            for (j, right) in sets.enumerated() {
                #expect((left < right) == (i < j), "\(left) < \(right)")
                #expect((left < right) == left.storage.lexicographicallyPrecedes(right.storage))
            }
        }
        #expect(sets.shuffled().sorted() == sets)
    }

    /// Values order by their UTF-8 bytes, as Prometheus (Go) orders strings: upper case before
    /// lower, and a decomposed accent (`e` then U+0301) before the precomposed letter it equals.
    @Test func valuesOrderByTheirBytes() {
        let sets: [Labels] = [["node": "Zeta"], ["node": "alpha"], ["node": "e\u{301}"], ["node": "z"], ["node": "é"], ["node": "é1"]]
        for (i, left) in sets.enumerated() {
            for (j, right) in sets.enumerated() { #expect((left < right) == (i < j), "\(left) < \(right)") }
        }
    }

    /// ``Labels/order(_:)`` (one key of bytes per set) puts sets where `<` does, equal ones in
    /// their order, and falls back to `<` for a value holding a zero byte.
    @Test func anOrderByKeysIsTheOrderOfLabels() {
        let sets: [Labels] = [
            [:], ["__name__": "a"], ["__name__": "a", "node": "n1"], ["__name__": "a", "node": "n10"], ["__name__": "a", "node": "n2"],
            ["__name__": "a", "nodes": ""], ["__name__": "a", "node": ""], ["__name__": "ab"], ["__name__": "a", "zone": "x"],
            ["__name__": "b"], ["cpu": "0"], ["node": "Zeta"], ["node": "e\u{301}"], ["node": "é"], ["node": "é1"], ["__name__": "a"],
        ]
        for _ in 0..<20 {
            let shuffled = sets.shuffled()
            let expected = shuffled.indices.sorted { shuffled[$0] < shuffled[$1] }
            let order = Labels.order(shuffled)
            #expect(order.map { shuffled[$0] } == expected.map { shuffled[$0] })
            // Equal sets keep their order.
            let equal = order.filter { shuffled[$0] == ["__name__": "a"] }
            #expect(equal == equal.sorted())
        }
        let zero: [Labels] = [["node": "a\u{0}b"], ["node": "a"], ["node": "a\u{0}"]]
        #expect(zero[0].sortKey == nil && zero[1].sortKey == [110, 111, 100, 101, 0, 97, 0])
        #expect(Labels.order(zero) == [1, 2, 0])
    }
}

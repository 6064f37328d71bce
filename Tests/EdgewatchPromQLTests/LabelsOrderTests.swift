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
}

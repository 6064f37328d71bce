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
}

import EdgewatchCore
import Testing

@testable import EdgewatchHub

/// A query's matchers look at a series' stored labels and, for `cluster`, at its node's cluster
/// (its own label first); only the series taken get the node's `cluster` label added.
@Suite struct WantedSeriesTests {
    static let stored: [(id: Int64, labels: Labels)] = [
        (1, ["__name__": "up", "node": "a"]),
        (2, ["__name__": "up", "node": "b"]),
        (3, ["__name__": "up", "node": "c"]),
        (4, ["__name__": "up", "node": "a", "cluster": "own"]),
        (5, ["__name__": "down", "node": "a"]),
    ]
    static let clusters = ["a": "shop-1", "b": ""]

    static func wanted(_ matchers: [LabelMatcher]) -> [Int64: Labels] {
        matchers.wanted(among: stored, clusters: clusters)
    }

    @Test func clusterMatchersSeeTheNodesClusterUnlessTheSeriesHasItsOwn() throws {
        let shop = Self.wanted([try LabelMatcher(name: "cluster", operation: .equal, value: "shop-1")])
        #expect(shop.keys.sorted() == [1, 5])
        #expect(shop[1] == ["__name__": "up", "node": "a", "cluster": "shop-1"])
        // A node that named no cluster (or an empty one) leaves its series without the label.
        let none = Self.wanted([try LabelMatcher(name: "cluster", operation: .equal, value: "")])
        #expect(none.keys.sorted() == [2, 3])
        #expect(none[2] == ["__name__": "up", "node": "b"])
        let own = Self.wanted([try LabelMatcher(name: "cluster", operation: .matches, value: "o.*")])
        #expect(own.keys.sorted() == [4])
        #expect(own[4] == ["__name__": "up", "node": "a", "cluster": "own"])
    }

    @Test func otherMatchersTakeTheStoredLabelsAndEveryTakenSeriesHasItsCluster() throws {
        let up = Self.wanted([
            try LabelMatcher(name: "__name__", operation: .equal, value: "up"), try LabelMatcher(name: "node", operation: .notEqual, value: "c"),
        ])
        #expect(up.keys.sorted() == [1, 2, 4])
        #expect(up[1]?["cluster"] == "shop-1")
        #expect(up[2]?["cluster"] == nil)
        #expect(up[4]?["cluster"] == "own")
    }
}

import EdgewatchCore
import Testing

@testable import EdgewatchHub

/// The SQLite hub's ids by metric name, kept as varint deltas.
struct SeriesIDsByNameTests {
    @Test func idsComeBackByNameInTheOrderAdded() {
        var byName = SeriesIDsByName()
        // A fleet's series: node after node, each node's metrics together; then ids out of order,
        // far apart and at the ends of the range.
        for node in Int64(0)..<3 {
            for metric in Int64(0)..<4 { byName.add(id: 1 + node * 500 + metric, name: "m\(metric)") }
        }
        let odd: [Int64] = [9_000_000_000, 7, Int64.max, 1, Int64.min, 0]
        for id in odd { byName.add(id: id, name: "odd") }
        #expect(byName.ids(named: "m1") == [2, 502, 1002])
        #expect(byName.ids(named: "odd") == odd)
        #expect(byName.ids(named: "absent").isEmpty)
        #expect(byName.count == 18)
        #expect(Set(byName.names) == ["m0", "m1", "m2", "m3", "odd"])
    }

    @Test func aPatternTakesItsNamesIdsOrNilForEveryName() {
        var byName = SeriesIDsByName()
        byName.add([(5, ["__name__": "node_load1"]), (9, ["__name__": "node_load5"]), (11, ["__name__": "up"])])
        #expect(byName.ids { $0.hasPrefix("node_") }.map(Set.init) == [5, 9])
        #expect(byName.ids { _ in true } == nil)
    }

    @Test func seriesRetentionDeletedLeaveTheirNamesAndANameLeftWithoutAny() {
        var byName = SeriesIDsByName()
        byName.add([(5, ["__name__": "up"]), (9, ["__name__": "up"]), (12, ["__name__": "up"]), (7, ["__name__": "gone"])])
        byName.remove([PrunedSeries(id: 9, labels: ["__name__": "up"]), PrunedSeries(id: 7, labels: ["__name__": "gone"])])
        // Not held under the name given: left as it is.
        byName.remove([PrunedSeries(id: 12, labels: ["__name__": "other"])])
        #expect(byName.ids(named: "up") == [5, 12] && byName.ids(named: "gone").isEmpty)
        #expect(byName.count == 2 && byName.names == ["up"])
    }
}

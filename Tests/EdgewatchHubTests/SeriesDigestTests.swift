import EdgewatchCore
import Testing

@testable import EdgewatchHub

/// The 16-byte keys of the hub's maps of series ids.
struct SeriesDigestTests {
    @Test func equalSetsShareADigestWhateverTheirOrder() {
        let one = Labels([Label("__name__", "node_cpu_seconds_total"), Label("node", "n1"), Label("cpu", "0"), Label("mode", "idle")])
        let other: Labels = ["mode": "idle", "cpu": "0", "node": "n1", "__name__": "node_cpu_seconds_total"]
        #expect(SeriesDigest(one) == SeriesDigest(other))
    }

    @Test func setsThatDifferAnywhereDoNot() {
        let base: Labels = ["__name__": "container_memory_working_set_bytes", "node": "n1", "pod": "web-1", "namespace": "default"]
        let variants = [
            base.adding("node", "n2"),
            base.adding("pod", "web-2"),
            base.adding("__name__", "container_memory_rss"),
            base.adding("container", ""),
            base.removing(["namespace"]),
            // The same bytes split differently between name and value.
            base.removing(["pod"]).adding("podw", "eb-1"),
        ]
        let digests = Set(([base] + variants).map(SeriesDigest.init))
        #expect(digests.count == variants.count + 1)
    }

    @Test func theSeriesOfAFleetKeepTheirOwnDigests() {
        var digests = Set<SeriesDigest>()
        for node in 0..<400 {
            for series in 0..<500 {
                digests.insert(SeriesDigest(["__name__": "m\(series % 50)", "node": "node-\(node)", "device": "d\(series)"]))
            }
        }
        #expect(digests.count == 200_000)
    }
}

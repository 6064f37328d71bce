import EdgewatchCore
import EdgewatchExposition
import Testing

@Suite("JSON writer")
struct JSONSampleWriterTests {
    @Test("one object per sample with name, labels, value and a millisecond timestamp")
    func objects() {
        var set = MetricSet()
        set.add("node_load1", "1m load average.", .gauge, 0.5)
        set.add("node_network_info", "info", .gauge, 1, ["device": "eth\"0", "operstate": "up"])
        let snapshot = MetricSnapshot(families: set.sortedFamilies().families, timestampMilliseconds: 1_732_000_000_123)
        #expect(
            JSONSampleWriter().render(snapshot) == """
                [
                {"name":"node_load1","labels":{},"value":0.5,"timestamp_ms":1732000000123},
                {"name":"node_network_info","labels":{"device":"eth\\"0","operstate":"up"},"value":1,"timestamp_ms":1732000000123}
                ]

                """
        )
    }

    @Test("non-finite values become strings and an empty snapshot is an empty array")
    func nonFinite() {
        var set = MetricSet()
        set.add("x", "x", .gauge, .nan)
        let text = JSONSampleWriter().render(MetricSnapshot(families: set.sortedFamilies().families, timestampMilliseconds: 0))
        #expect(text.contains(#""value":"NaN""#))
        #expect(JSONSampleWriter().render(MetricSnapshot(families: [], timestampMilliseconds: 0)) == "[]\n")
    }
}

import EdgewatchCore
import EdgewatchExposition
import Testing

@Suite("OpenMetrics writer")
struct OpenMetricsWriterTests {
    @Test("counters are declared without _total, samples keep it, and the document ends with # EOF")
    func counterNaming() {
        var set = MetricSet()
        set.add("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", .counter, 12.5, ["cpu": "0", "mode": "idle"])
        let text = OpenMetricsWriter().render(set.sortedFamilies().families)
        #expect(
            text == """
                # HELP node_cpu_seconds Seconds the CPUs spent in each mode.
                # TYPE node_cpu_seconds counter
                node_cpu_seconds_total{cpu="0",mode="idle"} 12.5
                # EOF

                """
        )
    }

    @Test("untyped families carry no TYPE line, gauges do")
    func untypedAndGauge() {
        var set = MetricSet()
        set.add("node_vmstat_pgfault", "/proc/vmstat information field pgfault.", .unknown, 3)
        set.add("node_load1", "1m load average.", .gauge, 0.25)
        let text = OpenMetricsWriter().render(set.sortedFamilies().families)
        #expect(text.contains("# TYPE node_load1 gauge\nnode_load1 0.25\n"))
        #expect(!text.contains("# TYPE node_vmstat_pgfault"))
        #expect(text.contains("node_vmstat_pgfault 3\n"))
    }

    @Test("label values and help text are escaped")
    func escaping() {
        var set = MetricSet()
        set.add("x_info", "Help with \\ and\nnewline.", .gauge, 1, ["alias": "a \"quoted\" \\ back\nslash"])
        let text = OpenMetricsWriter().render(set.sortedFamilies().families)
        #expect(text.contains(#"# HELP x_info Help with \\ and\nnewline."#))
        #expect(text.contains(#"x_info{alias="a \"quoted\" \\ back\nslash"} 1"#))
    }

    @Test("HELP text: OpenMetrics escapes double quotes, the Prometheus text format 0.0.4 leaves them")
    func helpQuotes() {
        var set = MetricSet()
        set.add("x", "Say \"hi\" \\ then\nstop.", .gauge, 1)
        let families = set.sortedFamilies().families
        #expect(OpenMetricsWriter().render(families).contains(#"# HELP x Say \"hi\" \\ then\nstop."#))
        #expect(PrometheusTextWriter().render(families).contains(#"# HELP x Say "hi" \\ then\nstop."#))
    }

    @Test(
        "special floats use OpenMetrics spellings",
        arguments: [
            (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (1e20, "1e+20"),
            (0.1, "0.1"), (-3, "-3"), (1_795_579_568.5373356, "1795579568.5373356"),
        ]
    )
    func floats(value: Double, expected: String) {
        var set = MetricSet()
        set.add("v", "v", .gauge, value)
        #expect(OpenMetricsWriter().render(set.sortedFamilies().families).contains("\nv \(expected)\n"))
    }

    @Test("repeated series keep the first value and are reported")
    func duplicates() {
        var set = MetricSet()
        set.add("a", "a", .gauge, 1, ["k": "v"])
        set.add("a", "a", .gauge, 2, ["k": "v"])
        let (families, duplicates) = set.sortedFamilies()
        #expect(families[0].samples.count == 1)
        #expect(families[0].samples[0].value == 1)
        #expect(duplicates == ["a"])
    }
}

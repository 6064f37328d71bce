import EdgewatchCore
import EdgewatchPromQL
import EdgewatchRules
import Foundation
import Testing

/// Every function and operator of the PromQL subset, evaluated by edgewatch and checked by
/// Debian's promtool (Prometheus 2.42's engine): edgewatch's results are written as the
/// expected samples of a promtool unit test, which passes only when Prometheus computes the
/// same label sets and bit-identical values.
@Suite struct PromQLConformanceTests {
    static let interval: Int64 = 30_000

    static let inputSeries: [(String, String)] = [
        (#"http_requests_total{job="api", instance="a", code="200"}"#, "0+10x20 5+10x20"),
        (#"http_requests_total{job="api", instance="b", code="200"}"#, "100+7x40"),
        (#"http_requests_total{job="api", instance="a", code="500"}"#, "0+1x15 _x5 20+2x20"),
        (#"http_requests_total{job="web", instance="c", code="200"}"#, "3 3 3 5 8 _ 13 21 34 stale 0+1x30"),
        (#"node_temp_celsius{instance="a", zone="cpu"}"#, "40+0.5x20 50-0.25x20"),
        (#"node_temp_celsius{instance="b", zone="gpu"}"#, "35 36 37 38 39+1x36"),
        (#"node_filesystem_avail_bytes{instance="a", mountpoint="/"}"#, "1000000-5000x40"),
        (#"node_filesystem_size_bytes{instance="a", mountpoint="/"}"#, "2000000x40"),
        (#"request_duration_seconds_bucket{job="api", le="0.1"}"#, "0+5x40"),
        (#"request_duration_seconds_bucket{job="api", le="0.5"}"#, "0+8x40"),
        (#"request_duration_seconds_bucket{job="api", le="1"}"#, "0+9x40"),
        (#"request_duration_seconds_bucket{job="api", le="+Inf"}"#, "0+10x40"),
        (#"request_duration_seconds_bucket{job="web", le="0.1"}"#, "0+1x40"),
        (#"request_duration_seconds_bucket{job="web", le="1"}"#, "0+3x40"),
        (#"request_duration_seconds_bucket{job="web", le="+Inf"}"#, "0+4x40"),
        (#"team_info{job="api", team="core"}"#, "1x40"),
        (#"team_info{job="web", team="edge"}"#, "1x40"),
        (#"up{job="api", instance="a"}"#, "1x40"),
        (#"up{job="api", instance="b"}"#, "1x20 0x20"),
        (#"up{job="web", instance="c"}"#, "1 0 1 0x37"),
        (#"node_timex_offset_seconds{instance="a"}"#, "0.001 0.003 -0.002 0.004+0.001x36"),
    ]

    static let expressions: [String] = [
        // Selectors, matchers, offset.
        "http_requests_total", #"http_requests_total{code!="200"}"#, #"http_requests_total{job=~"a.*|w.b"}"#,
        #"http_requests_total{instance!~"a|b"}"#, "http_requests_total offset 2m", #"{__name__=~"node_.*", instance="a"}"#,
        #"http_requests_total{job=~"(?i)API"}"#, #"http_requests_total{code=~"\\d+0"}"#, "up offset 1m30s",
        // Arithmetic and precedence.
        "http_requests_total * 2", "2 - up", "-node_temp_celsius", "node_temp_celsius % 7", "node_temp_celsius ^ 2",
        "2 ^ 3 ^ 2", "1 + 2 * 3 - 4 / 2", "-2 ^ 2", "node_temp_celsius atan2 10", "up / 0 + 1", "(1 + 2) * node_temp_celsius",
        // Comparisons.
        "node_temp_celsius > 45", "node_temp_celsius > bool 45", "45 < node_temp_celsius", "1 < bool 2", "up == 0",
        "up != bool 1", "3 >= bool 3", "node_temp_celsius <= 40",
        // Vector matching.
        "node_filesystem_avail_bytes / node_filesystem_size_bytes",
        "node_filesystem_avail_bytes / on(instance, mountpoint) node_filesystem_size_bytes",
        "up * on(job) group_left(team) team_info", "team_info * on(job) group_right up",
        "up + ignoring(instance) group_left sum by (job) (up)", "up > on(job) group_left(team) (team_info - 1)",
        "node_temp_celsius - on(instance) group_left node_filesystem_avail_bytes / 100000",
        // Set operators.
        "up and node_temp_celsius", "up and on(instance) node_temp_celsius", "up or node_temp_celsius",
        #"http_requests_total unless on(code) http_requests_total{code="500"}"#, "up unless up == 0",
        #"node_temp_celsius or on(instance) up"#,
        // Aggregations.
        "sum(http_requests_total)", "sum by (job) (http_requests_total)", "sum without (instance) (http_requests_total)",
        "avg by (job, code) (http_requests_total)", "count(up)", "min by (job) (http_requests_total)",
        "max without (code, instance) (http_requests_total)", "stddev(node_temp_celsius)", "stdvar by (zone) (node_temp_celsius)",
        "topk(2, http_requests_total)", #"bottomk by (job) (1, http_requests_total{code="200"})"#, "quantile(0.5, http_requests_total)",
        "quantile by (job) (0.9, http_requests_total)", #"count_values("value", up)"#, "group by (job) (up)",
        "sum(up) by (job)", "avg(node_temp_celsius)", "count without (instance) (http_requests_total)",
        "sum by (__name__) (up)", "topk(1, node_temp_celsius) by (zone)",
        // Counters and gauges over ranges.
        "rate(http_requests_total[5m])", "rate(http_requests_total[1m])", "rate(http_requests_total[90s] offset 30s)",
        "irate(http_requests_total[5m])", "increase(http_requests_total[5m])", "increase(http_requests_total[2m])",
        "delta(node_temp_celsius[5m])", "idelta(node_temp_celsius[3m])", "deriv(node_temp_celsius[5m])",
        "deriv(node_timex_offset_seconds[5m])", "predict_linear(node_filesystem_avail_bytes[10m], 3600)",
        "predict_linear(node_temp_celsius[5m], 600) > 50", "changes(http_requests_total[10m])", "resets(http_requests_total[20m])",
        "avg_over_time(node_temp_celsius[3m])", "min_over_time(node_temp_celsius[3m])", "max_over_time(node_temp_celsius[3m])",
        "sum_over_time(http_requests_total[2m])", "count_over_time(http_requests_total[2m])",
        "last_over_time(http_requests_total[5m])", "quantile_over_time(0.75, node_temp_celsius[5m])",
        "stddev_over_time(node_temp_celsius[5m])", "stdvar_over_time(node_timex_offset_seconds[5m])",
        "present_over_time(up[1m])", "max_over_time(up[10m]) - min_over_time(up[10m])",
        "sum by (job, code) (rate(http_requests_total[5m]))",
        "sum_over_time(node_timex_offset_seconds[5m])", "avg_over_time(node_timex_offset_seconds[5m])",
        // absent and friends.
        #"absent(nonexistent{job="x"})"#, "absent(up)", #"absent(nonexistent{job="x", instance=~"a.*"})"#,
        #"absent_over_time(nonexistent{job="y"}[5m])"#, "absent_over_time(up[5m])", "absent(sum(nonexistent))",
        // Time and conversion functions.
        "time()", "timestamp(up)", "timestamp(http_requests_total{job=\"web\"})", "vector(3)", #"scalar(up{instance="a"})"#,
        "vector(time()) - 60", "up * scalar(count(up))",
        "abs(-node_temp_celsius)", "ceil(node_temp_celsius)", "floor(node_temp_celsius)", "round(node_temp_celsius)",
        "round(node_temp_celsius, 5)", "clamp(node_temp_celsius, 41, 49)", "clamp_min(node_temp_celsius, 45)",
        "clamp_max(node_temp_celsius, 45)", "clamp(node_temp_celsius, 50, 40)", "sgn(node_timex_offset_seconds)",
        "sqrt(node_temp_celsius)", "exp(up)", "ln(node_temp_celsius)", "log2(node_filesystem_size_bytes)", "log10(node_filesystem_size_bytes)",
        "hour()", "minute()", "year()", "day_of_week(vector(1700000000))", "days_in_month(vector(1709251200))",
        "month(vector(1709251200))", "day_of_month(vector(1709251200))", "day_of_year(vector(1709251200))",
        // Labels.
        #"label_replace(up, "host", "$1-x", "instance", "(.*)")"#, #"label_replace(up, "job", "", "job", "api")"#,
        #"label_replace(up, "foo", "${1}bar", "job", "(a)(p)(i)")"#, #"label_replace(up, "foo", "$1x", "job", "(a)pi")"#,
        #"label_replace(up, "foo", "$2", "job", "(?:a)(p)i")"#, #"label_join(up, "both", "/", "job", "instance")"#,
        #"label_join(up, "none", ",")"#, #"label_replace(up, "z", "$name", "job", "(?P<name>a).*")"#,
        // Histograms.
        "histogram_quantile(0.9, rate(request_duration_seconds_bucket[5m]))",
        "histogram_quantile(0.5, sum by (le) (rate(request_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.99, request_duration_seconds_bucket)", "histogram_quantile(0.05, request_duration_seconds_bucket)",
        "histogram_quantile(1.5, request_duration_seconds_bucket)",
        // Node-mixin style expressions.
        #"100 - (avg by (instance) (rate(http_requests_total{code="200"}[5m])) * 100)"#,
        "(node_filesystem_avail_bytes / node_filesystem_size_bytes * 100 < 40 and predict_linear(node_filesystem_avail_bytes[6m], 4 * 60 * 60) < 0)",
        "min_over_time(up[5m]) == 0 and up offset 5m == 1",
    ]

    // Prometheus loads a promtool test's series in Go map order, so its aggregations add floats in
    // a different order on every run: aggregated groups here have at most two inexact members or
    // integer values, which sum the same in any order.
    static let evaluationTimes: [Int64] = [0, 150_000, 300_000, 630_000, 1_200_000]

    /// The committed promtool unit test: edgewatch's results at the time promtool last confirmed them.
    static let expectations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/conformance.test.yml")

    /// Evaluates every expression at every instant and writes the results as a promtool unit test;
    /// counts the cases written and the ones left out because they hold NaN (promtool cannot compare NaN).
    static func conformanceTest() throws -> (yaml: String, cases: Int, skippedNaN: Int) {
        var source = MemorySeriesSource()
        var yaml = "# Written by PromQLConformanceTests (UPDATE_GOLDEN=1 rewrites it); every value confirmed by promtool 2.42.\n"
        yaml += "tests:\n  - interval: 30s\n    input_series:\n"
        for (series, values) in inputSeries {
            yaml += "      - series: '\(series)'\n        values: '\(values)'\n"
            let labels = try SeriesNotation.metric(series)
            for (index, value) in try SeriesNotation.expand(values).enumerated() {
                if let value { source.append(labels, Point(Int64(index) * interval, value)) }
            }
        }
        yaml += "    promql_expr_test:\n"
        let engine = Engine()
        var cases = 0, skippedNaN = 0
        for text in expressions {
            let expression = try Parser.parse(text)
            for time in evaluationTimes {
                let samples: [Sample]
                switch try engine.evaluate(expression, at: time, source: source) {
                case .vector(let vector): samples = vector
                case .scalar(let value): samples = [Sample(labels: Labels(), value: value, timestamp: time)]
                default:
                    Issue.record("\(text) is not a vector or scalar")
                    continue
                }
                if samples.contains(where: { $0.value.isNaN }) {
                    skippedNaN += 1
                    continue
                }
                cases += 1
                yaml += "      - expr: '\(text.replacingOccurrences(of: "'", with: "''"))'\n        eval_time: \(time / 1000)s\n"
                yaml += samples.isEmpty ? "        exp_samples: []\n" : "        exp_samples:\n"
                for sample in samples {
                    let value: String
                    if sample.value.isInfinite { value = sample.value > 0 ? ".inf" : "-.inf" } else { value = GoFloat.format(sample.value) }
                    yaml +=
                        "          - labels: '\(sample.labels.promQLDescription.replacingOccurrences(of: "'", with: "''"))'\n            value: \(value)\n"
                }
            }
        }
        return (yaml, cases, skippedNaN)
    }

    @Test("the engine reproduces the committed, promtool-confirmed results (no promtool needed)")
    func engineMatchesCommittedExpectations() throws {
        let generated = try Self.conformanceTest()
        #expect(generated.cases > 350)
        #expect(generated.skippedNaN < 20)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try generated.yaml.write(to: Self.expectations, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.expectations, encoding: .utf8)
        #expect(generated.yaml == committed, "results differ from the committed expectations; rerun with UPDATE_GOLDEN=1 and have promtool confirm")
        // The committed file also passes edgewatch's own promtool-format runner.
        let result = RuleTestRunner().run(path: Self.expectations.path)
        #expect(result.passed, "\(result.report.prefix(2000))")
    }

    @Test("promtool (Prometheus 2.42's engine) confirms every committed result")
    func edgewatchMatchesPrometheus() throws {
        guard let promtool = Promtool.path else {
            #expect(!Promtool.required, "promtool (Debian package prometheus) is required")
            return
        }
        let result = try Promtool.run(["test", "rules", Self.expectations.path], executable: promtool)
        #expect(result.status == 0, "promtool disagrees with edgewatch:\n\(result.output)")
    }
}

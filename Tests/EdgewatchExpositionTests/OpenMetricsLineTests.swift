import EdgewatchCore
import EdgewatchExposition
import Testing

@Suite("OpenMetrics line parsing")
struct OpenMetricsLineTests {
    @Test("samples with labels, escapes, special values and second timestamps")
    func samples() throws {
        #expect(
            try OpenMetricsLine.parse(#"node_filesystem_avail_bytes{device="/dev/sda1",mountpoint="/a \"b\"\\c\nd"} 1.5e+09 1700000000.123"#)
                == .sample(
                    name: "node_filesystem_avail_bytes",
                    labels: ["device": "/dev/sda1", "mountpoint": "/a \"b\"\\c\nd"],
                    value: 1.5e9,
                    timestamp: 1_700_000_000_123
                )
        )
        #expect(try OpenMetricsLine.parse("up 1") == .sample(name: "up", labels: [:], value: 1, timestamp: nil))
        #expect(try OpenMetricsLine.parse("x{} +Inf 10") == .sample(name: "x", labels: [:], value: .infinity, timestamp: 10_000))
        guard case .sample(_, _, let nan, _) = try OpenMetricsLine.parse("x NaN 1") else {
            Issue.record("NaN not parsed")
            return
        }
        #expect(nan.isNaN)
    }

    @Test("metadata lines and the end marker")
    func metadata() throws {
        #expect(try OpenMetricsLine.parse("# TYPE node_cpu_seconds counter") == .type(family: "node_cpu_seconds", type: .counter))
        #expect(try OpenMetricsLine.parse("# TYPE x unknown") == .type(family: "x", type: .unknown))
        #expect(try OpenMetricsLine.parse("# HELP x some help") == .ignored)
        #expect(try OpenMetricsLine.parse("# EOF") == .end)
        #expect(try OpenMetricsLine.parse("") == .ignored)
    }

    @Test(
        "malformed lines name the column and what was expected",
        arguments: [
            ("x{a=\"b\" 1", "expected , or } after a label"),
            ("x{a=b} 1", "column 5: expected a quoted value for label a"),
            ("x one", "column 3: expected a number"),
            ("x 1 soon", "column 5: expected a timestamp in seconds"),
            ("x 1 1e300", "column 5: expected a timestamp in seconds, got \"1e300\""),
            ("x 1 -Inf", "column 5: expected a timestamp in seconds"),
            ("{a=\"b\"} 1", "column 1: expected a metric name"),
            ("x{a=\"b\\q\"} 1", "unknown escape \\q"),
            ("# TYPE x histogram", "expected counter, gauge or unknown"),
            ("x{a=\"unterminated", "unterminated label value"),
        ]
    )
    func malformed(line: String, message: String) {
        #expect {
            _ = try OpenMetricsLine.parse(Substring(line))
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

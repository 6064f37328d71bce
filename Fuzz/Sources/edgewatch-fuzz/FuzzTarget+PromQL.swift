import EdgewatchCore
import EdgewatchPromQL

@testable import EdgewatchHub

extension FuzzTarget {
    /// PromQL as rule authors and query clients write it: parse, then evaluate over a small fixed
    /// series set at one instant and over a short range, so evaluation is bounded by the query.
    static let promQLTargets: [FuzzTarget] = [
        FuzzTarget(name: "promql") { bytes in
            guard let expression = try? Parser.parse(String(decoding: bytes, as: UTF8.self)) else { return }
            let engine = Engine()
            _ = try? engine.evaluate(expression, at: FuzzSeries.end, source: FuzzSeries.source)
            _ = try? engine.evaluateRange(expression, start: FuzzSeries.end - 120_000, end: FuzzSeries.end, step: 60_000, source: FuzzSeries.source)
        },
        FuzzTarget(name: "hub-query") { bytes in
            // The hub's query API as a client sends it: a form (URL query or POST body), its
            // times, steps and selectors checked, then the query evaluated as the hub would.
            let parameters = HubRoutes.Parameters(values: HubRoutes.decodeForm(Substring(decoding: bytes, as: UTF8.self)))
            _ = try? HubRoutes.window(parameters, now: FuzzSeries.end)
            for text in parameters.all("match[]") { _ = try? Parser.parseSelector(text) }
            guard let text = parameters.first("query"), let expression = try? Parser.parse(text) else { return }
            if let (start, end, step) = try? HubRoutes.range(parameters) {
                _ = try? Engine().evaluateRange(expression, start: start, end: end, step: step, source: FuzzSeries.source)
            } else if let time = try? parameters.time("time") ?? FuzzSeries.end {
                // Without `time`, the hub's time: now.
                _ = try? Engine().evaluate(expression, at: time, source: FuzzSeries.source)
            }
        },
        FuzzTarget(name: "selector") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? SelectorParser.parse(text)
            _ = try? Parser.parseSelector(text)
            _ = RFC3339.milliseconds(text)
        },
    ]
}

/// The series a PromQL fuzz input is evaluated over: a counter with a reset, a gauge with a stale
/// marker, histogram buckets and an info-like series, sampled every 15 s for 10 minutes.
enum FuzzSeries {
    static let end: Int64 = 1_700_000_600_000

    static let source: MemorySeriesSource = {
        var source = MemorySeriesSource()
        let start = end - 600_000
        for step in 0...40 {
            let time = start + Int64(step) * 15_000
            let counter = Double(step < 20 ? step * 10 : (step - 20) * 3)
            source.append(["__name__": "http_requests_total", "job": "api", "code": "200"], Point(time, counter))
            source.append(["__name__": "http_requests_total", "job": "api", "code": "500"], Point(time, counter / 10))
            source.append(["__name__": "node_load1", "instance": "a"], Point(time, step == 30 ? staleNaN : Double(step % 7) / 3))
            for bound in ["0.1", "1", "+Inf"] {
                let share = bound == "0.1" ? 0.5 : bound == "1" ? 0.9 : 1
                source.append(["__name__": "latency_bucket", "le": bound], Point(time, counter * share))
            }
            source.append(["__name__": "build_info", "version": "1.2.3", "instance": "a"], Point(time, 1))
        }
        return source
    }()

    /// Prometheus' stale marker: a NaN with a payload distinct from the default NaN.
    static let staleNaN = Double(bitPattern: 0x7ff0_0000_0000_0002)
}

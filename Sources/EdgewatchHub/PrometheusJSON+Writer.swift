import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL

extension PrometheusJSON.QueryData {
    /// The whole success answer, `{"data":{"result":…,"resultType":…},"status":"success"}`, written
    /// directly as UTF-8: a fleet query answers thousands of points, and `Codable`, then `String`
    /// appends, took a seventh, then a fifth of its time (measured). The same bytes as
    /// ``JSONDocument`` writes (keys sorted), labels in their order; timestamps in seconds with the
    /// milliseconds Prometheus writes.
    func successJSONBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        Self.append(literal: "{\"data\":{\"result\":", to: &output)
        switch result {
        case .pair(let pair): Self.append(pair, to: &output)
        case .vector(let samples):
            Self.appendList(samples, to: &output) { sample, output in
                Self.append(literal: "{\"metric\":", to: &output)
                Self.append(sample.metric, to: &output)
                Self.append(literal: ",\"value\":", to: &output)
                Self.append(sample.value, to: &output)
                output.append(UInt8(ascii: "}"))
            }
        case .matrix(let series):
            // About 30 bytes a point and 100 a series: made at about its size, not grown a dozen times.
            output.reserveCapacity(series.reduce(256) { $0 + 100 + 32 * $1.points.count })
            var seconds = SecondsTexts()
            Self.appendList(series, to: &output) { entry, output in
                Self.append(literal: "{\"metric\":", to: &output)
                Self.append(entry.metric, to: &output)
                Self.append(literal: ",\"values\":", to: &output)
                Self.appendList(entry.points, to: &output) { point, output in Self.append(point, seconds: &seconds, to: &output) }
                output.append(UInt8(ascii: "}"))
            }
        }
        Self.append(literal: ",\"resultType\":", to: &output)
        SampleValueFormat.appendJSONString(resultType, to: &output)
        Self.append(literal: "},\"status\":\"success\"}", to: &output)
        return output
    }

    /// The same as text.
    func successJSON() -> String { String(decoding: successJSONBytes(), as: UTF8.self) }

    private static func append(literal: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// `[a,b,…]`, each element written by `element`.
    private static func appendList<T>(_ items: [T], to output: inout [UInt8], _ element: (T, inout [UInt8]) -> Void) {
        output.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            element(item, &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    private static func append(_ object: JSONObject, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, pair) in object.pairs.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            SampleValueFormat.appendJSONString(pair.key, to: &output)
            output.append(UInt8(ascii: ":"))
            SampleValueFormat.appendJSONString(pair.value, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private static func append(_ pair: PrometheusJSON.Pair, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        appendSeconds(pair.timestamp, to: &output)
        output.append(UInt8(ascii: ","))
        SampleValueFormat.appendJSONString(pair.text, to: &output)
        output.append(UInt8(ascii: "]"))
    }

    /// A point as a pair, its value written straight into the output (a number needs no escaping),
    /// its time through `seconds`.
    private static func append(_ point: Point, seconds: inout SecondsTexts, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        seconds.append(point.timestamp, to: &output, write: appendSeconds)
        output.append(UInt8(ascii: ","))
        output.append(UInt8(ascii: "\""))
        GoFloat.appendFixed(point.value, to: &output)
        output.append(UInt8(ascii: "\""))
        output.append(UInt8(ascii: "]"))
    }

    /// Milliseconds as seconds, as JSON writes `Double(milliseconds) / 1000`: `12`, `12.5`, `12.345`.
    static func seconds(_ milliseconds: Int64) -> String {
        var output: [UInt8] = []
        appendSeconds(milliseconds, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendSeconds(_ milliseconds: Int64, to output: inout [UInt8]) {
        guard milliseconds >= 0 else {
            output.append(contentsOf: GoFloat.format(Double(milliseconds) / 1000, style: .fixed).utf8)
            return
        }
        let (whole, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        GoFloat.appendInteger(whole, to: &output)
        if fraction != 0 { GoFloat.appendFraction(UInt64(fraction), places: 3, to: &output) }
    }
}

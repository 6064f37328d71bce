import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL

extension PrometheusJSON.QueryData {
    /// The whole success answer, `{"data":{"result":…,"resultType":…},"status":"success"}`, written
    /// directly: a fleet query answers thousands of points, and `Codable` took a seventh of its
    /// time (measured). The same bytes as ``JSONDocument`` writes (keys sorted), labels in their
    /// order; timestamps in seconds with the milliseconds Prometheus writes.
    func successJSON() -> String {
        var output = "{\"data\":{\"result\":"
        switch result {
        case .pair(let pair): Self.append(pair, to: &output)
        case .vector(let samples):
            Self.appendList(samples, to: &output) { sample, output in
                output += "{\"metric\":"
                Self.append(sample.metric, to: &output)
                output += ",\"value\":"
                Self.append(sample.value, to: &output)
                output += "}"
            }
        case .matrix(let series):
            Self.appendList(series, to: &output) { entry, output in
                output += "{\"metric\":"
                Self.append(entry.metric, to: &output)
                output += ",\"values\":"
                Self.appendList(entry.values, to: &output) { pair, output in Self.append(pair, to: &output) }
                output += "}"
            }
        }
        output += ",\"resultType\":"
        SampleValueFormat.appendJSONString(resultType, to: &output)
        output += "},\"status\":\"success\"}"
        return output
    }

    /// `[a,b,…]`, each element written by `element`.
    private static func appendList<T>(_ items: [T], to output: inout String, _ element: (T, inout String) -> Void) {
        output += "["
        for (index, item) in items.enumerated() {
            if index > 0 { output += "," }
            element(item, &output)
        }
        output += "]"
    }

    private static func append(_ object: JSONObject, to output: inout String) {
        output += "{"
        for (index, pair) in object.pairs.enumerated() {
            if index > 0 { output += "," }
            SampleValueFormat.appendJSONString(pair.key, to: &output)
            output += ":"
            SampleValueFormat.appendJSONString(pair.value, to: &output)
        }
        output += "}"
    }

    private static func append(_ pair: PrometheusJSON.Pair, to output: inout String) {
        output += "["
        output += seconds(pair.timestamp)
        output += ","
        SampleValueFormat.appendJSONString(pair.text, to: &output)
        output += "]"
    }

    /// Milliseconds as seconds, as JSON writes `Double(milliseconds) / 1000`: `12`, `12.5`, `12.345`.
    static func seconds(_ milliseconds: Int64) -> String {
        guard milliseconds >= 0 else { return GoFloat.format(Double(milliseconds) / 1000, style: .fixed) }
        let (whole, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return String(whole) + "." + digits
    }
}

import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import Hummingbird
import NIOCore

/// The Prometheus HTTP API subset Grafana's Prometheus data source uses.
extension HubRoutes {
    /// The largest form body a query POST may send.
    static let maxFormBytes = 1 << 20

    /// Query parameters from the URL and, for POST, a form-encoded body.
    struct Parameters: Sendable {
        var values: [(String, String)]

        func first(_ name: String) -> String? { values.first { $0.0 == name }?.1 }
        func all(_ name: String) -> [String] { values.filter { $0.0 == name }.map(\.1) }

        /// A Prometheus time: Unix seconds (fractions allowed) or RFC 3339; nil when absent.
        func time(_ name: String) throws(QueryFailure) -> Int64? {
            guard let text = first(name) else { return nil }
            if let seconds = Double(text), let milliseconds = (seconds * 1000).roundedInt64() { return milliseconds }
            if let parsed = RFC3339.milliseconds(text) { return parsed }
            throw QueryFailure("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid timestamp")
        }

        /// A step: seconds (float) or a Prometheus duration.
        func duration(_ name: String) throws(QueryFailure) -> Int64? {
            guard let text = first(name) else { return nil }
            if let seconds = Double(text), seconds > 0, let milliseconds = (seconds * 1000).roundedInt64() { return milliseconds }
            if let milliseconds = PromDuration.parse(text), milliseconds > 0 { return milliseconds }
            throw QueryFailure("invalid parameter \"\(name)\": cannot parse \"\(text)\" to a valid duration")
        }
    }

    struct QueryFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func decodeForm(_ text: Substring) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (percentDecode(parts.first ?? ""), percentDecode(parts.count > 1 ? parts[1] : ""))
        }
    }

    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func query(_ request: Request, _ handler: @escaping @Sendable (Parameters) throws -> Response) async -> Response {
        guard tokenMatches(request) else {
            metrics.reject("unauthorized")
            return Self.error(.unauthorized, "unauthorized", "missing or wrong join token (Authorization: Bearer <token>)")
        }
        metrics.counters.withLock { $0.queries += 1 }
        var values = Self.decodeForm(Substring(request.uri.query ?? ""))
        if request.method == .post {
            guard let body = try? await request.body.collect(upTo: Self.maxFormBytes) else {
                metrics.reject("form_too_large")
                return Self.error(.contentTooLarge, "limit", "form body exceeds \(Self.maxFormBytes) bytes")
            }
            values += Self.decodeForm(Substring(String(buffer: body)))
        }
        let parameters = Parameters(values: values)
        let damagedBefore = storage.undecodableBlocks
        defer {
            let damaged = storage.undecodableBlocks - damagedBefore
            if damaged > 0 { logger.error("query skipped stored blocks that cannot be decoded", metadata: ["blocks": "\(damaged)"]) }
        }
        do {
            return try await blocking { try handler(parameters) }
        } catch let failure as QueryFailure {
            return Self.error(.badRequest, "bad_data", failure.message)
        } catch let error as PromQLError {
            return Self.error(
                error.kind == .parse ? .badRequest : .unprocessableContent,
                error.kind == .parse ? "bad_data" : "execution",
                error.description
            )
        } catch {
            return Self.error(.internalServerError, "internal", "\(error)")
        }
    }

    func selectors(_ parameters: Parameters) throws -> [[LabelMatcher]] {
        try parameters.all("match[]").map { text in
            do {
                return try Parser.parseSelector(text).matchers
            } catch {
                throw QueryFailure("invalid parameter \"match[]\": \(error)")
            }
        }
    }

    func window(_ parameters: Parameters) throws -> (Int64, Int64) {
        try Self.window(parameters, now: HubClock.now())
    }

    /// `start` and `end` of a series or labels request: the last 6 hours by default.
    static func window(_ parameters: Parameters, now: Int64) throws(QueryFailure) -> (Int64, Int64) {
        let end = try parameters.time("end") ?? now
        let sixHours: Int64 = 6 * 3_600_000
        let start = try parameters.time("start") ?? (end < Int64.min + sixHours ? Int64.min : end - sixHours)
        return (start, end)
    }

    /// `start`, `end` and `step` of a range query, each present, in order and within 11,000 steps.
    static func range(_ parameters: Parameters) throws(QueryFailure) -> (start: Int64, end: Int64, step: Int64) {
        guard let start = try parameters.time("start"), let end = try parameters.time("end") else {
            throw QueryFailure("invalid parameter \"start\"/\"end\": both are required")
        }
        guard let step = try parameters.duration("step") else { throw QueryFailure("invalid parameter \"step\": missing") }
        guard end >= start else { throw QueryFailure("invalid parameter \"end\": end timestamp must not be before start time") }
        let (span, overflow) = end.subtractingReportingOverflow(start)
        guard !overflow, span / step <= 11_000 else {
            throw QueryFailure("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        return (start, end, step)
    }

    func series(_ parameters: Parameters) throws -> Response {
        let selectors = try selectors(parameters)
        guard !selectors.isEmpty else { throw QueryFailure("no match[] parameter provided") }
        let (start, end) = try window(parameters)
        return Self.success(try storage.series(matching: selectors, start: start, end: end).map(JSONObject.init))
    }

    func labels(_ parameters: Parameters, name: String?) throws -> Response {
        var selectors = try selectors(parameters)
        let (start, end) = try window(parameters)
        // A dashboard's node variable, the metric browser's names and label names, any label's
        // values: from the presence summary (or, for nodes and names, the blocks), not from every
        // label set of the fleet.
        if selectors.isEmpty, name == "node" { return Self.listing(try storage.nodesWithPoints(start: start, end: end)) }
        if selectors.isEmpty, name == "__name__" { return Self.listing(try storage.metricNamesWithPoints(start: start, end: end)) }
        if selectors.isEmpty, let values = try storage.labelValuesFromSummary(name, start: start, end: end) { return Self.listing(values) }
        if selectors.isEmpty { selectors = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]] }
        let all = try storage.distinctSeries(matching: selectors, start: start, end: end)
        let values: Set<String>
        if let name {
            values = Set(all.compactMap { $0[name] })
        } else {
            values = Set(all.flatMap { $0.map(\.name) })
        }
        return Self.listing(values)
    }

    /// A listing's values, sorted.
    static func listing(_ values: some Sequence<String>) -> Response {
        json(bytes: PrometheusJSON.successJSONBytes(strings: values.sorted()))
    }

    func instantQuery(_ parameters: Parameters) throws -> Response {
        guard let text = parameters.first("query") else { throw QueryFailure("invalid parameter \"query\": missing") }
        let time = try parameters.time("time") ?? HubClock.now()
        let expression = try Parser.parse(text)
        let value = try Engine().evaluate(expression, at: time, source: storage)
        return Self.json(bytes: PrometheusJSON.QueryData(value, at: time).successJSONBytes())
    }

    func rangeQuery(_ parameters: Parameters) throws -> Response {
        guard let text = parameters.first("query") else { throw QueryFailure("invalid parameter \"query\": missing") }
        let (start, end, step) = try Self.range(parameters)
        let expression = try Parser.parse(text)
        let series = try Engine().evaluateRange(expression, start: start, end: end, step: step, source: storage)
        return Self.json(bytes: PrometheusJSON.QueryData(matrix: series).successJSONBytes())
    }
}

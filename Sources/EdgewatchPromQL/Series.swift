import EdgewatchCore

/// One sample of a series: milliseconds since the epoch and a value.
public struct Point: Sendable, Equatable {
    public var timestamp: Int64
    public var value: Double

    public init(_ timestamp: Int64, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// A series with its label set (the metric name is the `__name__` label) and time-ordered points.
public struct Series: Sendable {
    public var labels: Labels
    public var points: [Point]

    public init(labels: Labels, points: [Point]) {
        self.labels = labels
        self.points = points
    }
}

/// One element of an instant vector.
public struct Sample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
    /// The sample's own timestamp for selectors; the evaluation time otherwise.
    public var timestamp: Int64

    public init(labels: Labels, value: Double, timestamp: Int64) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// The result of evaluating an expression at one instant.
public enum QueryValue: Sendable {
    case scalar(Double)
    case string(String)
    case vector([Sample])
    case matrix([Series])
}

/// Prometheus' staleness marker: a NaN with a fixed bit pattern, written when a series ends.
public enum StaleMarker {
    public static let bitPattern: UInt64 = 0x7FF0_0000_0000_0002
    public static let value = Double(bitPattern: bitPattern)

    public static func isStale(_ value: Double) -> Bool { value.bitPattern == bitPattern }
}

extension Labels {
    /// The metric name (`__name__`), or nil.
    public var metricName: String? { self["__name__"] }

    /// A copy without `__name__`.
    public func droppingName() -> Labels {
        guard contains(where: { $0.name == "__name__" }) else { return self }
        return Labels(storage.filter { $0.name != "__name__" })
    }

    /// A copy without the named labels.
    public func removing(_ names: [String]) -> Labels {
        Labels(storage.filter { !names.contains($0.name) })
    }

    /// A copy with only the named labels.
    public func keeping(_ names: [String]) -> Labels {
        Labels(storage.filter { names.contains($0.name) })
    }

    /// A copy with `name` set, or removed when `value` is empty (Prometheus semantics).
    public func setting(_ name: String, _ value: String) -> Labels {
        value.isEmpty ? Labels(storage.filter { $0.name != name }) : adding(name, value)
    }

    /// `name{a="b",...}` in Prometheus' text form.
    public var promQLDescription: String {
        var text = metricName ?? ""
        let rest = storage.filter { $0.name != "__name__" }
        if rest.isEmpty, !text.isEmpty { return text }
        text += "{"
        for (index, label) in rest.enumerated() {
            if index > 0 { text += ", " }
            text += label.name + "=\""
            TextEscaping.labelValue(label.value, into: &text)
            text += "\""
        }
        return text + "}"
    }
}

import EdgewatchCore

/// A series' identity in the store: metric name, label set and type.
public struct SeriesKey: Hashable, Sendable {
    public var name: String
    public var labels: Labels
    public var type: MetricType

    public init(name: String, labels: Labels, type: MetricType) {
        self.name = name
        self.labels = labels
        self.type = type
    }

    /// The label set as stored: `{a="x",b="y"}` with OpenMetrics escaping, sorted by name.
    public var encodedLabels: String {
        var text = "{"
        for (index, label) in labels.enumerated() {
            if index > 0 { text += "," }
            text += label.name + "=\""
            TextEscaping.labelValue(label.value, into: &text)
            text += "\""
        }
        return text + "}"
    }

    /// Parses `encodedLabels` back; nil when malformed.
    public static func decodeLabels(_ text: String) -> Labels? {
        var text = text
        return text.withUTF8 { decodeLabels(utf8: $0) }
    }

    /// A stored series' label set: `text` (as ``encodedLabels``) parsed, with `__name__` set to
    /// `name`; nil when malformed.
    public static func decodeLabels(_ text: String, name: String) -> Labels? {
        decodeLabels(text)?.adding("__name__", name)
    }

    /// Parses the UTF-8 of `encodedLabels` byte by byte (a fleet query parses thousands).
    static func decodeLabels(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Labels? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "{"), bytes[bytes.count - 1] == UInt8(ascii: "}") else { return nil }
        let end = bytes.count - 1
        var position = 1
        var labels: [Label] = []
        var value: [UInt8] = []
        while position < end {
            guard let equals = bytes[position..<end].firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = String(decoding: bytes[position..<equals], as: UTF8.self)
            position = equals + 1
            guard position < end, bytes[position] == UInt8(ascii: "\"") else { return nil }
            position += 1
            value.removeAll(keepingCapacity: true)
            var closed = false
            while position < end {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") {
                    closed = true
                    break
                }
                guard byte == UInt8(ascii: "\\") else {
                    value.append(byte)
                    continue
                }
                guard position < end else { break }
                value.append(bytes[position] == UInt8(ascii: "n") ? 0x0A : bytes[position])
                position += 1
            }
            guard closed else { return nil }
            labels.append(Label(name, String(decoding: value, as: UTF8.self)))
            if position < end, bytes[position] == UInt8(ascii: ",") { position += 1 }
        }
        return Labels(labels)
    }
}

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
        var labels: [Label] = []
        var characters = Substring(text)
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = characters.dropFirst().dropLast()
        while !characters.isEmpty {
            guard let equals = characters.firstIndex(of: "=") else { return nil }
            let name = String(characters[..<equals])
            characters = characters[characters.index(after: equals)...]
            guard characters.first == "\"" else { return nil }
            characters = characters.dropFirst()
            var value = ""
            var escaped = false
            var closed = false
            while let character = characters.first {
                characters = characters.dropFirst()
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    value.append(character)
                }
            }
            guard closed else { return nil }
            labels.append(Label(name, value))
            if characters.first == "," { characters = characters.dropFirst() }
        }
        return Labels(labels)
    }
}

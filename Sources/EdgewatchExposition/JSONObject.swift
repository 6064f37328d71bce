import EdgewatchCore

/// A JSON object of string values with keys not known in advance (label sets, annotations);
/// ``JSONDocument`` writes its keys sorted.
public struct JSONObject: Encodable, Sendable, Equatable {
    public var pairs: [(key: String, value: String)]

    public init(_ pairs: [(key: String, value: String)]) { self.pairs = pairs }

    /// A label set, in its (sorted) order.
    public init(_ labels: Labels) { pairs = labels.map { ($0.name, $0.value) } }

    /// A dictionary, keys sorted.
    public init(sorting dictionary: [String: String]) { pairs = dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in pairs { try container.encode(value, forKey: Key(key)) }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.pairs.elementsEqual(rhs.pairs) { $0 == $1 } }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

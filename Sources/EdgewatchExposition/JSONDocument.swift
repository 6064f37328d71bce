import FoundationEssentials

/// Encodes API answers (the agent's rules and alerts, Alertmanager payloads, the hub's
/// Prometheus API and fleet view) with `Codable`: compact, keys sorted (the same bytes on every
/// run), `/` not escaped, and non-finite numbers as Prometheus spells them.
public enum JSONDocument {
    /// `value` as a JSON text.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

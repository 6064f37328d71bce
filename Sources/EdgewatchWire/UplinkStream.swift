import EdgewatchEncoding

/// Names of uplink streams: `<kind>/<tier>[.era<N>]/<width>s`, optionally followed by `/partNofM`
/// when an oversized batch was split (`metrics/1m/60s`, `alerts/raw/10s`, `metrics/1m/600s/part1of2`,
/// `metrics/raw.era2/10s`). The width and the store's clock era are part of the idempotency key, so
/// a batch of another width, or of times the clock went back over, never reuses a key.
public enum UplinkStream {
    /// The stream of `kind` (`metrics`, `alerts`) batches `widthMilliseconds` wide at `tier`, of
    /// clock era `era` (era 0 is not named, as before eras existed).
    public static func name(kind: String, tier: Tier, widthMilliseconds: Int64, era: Int64 = 0) -> String {
        "\(kind)/\(family(tier: tier, era: era))/\(widthMilliseconds / 1000)s"
    }

    /// The tier and era part of a name: `1m`, `1m.era2`.
    public static func family(tier: Tier, era: Int64) -> String { era == 0 ? tier.name : "\(tier.name).era\(era)" }

    /// The clock era a stream name carries (0 when none); nil when the name is not of that form.
    public static func era(_ stream: String) -> Int64? {
        let parts = stream.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        guard let dot = parts[1].firstIndex(of: ".") else { return 0 }
        let suffix = parts[1][dot...]
        guard suffix.hasPrefix(".era"), let era = Int64(suffix.dropFirst(4)), era > 0 else { return nil }
        return era
    }

    /// The family (`metrics/1m/`, `metrics/1m.era2/`: up to and including the slash after tier
    /// and era) and width of a stream name; nil when the name is not of that form.
    public static func parse(_ stream: String) -> (family: String, widthMilliseconds: Int64)? {
        let parts = stream.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[2].hasSuffix("s"), let seconds = Int64(parts[2].dropLast()), seconds > 0 else { return nil }
        return ("\(parts[0])/\(parts[1])/", seconds * 1000)
    }
}

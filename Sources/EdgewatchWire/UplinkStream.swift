import EdgewatchEncoding

/// Names of uplink streams: `<kind>/<tier>/<width>s`, optionally followed by `/partNofM` when an
/// oversized batch was split (`metrics/1m/60s`, `alerts/raw/10s`, `metrics/1m/600s/part1of2`).
/// The width is part of the idempotency key, so a batch of another width never reuses a key.
public enum UplinkStream {
    /// The stream of `kind` (`metrics`, `alerts`) batches `widthMilliseconds` wide at `tier`.
    public static func name(kind: String, tier: Tier, widthMilliseconds: Int64) -> String {
        "\(kind)/\(tier.name)/\(widthMilliseconds / 1000)s"
    }

    /// The family (`metrics/1m/`, up to and including the tier's slash) and width of a stream
    /// name; nil when the name is not of that form.
    public static func parse(_ stream: String) -> (family: String, widthMilliseconds: Int64)? {
        let parts = stream.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[2].hasSuffix("s"), let seconds = Int64(parts[2].dropLast()), seconds > 0 else { return nil }
        return ("\(parts[0])/\(parts[1])/", seconds * 1000)
    }
}

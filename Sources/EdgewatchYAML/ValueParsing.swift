/// Parsers for the config file's value forms: durations and byte sizes.
public enum ValueParsing {
    /// `500ms`, `10s`, `1m30s`, `2h`, `1d` → milliseconds; nil when not of that form.
    public static func duration(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var rest = Substring(text.trimmingSpaces())
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        var lastUnitScale = Double.infinity
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first so "ms" is not read as "m".
            guard let unit = units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) }) else { return nil }
            guard unit.1 < lastUnitScale else { return nil }
            lastUnitScale = unit.1
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 1e15 else { return nil }
        return Int64(total.rounded())
    }

    /// `1048576`, `512KiB`, `256MiB`, `1GiB`, `500MB`, `2GB` → bytes; nil when not of that form.
    public static func size(_ text: String) -> Int64? {
        let units: [(String, Double)] = [
            ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
            ("KB", 1000), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1), ("", 1),
        ]
        let trimmed = text.trimmingSpaces()
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingSpaces()
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) else { continue }
            let bytes = value * scale
            guard bytes.isFinite, bytes < 9e18, bytes == bytes.rounded() || scale > 1 else { return nil }
            return Int64(bytes.rounded())
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

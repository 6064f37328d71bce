import EdgewatchCore
import EdgewatchExposition

extension FuzzTarget {
    /// OpenMetrics text: any line parses or fails with a column; what the writer writes, the
    /// line parser (the import path's) reads back with the same names, labels and values.
    static let expositionTargets: [FuzzTarget] = [
        FuzzTarget(name: "openmetrics-line") { bytes in
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                _ = try? OpenMetricsLine.parse(Substring(decoding: line, as: UTF8.self))
            }
        },
        FuzzTarget(name: "openmetrics-roundtrip") { bytes in
            var input = FuzzInput(bytes)
            let families = (0..<(1 + input.count(3))).map { _ in input.family() }
            let text = OpenMetricsWriter().render(families)
            var read: [(String, Labels, Double)] = []
            // Lines split on the newline byte, as the import's line reader does ("\r\n" is one Character).
            for bytes in text.utf8.split(separator: UInt8(ascii: "\n")) {
                let line = Substring(decoding: bytes, as: UTF8.self)
                guard let parsed = try? OpenMetricsLine.parse(line) else {
                    FuzzCheck.require(false, "the writer's line does not parse: \(line.debugDescription)")
                    return
                }
                if case .sample(let name, let labels, let value, _) = parsed { read.append((name, labels, value)) }
            }
            let written = families.flatMap { family in family.samples.map { (family.name, $0.labels, $0.value) } }
            FuzzCheck.require(read.count == written.count, "\(written.count) samples written, \(read.count) read")
            for (a, b) in zip(written, read) {
                let sameValue = a.2 == b.2 || (a.2.isNaN && b.2.isNaN)
                FuzzCheck.require(a.0 == b.0 && a.1 == b.1 && sameValue, "wrote \(a), read \(b)")
            }
        },
    ]
}

extension FuzzInput {
    private static let nameCharacters = Array("abcxyz_:ABZ019")
    private static let labelNameCharacters = Array("abclez_AZ09")

    /// A metric family with valid names and label names, any label values (quotes, backslashes,
    /// newlines, any Unicode) and any values.
    mutating func family() -> MetricFamily {
        let type = [MetricType.counter, .gauge, .unknown][Int(byte()) % 3]
        var name = identifier(Self.nameCharacters, first: "n")
        if type == .counter, byte() & 1 == 0 { name += "_total" }
        var seen = Set<Labels>()
        var samples: [MetricSample] = []
        for _ in 0..<count(4) {
            let labels = Labels((0..<count(3)).map { _ in Label(identifier(Self.labelNameCharacters, first: "l"), text(30)) })
            guard seen.insert(labels).inserted else { continue }
            samples.append(MetricSample(labels: labels, value: value()))
        }
        return MetricFamily(name: name, help: text(40), type: type, samples: samples)
    }

    /// A name starting with `first` followed by up to 8 characters of `alphabet`.
    private mutating func identifier(_ alphabet: [Character], first: Character) -> String {
        String([first] + (0..<count(8)).map { _ in alphabet[Int(byte()) % alphabet.count] })
    }
}

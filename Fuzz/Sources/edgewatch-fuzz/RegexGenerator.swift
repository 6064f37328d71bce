/// Builds RE2 patterns from fuzz bytes in the ASCII subset that RE2, POSIX ERE (after
/// translation) and Swift's `Regex` all read the same way, with subjects to match them against.
struct RegexGenerator {
    var input: FuzzInput
    private var depth = 0
    /// Quantifiers left: Swift's `Regex` backtracks, and a pattern with many nested quantifiers
    /// takes it seconds on a short subject (the oracle's cost, not the translation's).
    private var quantifiersLeft = 4

    init(input: FuzzInput) { self.input = input }

    private static let atoms = [
        "a", "b", "c", "A", "1", "-", "_", " ", ".", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\.", "[a-c]", "[^a]", "[0-9_]", "[ab-]",
    ]
    private static let quantifiers = ["", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?", "??"]
    private static let subjectCharacters: [Character] = ["a", "b", "c", "A", "B", "1", "9", "_", "-", " ", "."]

    mutating func pattern() -> String {
        let caseless = input.byte() % 5 == 0
        return (caseless ? "(?i)" : "") + alternation()
    }

    private mutating func alternation() -> String {
        var branches = [sequence()]
        while branches.count < 3, input.byte() % 4 == 0 { branches.append(sequence()) }
        return branches.joined(separator: "|")
    }

    private mutating func sequence() -> String {
        var parts: [String] = []
        for _ in 0..<(1 + input.count(3)) {
            var quantifier = Self.quantifiers[Int(input.byte()) % Self.quantifiers.count]
            let before = quantifiersLeft
            let item = item()
            // No quantified group holds a quantifier: nested repetition like `(a*?b?)+` made
            // Swift's backtracking take over a second on a six-character subject.
            // Nor more than three alternatives: `(?:(?:a|a|a)|(?:a|a|a)|(?:a|a|a))*` gave it nine ways
            // to match each character, 1.5 s on six.
            if !quantifier.isEmpty {
                let alternatives = item.filter { $0 == "|" }.count
                if quantifiersLeft == 0 || quantifiersLeft != before || alternatives > 2 { quantifier = "" } else { quantifiersLeft -= 1 }
            }
            parts.append(item + quantifier)
        }
        return parts.joined()
    }

    private mutating func item() -> String {
        let choice = input.byte()
        if depth < 2, choice % 6 == 0 {
            depth += 1
            defer { depth -= 1 }
            let open = choice % 12 == 0 ? "(?:" : "("
            return open + alternation() + ")"
        }
        return Self.atoms[Int(choice) % Self.atoms.count]
    }

    mutating func subject() -> String {
        String((0..<input.count(6)).map { _ in Self.subjectCharacters[Int(input.byte()) % Self.subjectCharacters.count] })
    }
}

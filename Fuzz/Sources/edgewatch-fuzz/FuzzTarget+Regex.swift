import EdgewatchCore

extension FuzzTarget {
    /// The RE2 → POSIX translation: any text must translate or fail cleanly (and quickly), and
    /// on a generated ASCII subset both engines support, the translation must match exactly what
    /// Swift's `Regex` matches (whole-string, as label matchers do).
    static let regexTargets: [FuzzTarget] = [
        FuzzTarget(name: "re2-posix") { bytes in
            var input = FuzzInput(bytes)
            let pattern = input.text(200)
            let subject = input.restText()
            _ = try? PosixRegex(re2: pattern, captures: true).submatches(in: subject)
            _ = try? LabelMatcher(name: "job", operation: .matches, value: pattern).matches(subject)
        },
        FuzzTarget(name: "re2-differential") { bytes in
            var generator = RegexGenerator(input: FuzzInput(bytes))
            let pattern = generator.pattern()
            let subjects = (0..<4).map { _ in generator.subject() }
            RegexGenerator.compare(pattern: pattern, subjects: subjects)
        },
    ]
}

import EdgewatchCore

extension RegexGenerator {
    /// Whole-string match of every subject through the label matcher (the translated POSIX
    /// pattern) and through Swift's `Regex` on Unicode scalars; any difference is a failure.
    static func compare(pattern: String, subjects: [String]) {
        let swiftPattern: Regex<AnyRegexOutput>
        do {
            swiftPattern = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            return
        }
        let matcher: LabelMatcher
        do {
            matcher = try LabelMatcher(name: "job", operation: .matches, value: pattern)
        } catch {
            FuzzCheck.require(false, "/\(pattern)/ compiles in Swift but its translation fails: \(error)")
            return
        }
        for subject in subjects {
            let expected = (try? swiftPattern.wholeMatch(in: subject)) != nil
            let actual = matcher.matches(subject)
            FuzzCheck.require(actual == expected, "/\(pattern)/ on \"\(subject)\": translated \(actual), Swift Regex \(expected)")
        }
    }
}

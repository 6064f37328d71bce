import EdgewatchCore
import Testing

/// RE2 patterns as label matchers and `label_replace` use them, translated to POSIX: the
/// repetitions RE2 (and Go's regexp, which Prometheus uses) refuse are refused before glibc
/// compiles them (the fuzzer found `?+++++++++++++` taking seconds in regcomp).
@Suite struct RegexTranslationTests {
    func refusal(_ pattern: String) -> String? {
        do {
            _ = try LabelMatcher(name: "job", operation: .matches, value: pattern)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Found by fuzzing (an out-of-memory in glibc's regcomp, Fuzz/corpus/re2-posix/regression-named-group-oom):
    /// a group name running past `)` and `[` hid a class's `+++…` from the repetition check and
    /// then gave them to glibc outside the class, which copies the tree for each nested `+`.
    @Test func groupNamesAreWordCharacters() throws {
        for pattern in ["(?P<x)[(?u>a+++++++++++++++++++++++]", "(?P<>a)", "(?<a b>c)", "(?P<a-b>c)"] {
            #expect(refusal(pattern)?.contains("invalid named capture group") == true, "\(pattern)")
        }
        #expect(refusal("(?P<name_1>a)(?<Z9>b)") == nil)
        let regex = try PosixRegex(re2: "(?P<first>a+)(?<second>b)", captures: true)
        #expect(regex.groupNames == ["first": 1, "second": 2])
    }

    @Test func nestedRepetitionsRefused() {
        for pattern in ["a**", "a+*", "a{2}*", "a*{2}", "a??? ", "a*??", "\u{FFFD}?B?+++++++++++++", "(a)++"] {
            #expect(refusal(pattern)?.contains("nested repetition") == true, "\(pattern)")
        }
        // The matcher anchors the value in a group of its own: a value must not close it.
        for pattern in ["a)|(b", "a)", "(a", "((a)", "[(]a)", "){2,555}"] {
            #expect(refusal(pattern)?.contains(")") == true, "\(pattern)")
        }
        for pattern in ["*a", "a|*b", "(+a)", "(?:*)"] {
            #expect(refusal(pattern)?.contains("missing argument") == true, "\(pattern)")
        }
        // Found by fuzzing: glibc needs 15 s and 930 MB for a group that can match empty repeated
        // {2,555} (first found as `){2,555}`, closing the matcher's own anchoring group).
        for pattern in ["a{1001}", "a{2,1001}", "a{3,2}", "(a{100}){20}", "((a{10}){10}){11}", "a{99999999999999999999}", "(a*){2,555}"] {
            #expect(refusal(pattern)?.contains("invalid repeat count") == true, "\(pattern)")
        }
        // Found by fuzzing (promtool-test): each `{` looked as far as the next `}`, so a series
        // selector of many `{` took 1.5 s; a count is only digits and a comma, looked at alone.
        let braces = String(repeating: "{", count: 20_000) + "1}"
        let started = ContinuousClock.now
        #expect(refusal(braces) == nil)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func acceptedRepetitionsMatchAsRE2Does() throws {
        let cases: [(String, String, Bool)] = [
            ("a*?", "aaa", true), ("a{2,3}?", "aaa", true), ("(a*)*", "aaaa", true), ("(a{10}){100}", "a", false),
            ("a{2}", "aa", true), ("(a*){2,100}", "aaa", true), ("a{1000}", "a", false), ("a{,2}", "a{,2}", true), ("x{", "x{", true),
            ("{x}", "{x}", true),
            ("(?i)Foo|bar", "FOO", true), ("(?:ab)+", "abab", true), ("(?P<n>a)b?", "ab", true), ("[(]a[)]", "(a)", true), ("\\(a\\)", "(a)", true),
        ]
        for (pattern, subject, expected) in cases {
            let matcher = try LabelMatcher(name: "job", operation: .matches, value: pattern)
            #expect(matcher.matches(subject) == expected, "/\(pattern)/ on \(subject)")
        }
    }
}

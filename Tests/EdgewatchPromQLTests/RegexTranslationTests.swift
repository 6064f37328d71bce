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
            ("a*?", "aaa", true), ("a{2,3}?", "aaa", true), ("(a+)*", "aaaa", true), ("(a{10}){100}", "a", false),
            ("a{2}", "aa", true), ("(a*){2,50}", "aaa", true), ("a{1000}", "a", false), ("a{,2}", "a{,2}", true), ("x{", "x{", true),
            ("{x}", "{x}", true),
            ("(a|b)*", "abba", true), ("(a*b)*", "aabb", true), ("(a|b|)?", "", true), ("(a*){0,25}(b*){0,25}", "b", true),
            ("(?i)Foo|bar", "FOO", true), ("(?:ab)+", "abab", true), ("(?P<n>a)b?", "ab", true), ("[(]a[)]", "(a)", true), ("\\(a\\)", "(a)", true),
        ]
        for (pattern, subject, expected) in cases {
            let matcher = try LabelMatcher(name: "job", operation: .matches, value: pattern)
            #expect(matcher.matches(subject) == expected, "/\(pattern)/ on \(subject)")
        }
    }

    /// Found by fuzzing (re2-posix, a timeout in glibc's `calc_eclosure_iter`): a loop around
    /// what can match empty, made optional in turn, takes glibc exponential time (`((a*)*)?` 22
    /// times: 7.5 s, each more doubles it). RE2 accepts such loops; they are refused here.
    @Test func loopsAroundWhatMatchesEmptyRefused() {
        let chained = String(repeating: "((a*)*)?", count: 40)
        for pattern in ["(a*)*", "(a|b*)+", "()*", "(a?){2,}", "(^)*", "(\\b)+", "((a|)*)?", "(?:a*)*", chained] {
            let started = ContinuousClock.now
            #expect(refusal(pattern)?.contains("can match empty") == true, "\(pattern)")
            #expect(ContinuousClock.now - started < .seconds(1))
        }
    }

    /// Counts that write out too much are refused before glibc spends seconds on them: copies of
    /// what can match empty, made optional or beside another alternative that can (anchored, as a
    /// matcher is, `(a*){0,99}` twice takes 4 s or more, `(a*)?` 600 times 17 s and then runs out of
    /// memory), optional copies (`a{0,1000}` ten times: 0.36 s) and copies in all.
    @Test func patternsTooLargeWrittenOutRefused() {
        let refused = [
            String(repeating: "(a*){0,26}", count: 2), "(a*){2,51}", "((a*){0,10}){0,10}", "(((a*){0,10}){0,10}){0,10}",
            String(repeating: "a{0,1000}", count: 3), String(repeating: "(a|b){0,100}", count: 21), String(repeating: "a{1000}", count: 11),
            String(repeating: "(a*)?", count: 51), String(repeating: "(a*|b*)", count: 51), "a*|" + String(repeating: "b*|", count: 50),
        ]
        for pattern in refused {
            let started = ContinuousClock.now
            #expect(refusal(pattern)?.contains("invalid repeat count") == true, "\(pattern)")
            #expect(ContinuousClock.now - started < .seconds(1))
        }
        let accepted = [
            String(repeating: "(a*){0,25}", count: 2), String(repeating: "a{0,1000}", count: 2), String(repeating: "a{1000}", count: 9),
            String(repeating: "(a*)?", count: 50), String(repeating: "(a|b)?", count: 600), String(repeating: "[a-z]", count: 20_000),
        ]
        for pattern in accepted {
            let started = ContinuousClock.now
            #expect(refusal(pattern) == nil, "\(pattern.prefix(20))")
            #expect(ContinuousClock.now - started < .seconds(1))
        }
    }
}

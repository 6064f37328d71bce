extension RE2Translation {
    /// The largest repeat count RE2 (and Go's regexp) accept, also for the product of nested counts.
    static let maxRepeat = 1000
    /// The largest count a group may be repeated with: glibc's regcomp takes time and memory
    /// that grow steeply with the count of a group that can match empty (`(a*){2,555}`: 15 s and
    /// 930 MB; at 100: 20 ms). RE2 allows 1000; this engine refuses more with a clear error.
    static let maxGroupRepeat = 100

    /// Refuses what RE2 refuses before POSIX sees it: parentheses that do not pair up, a
    /// repetition of a repetition (`a**`, `a+{2}`; one `?` after a repetition makes it lazy), one
    /// with nothing to repeat, a count above 1000, and nested counts whose product exceeds 1000.
    /// glibc would compile some of these into automata that take minutes to build.
    static func checkRepetitions(_ scalars: ArraySlice<Unicode.Scalar>, fail: (String) -> RegexError) throws(RegexError) {
        var frames = [RepetitionFrame()]
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let c = scalars[index]
            index = scalars.index(after: index)
            switch c {
            case "\\":
                if index < scalars.endIndex { index = scalars.index(after: index) }
                frames[frames.count - 1].atom(product: 1)
            case "[":
                index = bracketEnd(scalars, from: index)
                frames[frames.count - 1].atom(product: 1)
            case "(":
                guard index < scalars.endIndex, scalars[index] == "?" else {
                    frames.append(RepetitionFrame())
                    break
                }
                // `(?i)` sets flags (no group); `(?:`, `(?i:`, `(?P<name>` and `(?<name>` open one.
                let prefixEnd = scalars[index...].firstIndex { $0 == ")" || $0 == ":" || $0 == ">" } ?? scalars.endIndex
                if prefixEnd < scalars.endIndex, scalars[prefixEnd] != ")" { frames.append(RepetitionFrame()) }
                index = min(prefixEnd + 1, scalars.endIndex)
            case ")":
                guard frames.count > 1, let inner = frames.popLast() else { throw fail("unexpected )") }
                frames[frames.count - 1].atom(product: inner.widest, group: true)
            case "|":
                frames[frames.count - 1].alternate()
            case "*", "+", "?":
                try frames[frames.count - 1].repeatLast(count: 1, operator: String(c), fail: fail)
            case "{":
                if let (count, end) = try repeatCount(scalars, from: index, fail: fail) {
                    try frames[frames.count - 1].repeatLast(count: count, operator: "{", fail: fail)
                    index = end
                } else {
                    frames[frames.count - 1].atom(product: 1)
                }
            default:
                frames[frames.count - 1].atom(product: 1)
            }
        }
        guard frames.count == 1 else { throw fail("missing closing )") }
    }

    /// The index after the bracket expression that starts before `start` (a leading `^` and `]` belong to it).
    private static func bracketEnd(_ scalars: ArraySlice<Unicode.Scalar>, from start: Int) -> Int {
        var index = start
        if index < scalars.endIndex, scalars[index] == "^" { index += 1 }
        if index < scalars.endIndex, scalars[index] == "]" { index += 1 }
        while index < scalars.endIndex, scalars[index] != "]" {
            index += scalars[index] == "\\" ? 2 : 1
        }
        return min(index + 1, scalars.endIndex)
    }

    /// For `{n}`, `{n,}` or `{n,m}` starting after `start`: the largest count it allows and the
    /// index after `}`; nil when the brace is a literal.
    private static func repeatCount(
        _ scalars: ArraySlice<Unicode.Scalar>,
        from start: Int,
        fail: (String) -> RegexError
    ) throws(RegexError) -> (Int, Int)? {
        // A count is digits and a comma: look no further than they go (a scan to the next `}`
        // would make a pattern of many `{` quadratic).
        let close = scalars[start...].firstIndex { !("0"..."9").contains($0) && $0 != "," } ?? scalars.endIndex
        guard close < scalars.endIndex, scalars[close] == "}" else { return nil }
        let body = String(String.UnicodeScalarView(scalars[start..<close]))
        let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        func isNumber(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { ("0"..."9").contains($0) } }
        guard let first = parts.first, isNumber(first) else { return nil }
        let low = Int(first) ?? Int.max
        var high = low
        if parts.count == 2, !parts[1].isEmpty {
            guard isNumber(parts[1]) else { return nil }
            high = Int(parts[1]) ?? Int.max
        }
        guard low <= maxRepeat, high <= maxRepeat, low <= high else { throw fail("invalid repeat count {\(body)}") }
        return (high, close + 1)
    }
}

/// What ``RE2Translation/checkRepetitions(_:fail:)`` tracks for one group level.
struct RepetitionFrame {
    /// The largest product of nested repeat counts in the group so far.
    private(set) var widest = 1
    /// That of the last item, while it can still take a repetition operator.
    private var last: Int?
    /// The last item is a repetition: another operator is an error, one `?` the lazy marker.
    private var repeated = false
    private var lazy = false
    private var lastIsGroup = false

    mutating func atom(product: Int, group: Bool = false) {
        last = product
        lastIsGroup = group
        repeated = false
        lazy = false
        widest = max(widest, product)
    }

    mutating func alternate() {
        last = nil
        repeated = false
        lazy = false
    }

    mutating func repeatLast(count: Int, operator symbol: String, fail: (String) -> RegexError) throws(RegexError) {
        if repeated {
            guard symbol == "?", !lazy else { throw fail("invalid nested repetition operator \(symbol)") }
            lazy = true
            return
        }
        guard let product = last else { throw fail("missing argument to repetition operator \(symbol)") }
        guard !lastIsGroup || count <= RE2Translation.maxGroupRepeat else {
            throw fail("invalid repeat count: a group repeated more than \(RE2Translation.maxGroupRepeat) times is not supported")
        }
        let total = product * max(count, 1)
        guard total <= RE2Translation.maxRepeat else { throw fail("invalid repeat count: nested counts exceed \(RE2Translation.maxRepeat)") }
        widest = max(widest, total)
        repeated = true
    }
}

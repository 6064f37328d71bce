extension RE2Translation {
    /// The largest repeat count RE2 (and Go's regexp) accept, also for the product of nested counts.
    static let maxRepeat = 1000
    /// The largest count a group may be repeated with: glibc's regcomp takes time and memory
    /// that grow steeply with the count of a group that can match empty (`(a*){2,555}`: 15 s and
    /// 930 MB; at 100: 20 ms). RE2 allows 1000; this engine refuses more with a clear error.
    static let maxGroupRepeat = 100
    /// The most atoms a pattern's counts may write out beyond its own (`a{1000}` ten times: 1 ms).
    static let maxExpandedSize = 10_000
    /// The most optional copies a pattern's counts may write out, in all: each costs glibc tens of
    /// microseconds once the pattern is anchored, as matchers are (`^(a{0,1000}` ten times`)$`: 0.36 s).
    static let maxOptionalCopies = 2_000
    /// The most places a pattern may match empty one more way, counts written out (``RepetitionFrame/Item/nullableCopies``):
    /// glibc's time and memory grow with about their cube once anchored (`^((a*){0,99})$`: 0.12 s,
    /// with two such groups 4 to 22 s; `(a*)?` 600 times: 17 s, then out of memory; at 40, 3 ms).
    static let maxNullableCopies = 50

    /// Refuses what RE2 refuses before POSIX sees it: parentheses that do not pair up, a
    /// repetition of a repetition (`a**`, `a+{2}`; one `?` after a repetition makes it lazy), one
    /// with nothing to repeat, a count above 1000, and nested counts whose product exceeds 1000.
    /// Refuses too what glibc would take minutes to compile and RE2 accepts: a loop around what can
    /// match empty (`(a*)*`), and counts that write out too much (the limits above).
    static func checkRepetitions(_ scalars: ArraySlice<Unicode.Scalar>, fail: (String) -> RegexError) throws(RegexError) {
        var frames = [RepetitionFrame()]
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let c = scalars[index]
            index = scalars.index(after: index)
            switch c {
            case "\\":
                // `\b`, `\B`, `\A` and `\z` match a position, not a character.
                let zeroWidth = index < scalars.endIndex && "bBAz".unicodeScalars.contains(scalars[index])
                if index < scalars.endIndex { index = scalars.index(after: index) }
                frames[frames.count - 1].atom(RepetitionFrame.Item(nullable: zeroWidth))
            case "[":
                index = bracketEnd(scalars, from: index)
                frames[frames.count - 1].atom(RepetitionFrame.Item())
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
                frames[frames.count - 1].atom(inner.group)
            case "|":
                frames[frames.count - 1].alternate()
            case "*", "+", "?":
                let count = RepetitionFrame.Count(low: c == "+" ? 1 : 0, high: 1, unbounded: c != "?", symbol: String(c))
                try frames[frames.count - 1].repeatLast(count, fail: fail)
            case "{":
                if let (count, end) = try repeatCount(scalars, from: index, fail: fail) {
                    try frames[frames.count - 1].repeatLast(count, fail: fail)
                    index = end
                } else {
                    frames[frames.count - 1].atom(RepetitionFrame.Item())
                }
            default:
                frames[frames.count - 1].atom(RepetitionFrame.Item(nullable: c == "^" || c == "$"))
            }
        }
        guard frames.count == 1, let whole = frames.first?.group else { throw fail("missing closing )") }
        guard whole.size - scalars.count <= maxExpandedSize else {
            throw fail("invalid repeat count: the pattern's counts write out more than \(maxExpandedSize) atoms")
        }
        guard whole.nullableCopies <= maxNullableCopies else {
            throw fail("invalid repeat count: what can match empty is made optional or repeated in more than \(maxNullableCopies) places in all")
        }
        guard whole.optionalCopies <= maxOptionalCopies else {
            throw fail("invalid repeat count: the pattern's counts write out more than \(maxOptionalCopies) optional copies")
        }
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

    /// For `{n}`, `{n,}` or `{n,m}` starting after `start`: the counts it allows and the index
    /// after `}`; nil when the brace is a literal.
    private static func repeatCount(
        _ scalars: ArraySlice<Unicode.Scalar>,
        from start: Int,
        fail: (String) -> RegexError
    ) throws(RegexError) -> (RepetitionFrame.Count, Int)? {
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
        let unbounded = parts.count == 2 && parts[1].isEmpty
        if parts.count == 2, !parts[1].isEmpty {
            guard isNumber(parts[1]) else { return nil }
            high = Int(parts[1]) ?? Int.max
        }
        guard low <= maxRepeat, high <= maxRepeat, low <= high else { throw fail("invalid repeat count {\(body)}") }
        return (RepetitionFrame.Count(low: low, high: high, unbounded: unbounded, symbol: "{\(body)}"), close + 1)
    }
}

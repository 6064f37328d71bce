/// Rewrites the RE2 syntax used in Prometheus selectors into POSIX extended syntax, tracking
/// how capture groups move (non-capturing groups become plain groups in POSIX).
struct RE2Translation {
    var posix = ""
    var caseInsensitive = false
    /// Source group number (index) → POSIX group number.
    var groupMap: [Int] = [0]
    var groupNames: [String: Int] = [:]

    init(_ pattern: String) throws(RegexError) {
        var scalars = Array(pattern.unicodeScalars)[...]
        if scalars.starts(with: "(?i)".unicodeScalars) {
            caseInsensitive = true
            scalars = scalars.dropFirst(4)
        }
        func fail(_ reason: String) -> RegexError { RegexError(pattern: pattern, reason: reason) }
        try Self.checkRepetitions(scalars, fail: fail)
        var posixGroups = 0
        var inBracket = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let c = scalars[index]
            if c == "\\" {
                let nextIndex = scalars.index(after: index)
                guard nextIndex < scalars.endIndex else { throw fail("trailing backslash") }
                let e = scalars[nextIndex]
                index = scalars.index(after: nextIndex)
                let classes: [Unicode.Scalar: (String, String)] = [
                    "d": ("0-9", "[0-9]"), "D": ("", "[^0-9]"), "w": ("A-Za-z0-9_", "[A-Za-z0-9_]"),
                    "W": ("", "[^A-Za-z0-9_]"), "s": ("[:space:]", "[[:space:]]"), "S": ("", "[^[:space:]]"),
                ]
                if let (inside, outside) = classes[e] {
                    if inBracket {
                        guard !inside.isEmpty else { throw fail("negated class \\\(e) inside brackets is not supported") }
                        posix += inside
                    } else {
                        posix += outside
                    }
                    continue
                }
                switch e {
                case "n": posix += "\n"
                case "t": posix += "\t"
                default:
                    if inBracket {
                        // POSIX brackets take characters literally; `]` and `-` are placed by the caller.
                        posix.unicodeScalars.append(e)
                    } else {
                        posix += "\\"
                        posix.unicodeScalars.append(e)
                    }
                }
                continue
            }
            if inBracket {
                if c == "]" { inBracket = false }
                posix.unicodeScalars.append(c)
                index = scalars.index(after: index)
                continue
            }
            if c == "[" {
                inBracket = true
                posix += "["
                index = scalars.index(after: index)
                // A leading ^ and ] belong to the bracket expression.
                if index < scalars.endIndex, scalars[index] == "^" {
                    posix += "^"
                    index = scalars.index(after: index)
                }
                if index < scalars.endIndex, scalars[index] == "]" {
                    posix += "]"
                    index = scalars.index(after: index)
                }
                continue
            }
            if c == "(" {
                let rest = scalars[index...]
                if rest.starts(with: "(?i)".unicodeScalars) {
                    // Flags apply to the whole pattern here (RE2 scopes them to the group; selectors put them first).
                    caseInsensitive = true
                    index = scalars.index(index, offsetBy: 4)
                    continue
                }
                posixGroups += 1
                if rest.starts(with: "(?i:".unicodeScalars) {
                    caseInsensitive = true
                    index = scalars.index(index, offsetBy: 4)
                } else if rest.starts(with: "(?:".unicodeScalars) {
                    index = scalars.index(index, offsetBy: 3)
                } else if rest.starts(with: "(?P<".unicodeScalars) || rest.starts(with: "(?<".unicodeScalars) {
                    let nameStart = scalars.index(index, offsetBy: rest.starts(with: "(?P<".unicodeScalars) ? 4 : 3)
                    guard let close = scalars[nameStart...].firstIndex(of: ">") else { throw fail("unterminated group name") }
                    // RE2's names are word characters; anything else (a `)` or `[` among them) is refused.
                    let name = scalars[nameStart..<close]
                    guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) })
                    else { throw fail("invalid named capture group") }
                    groupNames[String(String.UnicodeScalarView(name))] = groupMap.count
                    groupMap.append(posixGroups)
                    index = scalars.index(after: close)
                } else if rest.starts(with: "(?".unicodeScalars) {
                    throw fail("group flags other than (?i) are not supported")
                } else {
                    groupMap.append(posixGroups)
                    index = scalars.index(after: index)
                }
                posix += "("
                continue
            }
            if c == "{" {
                // RE2 takes a brace that does not start a repetition literally.
                // Only digits and commas can lie before its `}` (looking no further keeps many `{` linear).
                let rest = scalars[scalars.index(after: index)...]
                let body = rest.prefix { ("0"..."9").contains($0) || $0 == "," }
                let isRepetition = body.count < rest.count && rest[body.endIndex] == "}" && body.first.map { ("0"..."9").contains($0) } == true
                posix += isRepetition ? "{" : "\\{"
                index = scalars.index(after: index)
                continue
            }
            if c == "}" {
                posix.unicodeScalars.append(c)
                index = scalars.index(after: index)
                continue
            }
            if c == "?", index > scalars.startIndex, let last = posix.unicodeScalars.last, "*+?}".unicodeScalars.contains(last) {
                // Lazy quantifiers: the match set is the same for anchored full matches.
                index = scalars.index(after: index)
                continue
            }
            posix.unicodeScalars.append(c)
            index = scalars.index(after: index)
        }
        if inBracket { throw fail("missing closing ]") }
    }
}

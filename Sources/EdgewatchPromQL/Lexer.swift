/// Splits a PromQL expression into tokens. Durations are recognised only right after `[`,
/// `:` inside brackets, or the `offset` keyword, as in Prometheus.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokenize(_ text: String) throws(PromQLError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        var bracketDepth = 0
        while true {
            let expectDuration: Bool
            if let last = tokens.last {
                expectDuration =
                    (last.kind == .leftBracket) || (last.kind == .colon && bracketDepth > 0)
                    || (last.kind == .identifier && last.text.lowercased() == "offset")
                    || (last.kind == .sub && tokens.count >= 2 && tokens[tokens.count - 2].kind == .identifier
                        && tokens[tokens.count - 2].text.lowercased() == "offset")
            } else {
                expectDuration = false
            }
            let token = try lexer.next(expectDuration: expectDuration)
            switch token.kind {
            case .leftBracket: bracketDepth += 1
            case .rightBracket: bracketDepth -= 1
            default: break
            }
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private func fail(_ message: String, line: Int, column: Int) -> PromQLError {
        PromQLError(parse: message, line: line, column: column)
    }

    mutating func next(expectDuration: Bool) throws(PromQLError) -> Token {
        // Whitespace and # comments.
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                advance()
            } else if c == "#" {
                while let d = peek(), d != "\n" { advance() }
            } else {
                break
            }
        }
        let startLine = line, startColumn = column
        func make(_ kind: Token.Kind, _ text: String) -> Token {
            Token(kind: kind, text: text, line: startLine, column: startColumn)
        }
        guard let c = peek() else { return make(.end, "") }

        if expectDuration, c.isDigit {
            return make(.duration, try lexDuration())
        }
        if c.isDigit || (c == "." && (peek(1)?.isDigit ?? false)) {
            return try lexNumber(line: startLine, column: startColumn)
        }
        if c.isIdentifierStart {
            var text = ""
            while let d = peek(), d.isIdentifierStart || d.isDigit || d == ":" {
                text.unicodeScalars.append(d)
                advance()
            }
            let lowered = text.lowercased()
            if lowered == "inf" || lowered == "nan" {
                var token = make(.number, text)
                token.number = lowered == "inf" ? .infinity : .nan
                return token
            }
            return make(.identifier, text)
        }
        if c == "\"" || c == "'" || c == "`" {
            return make(.string, try lexString(quote: c, line: startLine, column: startColumn))
        }
        let two: String = {
            var s = String(c)
            if let d = peek(1) { s.unicodeScalars.append(d) }
            return s
        }()
        let pairs: [(String, Token.Kind)] = [
            ("==", .equalEqual), ("!=", .notEqual), ("=~", .regexMatch), ("!~", .regexNoMatch),
            ("<=", .lessOrEqual), (">=", .greaterOrEqual),
        ]
        for (text, kind) in pairs where two == text {
            advance()
            advance()
            return make(kind, text)
        }
        let singles: [Unicode.Scalar: Token.Kind] = [
            "(": .leftParen, ")": .rightParen, "{": .leftBrace, "}": .rightBrace, "[": .leftBracket, "]": .rightBracket,
            ",": .comma, ":": .colon, "@": .at, "=": .equal, "+": .add, "-": .sub, "*": .mul, "/": .div, "%": .mod,
            "^": .pow, "<": .lessThan, ">": .greaterThan,
        ]
        if let kind = singles[c] {
            advance()
            return make(kind, String(c))
        }
        throw fail("unexpected character \"\(c)\"", line: startLine, column: startColumn)
    }

    private mutating func lexDuration() throws(PromQLError) -> String {
        let startLine = line, startColumn = column
        var text = ""
        while let c = peek(), c.isDigit || c.isLetter {
            text.unicodeScalars.append(c)
            advance()
        }
        guard PromDuration.parse(text) != nil else {
            throw fail("bad duration \"\(text)\": expected a duration like 5m, 1h30m or 90s", line: startLine, column: startColumn)
        }
        return text
    }

    private mutating func lexNumber(line startLine: Int, column startColumn: Int) throws(PromQLError) -> Token {
        var text = ""
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            advance()
            advance()
            var digits = ""
            while let c = peek(), c.isHexDigit {
                digits.unicodeScalars.append(c)
                advance()
            }
            guard let value = UInt64(digits, radix: 16) else {
                throw fail("bad hexadecimal number \"0x\(digits)\"", line: startLine, column: startColumn)
            }
            var token = Token(kind: .number, text: "0x" + digits, line: startLine, column: startColumn)
            token.number = Double(value)
            return token
        }
        while let c = peek(), c.isDigit || c == "." {
            text.unicodeScalars.append(c)
            advance()
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let d = peek(hasSign ? 2 : 1), d.isDigit {
                text.unicodeScalars.append(e)
                advance()
                if hasSign, let s = sign {
                    text.unicodeScalars.append(s)
                    advance()
                }
                while let c = peek(), c.isDigit {
                    text.unicodeScalars.append(c)
                    advance()
                }
            }
        }
        if let c = peek(), c.isLetter || c == "_" {
            throw fail("bad number or duration syntax \"\(text)\(c)\"", line: startLine, column: startColumn)
        }
        guard let value = Double(text) else {
            throw fail("bad number \"\(text)\"", line: startLine, column: startColumn)
        }
        var token = Token(kind: .number, text: text, line: startLine, column: startColumn)
        token.number = value
        return token
    }

    private mutating func lexString(quote: Unicode.Scalar, line startLine: Int, column startColumn: Int) throws(PromQLError) -> String {
        advance()
        var value = ""
        while let c = peek() {
            advance()
            if c == quote { return value }
            if quote == "`" {
                value.unicodeScalars.append(c)
                continue
            }
            if c == "\n" { break }
            guard c == "\\" else {
                value.unicodeScalars.append(c)
                continue
            }
            guard let e = peek() else { break }
            advance()
            switch e {
            case "n": value += "\n"
            case "t": value += "\t"
            case "r": value += "\r"
            case "a": value += "\u{07}"
            case "b": value += "\u{08}"
            case "f": value += "\u{0C}"
            case "v": value += "\u{0B}"
            case "\\", "\"", "'": value.unicodeScalars.append(e)
            case "x", "u", "U":
                let count = e == "x" ? 2 : (e == "u" ? 4 : 8)
                value.unicodeScalars.append(
                    try escapedScalar(
                        "\\\(e)",
                        digits: "",
                        count: count,
                        radix: 16,
                        missing: "bad escape sequence in string: expected \(count) hex digits after \\\(e)"
                    )
                )
            default:
                if e.isOctalDigit {
                    value.unicodeScalars.append(
                        try escapedScalar(
                            "\\",
                            digits: String(e),
                            count: 2,
                            radix: 8,
                            missing: "bad octal escape in string: expected 3 octal digits"
                        )
                    )
                } else {
                    throw fail("unknown escape sequence \\\(e) in string", line: line, column: column)
                }
            }
        }
        throw fail("unterminated quoted string", line: startLine, column: startColumn)
    }
}

extension Lexer {
    /// The scalar of a numeric escape: `count` more digits in `radix` after `digits` (`\x41`, `\101`).
    mutating func escapedScalar(_ escape: String, digits: String, count: Int, radix: Int, missing: String) throws(PromQLError) -> Unicode.Scalar {
        var text = digits
        for _ in 0..<count {
            guard let digit = peek(), radix == 16 ? digit.isHexDigit : digit.isOctalDigit else {
                throw PromQLError(parse: missing, line: line, column: column)
            }
            text.unicodeScalars.append(digit)
            advance()
        }
        guard let code = UInt32(text, radix: radix), let scalar = Unicode.Scalar(code) else {
            throw PromQLError(parse: "bad escape sequence \(escape)\(text)", line: line, column: column)
        }
        return scalar
    }
}

extension Unicode.Scalar {
    var isDigit: Bool { ("0"..."9").contains(self) }
    var isOctalDigit: Bool { ("0"..."7").contains(self) }
    var isLetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isHexDigit: Bool { isDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
    var isIdentifierStart: Bool { isLetter || self == "_" }
}

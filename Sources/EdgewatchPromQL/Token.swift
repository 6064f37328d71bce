/// One lexical token of a PromQL expression, with its position.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier  // metric names, label names, function names, keywords
        case number
        case string  // already unescaped
        case duration  // e.g. 5m, 1h30m (text kept)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at
        case equal  // = (label matcher)
        case notEqual, regexMatch, regexNoMatch
        case add, sub, mul, div, mod, pow
        case equalEqual, lessThan, lessOrEqual, greaterThan, greaterOrEqual
        case end
    }

    var kind: Kind
    var text: String
    var line: Int
    var column: Int
    /// The numeric value of a number token.
    var number: Double = 0
}

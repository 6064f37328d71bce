import EdgewatchCore

/// Parses PromQL expressions (the subset edgewatch evaluates) into ``Expression``s, checking
/// types as Prometheus does. Errors name the line and column and what was expected.
public struct Parser {
    var tokens: [Token]
    var position = 0
    var nextSelectorID = 0
    var nextAggregationID = 0
    /// How deep the expression being parsed nests so far (parentheses, calls, aggregations, unary
    /// signs, and a level per operator of a chain: the height of the tree it builds).
    var nesting = 0

    /// The deepest an expression may nest. Parsing, checking, evaluating and freeing a tree all
    /// recurse over it: without a bound, a query of a few kilobytes of `(` exhausts a thread's
    /// stack. Real queries nest a few dozen levels at most.
    public static let maxNesting = 128

    /// Parses `text` into a type-checked expression.
    public static func parse(_ text: String) throws(PromQLError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        guard parser.current.kind != .end else {
            throw PromQLError(parse: "no expression found in input", line: 1, column: 1)
        }
        let expression = try parser.parseExpression(minimumPrecedence: 0)
        guard parser.current.kind == .end else {
            throw parser.unexpected(expecting: "an operator or the end of the expression")
        }
        return expression
    }

    /// Parses a series selector such as `up{job="x"}` (used by test files and the HTTP API).
    public static func parseSelector(_ text: String) throws(PromQLError) -> VectorSelector {
        let expression = try parse(text)
        guard case .vectorSelector(let selector) = expression, selector.offset == 0 else {
            throw PromQLError(parse: "expected a series selector like name{label=\"value\"}", line: 1, column: 1)
        }
        return selector
    }

    var current: Token { tokens[position] }

    func peekKind(_ offset: Int = 1) -> Token.Kind {
        position + offset < tokens.count ? tokens[position + offset].kind : .end
    }

    @discardableResult
    mutating func consume() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func error(_ message: String, at token: Token? = nil) -> PromQLError {
        let token = token ?? current
        return PromQLError(parse: message, line: token.line, column: token.column)
    }

    /// One level deeper, refused past ``maxNesting``.
    mutating func nest() throws(PromQLError) {
        nesting += 1
        guard nesting <= Self.maxNesting else { throw error("the expression nests more than \(Self.maxNesting) levels deep") }
    }

    func unexpected(expecting: String) -> PromQLError {
        let found = current.kind == .end ? "end of input" : "\"\(current.text)\""
        return error("unexpected \(found), expected \(expecting)")
    }

    mutating func expect(_ kind: Token.Kind, _ description: String) throws(PromQLError) -> Token {
        guard current.kind == kind else { throw unexpected(expecting: description) }
        return consume()
    }

    // MARK: - Operators

    mutating func binaryOperator() -> BinaryOperator? {
        switch current.kind {
        case .add: return .add
        case .sub: return .subtract
        case .mul: return .multiply
        case .div: return .divide
        case .mod: return .modulo
        case .pow: return .power
        case .equalEqual: return .equal
        case .notEqual: return .notEqual
        case .lessThan: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greaterThan: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .identifier:
            switch current.text.lowercased() {
            case "and": return .and
            case "or": return .or
            case "unless": return .unless
            case "atan2": return .atan2
            default: return nil
            }
        default: return nil
        }
    }

    mutating func parseExpression(minimumPrecedence: Int) throws(PromQLError) -> Expression {
        let entered = nesting
        defer { nesting = entered }
        try nest()
        var lhs = try parseUnary()
        while let op = binaryOperator(), op.precedence >= minimumPrecedence {
            try nest()  // the chain's tree grows a level per operator
            let operatorToken = consume()
            var returnBool = false
            if current.kind == .identifier, current.text.lowercased() == "bool" {
                guard op.isComparison else { throw error("bool modifier can only be used on comparison operators") }
                consume()
                returnBool = true
            }
            var matching: VectorMatching?
            if current.kind == .identifier, ["on", "ignoring"].contains(current.text.lowercased()) {
                let on = consume().text.lowercased() == "on"
                let labels = try parseLabelList()
                matching = VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne, on: on, labels: labels, include: [])
                if current.kind == .identifier, ["group_left", "group_right"].contains(current.text.lowercased()) {
                    let groupToken = consume()
                    guard !op.isSetOperator else { throw error("no grouping allowed for \"\(op.rawValue)\" operation", at: groupToken) }
                    matching?.cardinality = groupToken.text.lowercased() == "group_left" ? .manyToOne : .oneToMany
                    if current.kind == .leftParen { matching?.include = try parseLabelList() }
                }
            }
            // `^` is right-associative; everything else is left-associative.
            let rhs = try parseExpression(minimumPrecedence: op == .power ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching, at: operatorToken)
        }
        return lhs
    }

    func makeBinary(
        _ op: BinaryOperator,
        _ lhs: Expression,
        _ rhs: Expression,
        returnBool: Bool,
        matching: VectorMatching?,
        at token: Token
    ) throws(PromQLError) -> Expression {
        for side in [lhs, rhs] where side.type != .scalar && side.type != .vector {
            throw error("binary expression must contain only scalar and instant vector types, got \(side.type.rawValue)", at: token)
        }
        let bothVectors = lhs.type == .vector && rhs.type == .vector
        if op.isSetOperator {
            guard bothVectors else { throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", at: token) }
        }
        if op.isComparison, lhs.type == .scalar, rhs.type == .scalar, !returnBool {
            throw error("comparisons between scalars must use BOOL modifier", at: token)
        }
        if matching != nil, !bothVectors {
            throw error("vector matching only allowed between instant vectors", at: token)
        }
        var resolved = matching
        if bothVectors, resolved == nil {
            resolved = VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne, on: false, labels: [], include: [])
        }
        if let resolved, resolved.on, resolved.cardinality != .manyToMany {
            for name in resolved.include where resolved.labels.contains(name) {
                throw error("label \"\(name)\" must not occur in ON and GROUP clause at once", at: token)
            }
        }
        return .binary(BinaryExpression(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: resolved))
    }

    mutating func parseUnary() throws(PromQLError) -> Expression {
        guard current.kind == .add || current.kind == .sub else { return try parsePostfix() }
        let sign = consume()
        // A unary sign binds less tightly than `^`: -2^2 is -(2^2).
        let operand = try parseExpression(minimumPrecedence: BinaryOperator.power.precedence)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got \(operand.type.rawValue)", at: sign)
        }
        if sign.kind == .add { return operand }
        if case .number(let value) = operand { return .number(-value) }
        return .negation(operand)
    }

    mutating func parsePostfix() throws(PromQLError) -> Expression {
        var expression = try parsePrimary()
        if current.kind == .leftBracket {
            let bracket = consume()
            guard case .vectorSelector(let selector) = expression else {
                if peekKind(1) == .colon || current.kind == .colon {
                    throw error("subqueries are not supported by edgewatch", at: bracket)
                }
                throw error("ranges only allowed for vector selectors", at: bracket)
            }
            let rangeToken = try expect(.duration, "a range duration like 5m")
            if current.kind == .colon { throw error("subqueries are not supported by edgewatch") }
            _ = try expect(.rightBracket, "\"]\"")
            guard let range = PromDuration.parse(rangeToken.text), range > 0 else {
                throw error("range must be greater than zero", at: rangeToken)
            }
            guard selector.offset == 0 else { throw error("offset must follow the range, as in foo[5m] offset 1h", at: bracket) }
            expression = .matrixSelector(selector, range: range)
        }
        if current.kind == .identifier, current.text.lowercased() == "offset" {
            let offsetToken = consume()
            var sign: Int64 = 1
            if current.kind == .sub {
                consume()
                sign = -1
            }
            let durationToken = try expect(.duration, "a duration after offset")
            let amount = sign * (PromDuration.parse(durationToken.text) ?? 0)
            switch expression {
            case .vectorSelector(var selector):
                guard selector.offset == 0 else { throw error("offset may not be set multiple times", at: offsetToken) }
                selector.offset = amount
                expression = .vectorSelector(selector)
            case .matrixSelector(var selector, let range):
                guard selector.offset == 0 else { throw error("offset may not be set multiple times", at: offsetToken) }
                selector.offset = amount
                expression = .matrixSelector(selector, range: range)
            default:
                throw error("offset modifier must be preceded by an instant vector selector or range vector selector", at: offsetToken)
            }
        }
        if current.kind == .at { throw error("the @ modifier is not supported by edgewatch") }
        if current.kind == .leftBracket { throw error("ranges only allowed for vector selectors") }
        return expression
    }

    mutating func parsePrimary() throws(PromQLError) -> Expression {
        let token = current
        switch token.kind {
        case .number:
            consume()
            return .number(token.number)
        case .string:
            consume()
            return .string(token.text)
        case .leftParen:
            consume()
            let inner = try parseExpression(minimumPrecedence: 0)
            _ = try expect(.rightParen, "\")\"")
            return .parenthesized(inner)
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil, at: token))
        case .identifier:
            let lowered = token.text.lowercased()
            if let op = AggregationOperator(rawValue: lowered),
                peekKind() == .leftParen || (peekKind() == .identifier && ["by", "without"].contains(tokens[position + 1].text.lowercased()))
            {
                return try parseAggregation(op)
            }
            if peekKind() == .leftParen {
                guard let function = PromFunction.all[token.text] else {
                    throw error("unknown function with name \"\(token.text)\"")
                }
                return try parseCall(function)
            }
            if BinaryOperator(rawValue: lowered) != nil
                || ["bool", "on", "ignoring", "group_left", "group_right", "offset", "by", "without"].contains(lowered)
            {
                throw unexpected(expecting: "an expression")
            }
            consume()
            return .vectorSelector(try parseSelector(name: token.text, at: token))
        case .end:
            throw unexpected(expecting: "an expression")
        default:
            throw unexpected(expecting: "an expression")
        }
    }

    mutating func parseLabelList() throws(PromQLError) -> [String] {
        _ = try expect(.leftParen, "\"(\" before a label list")
        var labels: [String] = []
        while current.kind != .rightParen {
            let label = try expect(.identifier, "a label name")
            guard Self.isLabelName(label.text) else { throw error("invalid label name \"\(label.text)\"", at: label) }
            labels.append(label.text)
            if current.kind == .comma { consume() } else { break }
        }
        _ = try expect(.rightParen, "\",\" or \")\" in label list")
        return labels
    }

    /// Whether `text` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
    public static func isLabelName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isIdentifierStart else { return false }
        return text.unicodeScalars.allSatisfy { $0.isIdentifierStart || $0.isDigit }
    }
}

import EdgewatchCore

extension Parser {
    mutating func parseSelector(name: String?, at token: Token) throws(PromQLError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        if let name {
            matchers.append(try makeMatcher("__name__", .equal, name, at: token))
        }
        if current.kind == .leftBrace {
            consume()
            while current.kind != .rightBrace {
                let labelToken = try expect(.identifier, "a label name in the selector")
                guard Self.isLabelName(labelToken.text) else { throw error("invalid label name \"\(labelToken.text)\"", at: labelToken) }
                let operation: LabelMatcher.Operation
                switch current.kind {
                case .equal: operation = .equal
                case .notEqual: operation = .notEqual
                case .regexMatch: operation = .matches
                case .regexNoMatch: operation = .notMatches
                default: throw unexpected(expecting: "one of =, !=, =~, !~ after label \"\(labelToken.text)\"")
                }
                consume()
                let valueToken = try expect(.string, "a quoted label value")
                if labelToken.text == "__name__", name != nil {
                    throw error("metric name must not be set twice: \"\(name ?? "")\" or \"\(valueToken.text)\"", at: labelToken)
                }
                matchers.append(try makeMatcher(labelToken.text, operation, valueToken.text, at: valueToken))
                if current.kind == .comma { consume() } else { break }
            }
            _ = try expect(.rightBrace, "\",\" or \"}\" in the label matchers")
        }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw error("vector selector must contain at least one non-empty matcher", at: token)
        }
        defer { nextSelectorID += 1 }
        return VectorSelector(id: nextSelectorID, name: name, matchers: matchers, offset: 0)
    }

    func makeMatcher(_ name: String, _ operation: LabelMatcher.Operation, _ value: String, at token: Token) throws(PromQLError) -> LabelMatcher {
        do {
            return try LabelMatcher(name: name, operation: operation, value: value)
        } catch {
            throw self.error("\(error)", at: token)
        }
    }

    mutating func parseAggregation(_ op: AggregationOperator) throws(PromQLError) -> Expression {
        let opToken = consume()
        var grouping: [String] = []
        var without = false
        var sawGrouping = false
        func isGroupingKeyword(_ token: Token) -> Bool {
            token.kind == .identifier && ["by", "without"].contains(token.text.lowercased())
        }
        if isGroupingKeyword(current) {
            without = consume().text.lowercased() == "without"
            grouping = try parseLabelList()
            sawGrouping = true
        }
        _ = try expect(.leftParen, "\"(\" after aggregation \"\(op.rawValue)\"")
        var parameter: Expression?
        if let parameterType = op.parameterType {
            let parameterExpression = try parseExpression(minimumPrecedence: 0)
            guard parameterExpression.type == parameterType else {
                throw error("expected type \(parameterType.rawValue) in aggregation parameter, got \(parameterExpression.type.rawValue)", at: opToken)
            }
            parameter = parameterExpression
            _ = try expect(.comma, "\",\" after the parameter of \"\(op.rawValue)\"")
        }
        let inner = try parseExpression(minimumPrecedence: 0)
        guard inner.type == .vector else {
            throw error("expected type instant vector in aggregation expression, got \(inner.type.rawValue)", at: opToken)
        }
        _ = try expect(.rightParen, "\")\" closing \"\(op.rawValue)\"")
        if isGroupingKeyword(current) {
            guard !sawGrouping else { throw error("aggregation must only contain one grouping clause") }
            without = consume().text.lowercased() == "without"
            grouping = try parseLabelList()
        }
        defer { nextAggregationID += 1 }
        return .aggregation(
            AggregationExpression(id: nextAggregationID, op: op, parameter: parameter, expression: inner, grouping: grouping, without: without)
        )
    }

    mutating func parseCall(_ function: PromFunction) throws(PromQLError) -> Expression {
        let nameToken = consume()
        _ = try expect(.leftParen, "\"(\"")
        var arguments: [Expression] = []
        while current.kind != .rightParen {
            arguments.append(try parseExpression(minimumPrecedence: 0))
            if current.kind == .comma { consume() } else { break }
        }
        _ = try expect(.rightParen, "\",\" or \")\" in the call to \(function.name)")
        let declared = function.argumentTypes.count
        let minimum = function.optionalCount == -1 ? declared - 1 : declared - function.optionalCount
        let maximum = function.optionalCount == -1 ? Int.max : declared
        if arguments.count < minimum || arguments.count > maximum {
            let expected = minimum == maximum ? "\(minimum)" : (maximum == Int.max ? "at least \(minimum)" : "\(minimum) to \(maximum)")
            throw error("expected \(expected) argument(s) in call to \"\(function.name)\", got \(arguments.count)", at: nameToken)
        }
        for (index, argument) in arguments.enumerated() {
            let expected = function.argumentTypes[min(index, declared - 1)]
            guard argument.type == expected else {
                throw error(
                    "expected type \(expected.rawValue) in call to function \"\(function.name)\", got \(argument.type.rawValue)",
                    at: nameToken
                )
            }
        }
        return .call(FunctionCall(function: function, arguments: arguments))
    }
}

import EdgewatchPromQL
import Testing

@Suite struct ParserTests {
    @Test func parsesSelectorsAndOperators() throws {
        let expression = try Parser.parse(
            #"sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m)) / on(job) group_left(team) x > bool 0.1"#
        )
        #expect(expression.type == .vector)
        #expect(try Parser.parse("1 + 2 * 3").type == .scalar)
        #expect(try Parser.parse("-2 ^ 2").type == .scalar)
    }

    @Test func reportsPositionAndExpectation() {
        #expect(throws: PromQLError(parse: "expected type range vector in call to function \"rate\", got instant vector", line: 1, column: 1)) {
            try Parser.parse("rate(foo)")
        }
        #expect(throws: PromQLError(parse: "unexpected end of input, expected \"]\"", line: 1, column: 7)) {
            try Parser.parse("foo[5m")
        }
        #expect(throws: PromQLError(parse: "comparisons between scalars must use BOOL modifier", line: 1, column: 3)) {
            try Parser.parse("1 > 2")
        }
        #expect(throws: PromQLError(parse: "unexpected \"}\", expected \"(\" after aggregation \"sum\"", line: 2, column: 8)) {
            try Parser.parse("sum\n  by(a)}")
        }
        #expect(throws: PromQLError(parse: "vector selector must contain at least one non-empty matcher", line: 1, column: 1)) {
            try Parser.parse(#"{job=~".*"}"#)
        }
    }

    @Test func stringEscapes() throws {
        guard case .string(let text) = try Parser.parse(#""\x41\101\u00e9\n""#) else {
            Issue.record("expected a string literal")
            return
        }
        #expect(text == "AAé\n")
        #expect(throws: PromQLError(parse: "bad escape sequence in string: expected 2 hex digits after \\x", line: 1, column: 4)) {
            try Parser.parse(#""\xZ""#)
        }
        #expect(throws: PromQLError(parse: "bad octal escape in string: expected 3 octal digits", line: 1, column: 4)) {
            try Parser.parse(#""\19""#)
        }
    }
}

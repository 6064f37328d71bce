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

    @Test("nesting past 128 levels is refused, not a stack overflow (the selector fuzzer's 2,107 parentheses)")
    func nestingIsBounded() throws {
        let deepest = String(repeating: "(", count: 127) + "1" + String(repeating: ")", count: 127)
        #expect(throws: Never.self) { try Parser.parse(deepest) }
        let refusal = "the expression nests more than 128 levels deep"
        for text in [
            String(repeating: "(", count: 5_000) + "1",
            String(repeating: "sum(", count: 2_000) + "up",
            String(repeating: "-", count: 5_000) + "1",
            Array(repeating: "2", count: 200).joined(separator: "^"),
            Array(repeating: "up", count: 200).joined(separator: " + "),
        ] {
            #expect(throws: PromQLError.self) { try Parser.parse(text) }
            do {
                _ = try Parser.parse(text)
            } catch {
                #expect(error.description.contains(refusal), "\(text.prefix(20))…: \(error)")
            }
        }
        // Long chains within the bound still parse (a sum of 100 terms).
        #expect(throws: Never.self) { try Parser.parse(Array(repeating: "up", count: 100).joined(separator: " + ")) }
    }
}

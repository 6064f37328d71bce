/// Parses instant selectors, reporting the column and what was expected.
public enum SelectorParser {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var column: Int
        public var message: String
        public var description: String { "selector, column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws(Failure) -> Selector {
        let characters = Array(text.unicodeScalars)
        var index = 0
        var matchers: [LabelMatcher] = []

        func fail(_ message: String) -> Failure { Failure(column: index + 1, message: message) }
        func skipSpaces() { while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 } }
        func identifier(allowColon: Bool) -> String {
            var result = ""
            while index < characters.count {
                let c = characters[index]
                let isLetter = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (allowColon && c == ":")
                let isDigit = ("0"..."9").contains(c)
                guard isLetter || (isDigit && !result.isEmpty) else { break }
                result.unicodeScalars.append(c)
                index += 1
            }
            return result
        }

        skipSpaces()
        let name = identifier(allowColon: true)
        if !name.isEmpty {
            do {
                matchers.append(try LabelMatcher(name: "__name__", operation: .equal, value: name))
            } catch {
                throw fail("\(error)")
            }
        }
        skipSpaces()
        if index < characters.count, characters[index] == "{" {
            index += 1
            while true {
                skipSpaces()
                if index < characters.count, characters[index] == "}" {
                    index += 1
                    break
                }
                let label = identifier(allowColon: false)
                guard !label.isEmpty else { throw fail("expected a label name or '}'") }
                skipSpaces()
                let operation: LabelMatcher.Operation
                let rest = String(String.UnicodeScalarView(characters[index..<min(index + 2, characters.count)]))
                if rest.hasPrefix("=~") {
                    operation = .matches
                } else if rest.hasPrefix("!~") {
                    operation = .notMatches
                } else if rest.hasPrefix("!=") {
                    operation = .notEqual
                } else if rest.hasPrefix("=") {
                    operation = .equal
                } else {
                    throw fail("expected one of =, !=, =~, !~ after \(label)")
                }
                index += operation.rawValue.unicodeScalars.count
                skipSpaces()
                guard index < characters.count, characters[index] == "\"" || characters[index] == "'" else {
                    throw fail("expected a quoted string value for \(label)")
                }
                let quote = characters[index]
                index += 1
                var value = ""
                var closed = false
                while index < characters.count {
                    let c = characters[index]
                    index += 1
                    if c == "\\", index < characters.count {
                        let next = characters[index]
                        index += 1
                        switch next {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.unicodeScalars.append(next)
                        }
                    } else if c == quote {
                        closed = true
                        break
                    } else {
                        value.unicodeScalars.append(c)
                    }
                }
                guard closed else { throw fail("unterminated string for \(label)") }
                do {
                    matchers.append(try LabelMatcher(name: label, operation: operation, value: value))
                } catch {
                    throw fail("\(error)")
                }
                skipSpaces()
                if index < characters.count, characters[index] == "," {
                    index += 1
                    continue
                }
                skipSpaces()
                guard index < characters.count, characters[index] == "}" else { throw fail("expected ',' or '}'") }
                index += 1
                break
            }
        }
        skipSpaces()
        guard index == characters.count else { throw fail("unexpected \"\(String(String.UnicodeScalarView(characters[index...])))\"") }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw fail("expected a metric name or at least one matcher that does not match the empty string")
        }
        return Selector(matchers: matchers)
    }
}

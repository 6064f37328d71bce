/// Splits the inside of one `{{ … }}` action into tokens; stops after the closing braces.
struct TemplateLexer {
    enum Token {
        case word(String)
        case variable(String, fields: [String])
        case field([String])
        case literal(TemplateValue)
        case pipe, open, close
    }

    let scalars: [Unicode.Scalar]
    var index: Int
    var trimRight = false

    mutating func tokenize() throws(TemplateError) -> [Token] {
        var tokens: [Token] = []
        while true {
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\n" || scalars[index] == "\r" {
                index += 1
            }
            guard index < scalars.count else { throw TemplateError("unclosed action") }
            let c = scalars[index]
            if c == "-", index + 2 < scalars.count, scalars[index + 1] == "}", scalars[index + 2] == "}" {
                trimRight = true
                index += 3
                return tokens
            }
            if c == "}", index + 1 < scalars.count, scalars[index + 1] == "}" {
                index += 2
                return tokens
            }
            if c == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                guard let end = find("*/") else { throw TemplateError("unclosed comment") }
                index = end + 2
                continue
            }
            switch c {
            case "|":
                tokens.append(.pipe)
                index += 1
            case "(":
                tokens.append(.open)
                index += 1
            case ")":
                tokens.append(.close)
                index += 1
            case "\"": tokens.append(.literal(.string(try quoted())))
            case "`":
                guard let end = scalars[(index + 1)...].firstIndex(of: "`") else { throw TemplateError("unterminated raw quoted string") }
                tokens.append(.literal(.string(String(String.UnicodeScalarView(scalars[(index + 1)..<end])))))
                index = end + 1
            case "$":
                index += 1
                let name = word()
                tokens.append(.variable(name, fields: fields()))
            case ".":
                let path = fields()
                tokens.append(.field(path))
            default:
                if c.properties.numericType != nil || c == "-" || c == "+" {
                    let start = index
                    index += 1
                    while index < scalars.count,
                        scalars[index].properties.isAlphabetic || scalars[index].properties.numericType != nil
                            || scalars[index] == "." || scalars[index] == "_"
                            || ((scalars[index] == "-" || scalars[index] == "+") && (scalars[index - 1] == "e" || scalars[index - 1] == "E"))
                    {
                        index += 1
                    }
                    let text = String(String.UnicodeScalarView(scalars[start..<index]))
                    if let integer = Int(text) {
                        tokens.append(.literal(.integer(integer)))
                    } else if let number = Double(text) {
                        tokens.append(.literal(.number(number)))
                    } else {
                        throw TemplateError("bad number syntax: \"\(text)\"")
                    }
                } else if c.properties.isAlphabetic || c == "_" {
                    tokens.append(.word(word()))
                } else {
                    throw TemplateError("unexpected \"\(c)\" in command")
                }
            }
        }
    }

    private func find(_ text: String) -> Int? {
        let needle = Array(text.unicodeScalars)
        var position = index
        while position + needle.count <= scalars.count {
            if Array(scalars[position..<(position + needle.count)]) == needle { return position }
            position += 1
        }
        return nil
    }

    private mutating func word() -> String {
        var text = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index].properties.numericType != nil || scalars[index] == "_" {
            text.unicodeScalars.append(scalars[index])
            index += 1
        }
        return text
    }

    private mutating func fields() -> [String] {
        var result: [String] = []
        while index < scalars.count, scalars[index] == "." {
            index += 1
            let name = word()
            if name.isEmpty { break }
            result.append(name)
        }
        return result
    }

    private mutating func quoted() throws(TemplateError) -> String {
        index += 1
        var value = ""
        while index < scalars.count {
            let c = scalars[index]
            index += 1
            if c == "\"" { return value }
            if c == "\\", index < scalars.count {
                let e = scalars[index]
                index += 1
                switch e {
                case "n": value += "\n"
                case "t": value += "\t"
                case "r": value += "\r"
                default: value.unicodeScalars.append(e)
                }
            } else {
                value.unicodeScalars.append(c)
            }
        }
        throw TemplateError("unterminated quoted string")
    }
}

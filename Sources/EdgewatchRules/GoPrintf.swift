import EdgewatchPromQL

/// Go's fmt.Sprintf for the verbs rule templates use: %s %v %d %f %e %g %q %x %%, with flags,
/// width and precision.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        var scalars = format.unicodeScalars[...]
        var next = 0
        while let c = scalars.popFirst() {
            guard c == "%" else {
                output.unicodeScalars.append(c)
                continue
            }
            var spec = "%"
            while let f = scalars.first, "+-# 0".unicodeScalars.contains(f) || ("0"..."9").contains(f) || f == "." {
                spec.unicodeScalars.append(f)
                scalars = scalars.dropFirst()
            }
            guard let verb = scalars.popFirst() else {
                output += "%!(NOVERB)"
                break
            }
            if verb == "%" {
                output += "%"
                continue
            }
            guard next < arguments.count else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            let argument = arguments[next]
            next += 1
            let (checked, complaint) = boundedSpec(spec)
            output += complaint + render(verb, checked, argument)
        }
        if next < arguments.count {
            output += "%!(EXTRA " + arguments[next...].map { "\(typeName($0))=\($0.text)" }.joined(separator: ", ") + ")"
        }
        return output
    }

    /// Go refuses a width or precision over 10⁶ (`%!(BADWIDTH)`, `%!(BADPREC)`) and formats the
    /// verb without it; so does this, instead of padding to any size a template names.
    static func boundedSpec(_ spec: String) -> (spec: String, complaint: String) {
        let flags = spec.prefix { !("1"..."9").contains($0) && $0 != "." }
        var rest = spec.dropFirst(flags.count)
        let width = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(width.count)
        var precision: Substring?
        if rest.first == "." { precision = rest.dropFirst().prefix { $0.isASCII && $0.isNumber } }
        func tooLarge(_ digits: Substring) -> Bool { digits.count > 7 || (Int(digits) ?? 0) > 1_000_000 }
        var complaint = ""
        var checked = String(flags)
        if tooLarge(width) { complaint += "%!(BADWIDTH)" } else { checked += width }
        if let precision {
            if tooLarge(precision) { complaint += "%!(BADPREC)" } else { checked += "." + precision }
        }
        return (checked, complaint)
    }

    static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .string: return "string"
        case .number: return "float64"
        case .integer: return "int"
        case .bool: return "bool"
        case .map: return "map[string]string"
        case .none: return "<nil>"
        }
    }

    static func render(_ verb: Unicode.Scalar, _ spec: String, _ argument: TemplateValue) -> String {
        switch (verb, argument) {
        case ("f", .number(let v)), ("e", .number(let v)), ("g", .number(let v)), ("F", .number(let v)), ("E", .number(let v)), ("G", .number(let v)):
            return GoFloat.printf(spec + String(verb), v)
        case ("f", .integer(let v)), ("e", .integer(let v)), ("g", .integer(let v)):
            return "%!\(verb)(int=\(v))"
        case ("d", .integer(let v)):
            return pad(String(v), spec)
        case ("x", .integer(let v)):
            return pad(String(v, radix: 16), spec)
        case ("v", .number(let v)), ("s", .number(let v)):
            return verb == "s" ? "%!s(float64=\(GoFloat.format(v)))" : pad(GoFloat.format(v), spec)
        case ("q", .string(let text)):
            return "\"" + text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"").replacingAll("\n", "\\n") + "\""
        case ("s", _), ("v", _):
            return pad(argument.text, spec)
        default:
            return "%!\(verb)(\(typeName(argument))=\(argument.text))"
        }
    }

    static func pad(_ text: String, _ spec: String) -> String {
        let flags = spec.dropFirst()
        let leftAlign = flags.contains("-")
        let digits = flags.drop { $0 == "-" || $0 == "+" || $0 == " " || $0 == "#" }.prefix { $0.isNumber }
        guard let width = Int(digits), width > text.count else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return leftAlign ? text + padding : padding + text
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

import EdgewatchCore
import EdgewatchPromQL

/// The functions Prometheus offers rule templates (and Go's built-ins they use).
enum TemplateFunctions {
    static let names: Set<String> = [
        "humanize", "humanize1024", "humanizePercentage", "humanizeDuration", "humanizeTimestamp",
        "printf", "print", "toUpper", "toLower", "title", "reReplaceAll", "match", "safeHtml", "stripPort", "stripDomain",
        "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index", "html", "urlquery",
        "query", "first", "label", "value", "sortByLabel", "graphLink", "tableLink", "pathPrefix", "externalURL", "args", "parseDuration",
    ]

    static func call(_ name: String, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        func argument(_ index: Int) throws(TemplateError) -> TemplateValue {
            guard index < arguments.count else { throw TemplateError("wrong number of args for \(name): want \(index + 1) got \(arguments.count)") }
            return arguments[index]
        }
        switch name {
        case "humanize": return .string(humanize(try argument(0).number(for: name)))
        case "humanize1024": return .string(humanize1024(try argument(0).number(for: name)))
        case "humanizePercentage": return .string(GoFloat.printf("%.4g", try argument(0).number(for: name) * 100) + "%")
        case "humanizeDuration": return .string(humanizeDuration(try argument(0).number(for: name)))
        case "humanizeTimestamp":
            let seconds = try argument(0).number(for: name)
            guard seconds.isFinite else { return .string(GoFloat.printf("%.4g", seconds)) }
            return .string(timestampText(seconds))
        case "printf":
            guard case .string(let format) = try argument(0) else { throw TemplateError("printf: the format must be a string") }
            return .string(GoPrintf.format(format, Array(arguments.dropFirst())))
        case "print": return .string(arguments.map(\.text).joined())
        case "toUpper": return .string(try argument(0).text.uppercased())
        case "toLower": return .string(try argument(0).text.lowercased())
        case "title":
            var result = ""
            var atWordStart = true
            for character in try argument(0).text {
                result += atWordStart ? character.uppercased() : String(character)
                atWordStart = character == " " || character == "-" || character == "_"
            }
            return .string(result)
        case "safeHtml", "html", "urlquery": return .string(try argument(0).text)
        case "stripPort":
            let text = try argument(0).text
            if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return .string(String(text[text.index(after: text.startIndex)..<end])) }
            if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return .string(String(text[..<colon])) }
            return .string(text)
        case "stripDomain":
            let text = try argument(0).text
            return .string(String(text.prefix { $0 != "." }))
        case "reReplaceAll", "match":
            let pattern = try argument(0).text
            let regex: PosixRegex
            do { regex = try PosixRegex(re2: pattern, captures: true) } catch { throw TemplateError("error calling \(name): \(error)") }
            if name == "match" { return .bool(regex.matches(try argument(1).text)) }
            return .string(replaceAll(regex, in: try argument(2).text, with: try argument(1).text))
        case "eq", "ne", "lt", "le", "gt", "ge":
            let a = try argument(0), b = try argument(1)
            let result: Bool
            switch (a, b) {
            case (.string(let x), .string(let y)): result = compare(name, x, y)
            case (.bool(let x), .bool(let y)):
                guard name == "eq" || name == "ne" else { throw TemplateError("error calling \(name): invalid type for comparison") }
                result = (x == y) == (name == "eq")
            default:
                result = compare(name, try a.number(for: name), try b.number(for: name))
            }
            return .bool(result)
        case "and": return arguments.first { !$0.isTrue } ?? arguments.last ?? .none
        case "or": return arguments.first { $0.isTrue } ?? arguments.last ?? .none
        case "not": return .bool(!(try argument(0).isTrue))
        case "len":
            switch try argument(0) {
            case .string(let text): return .integer(text.utf8.count)
            case .map(let values): return .integer(values.count)
            default: throw TemplateError("error calling len: len of \(try argument(0).text)")
            }
        case "index":
            guard case .map(let values) = try argument(0) else { throw TemplateError("error calling index: can't index item") }
            return .string(values[try argument(1).text] ?? "")
        default:
            throw TemplateError("error calling \(name): not supported on the device (no query access in edgewatch templates)")
        }
    }

    static func compare<T: Comparable>(_ name: String, _ a: T, _ b: T) -> Bool {
        switch name {
        case "eq": return a == b
        case "ne": return a != b
        case "lt": return a < b
        case "le": return a <= b
        case "gt": return a > b
        default: return a >= b
        }
    }

    static func humanize(_ value: Double) -> String {
        if value == 0 || value.isNaN || value.isInfinite { return GoFloat.printf("%.4g", value) }
        var v = value
        var prefix = ""
        if abs(v) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(v) < 1000 { break }
                prefix = p
                v /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(v) >= 1 { break }
                prefix = p
                v *= 1000
            }
        }
        return GoFloat.printf("%.4g", v) + prefix
    }

    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return GoFloat.printf("%.4g", value) }
        var v = value
        var prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(v) < 1024 { break }
            prefix = p
            v /= 1024
        }
        return GoFloat.printf("%.4g", v) + prefix
    }

    static func humanizeDuration(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return GoFloat.printf("%.4g", value) }
        if value == 0 { return GoFloat.printf("%.4g", value) + "s" }
        if abs(value) >= 1 {
            let sign = value < 0 ? "-" : ""
            guard let total = abs(value).roundedInt64(.towardZero) else { return GoFloat.printf("%.4g", value) + "s" }
            let seconds = total % 60, minutes = (total / 60) % 60, hours = (total / 3600) % 24, days = total / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFloat.printf("%.4g", abs(value)) + "s"
        }
        var v = value
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(v) >= 1 { break }
            prefix = p
            v *= 1000
        }
        return GoFloat.printf("%.4g", v) + prefix + "s"
    }

    /// `2006-01-02 15:04:05.999999999 +0000 UTC`, as Go prints a UTC time.
    static func timestampText(_ seconds: Double) -> String {
        // Beyond ±1e15 s the calendar is meaningless (and Int64 nanoseconds overflow): Go's float form.
        guard abs(seconds) < 1e15, let whole = seconds.roundedInt64(.down) else { return GoFloat.printf("%g", seconds) }
        // Truncated as Go's int64(v * 1e9) is; rounding made 0.9999999999 a 10-digit fraction (fuzzing found it).
        let nanoseconds = min(999_999_999, max(0, Int64(((seconds - Double(whole)) * 1e9).rounded(.down))))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let year = Int64(CivilTime.component("year", ofUnixSeconds: Double(whole))),
            month = Int64(CivilTime.component("month", ofUnixSeconds: Double(whole)))
        let day = Int64(CivilTime.component("day_of_month", ofUnixSeconds: Double(whole)))
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + " +0000 UTC"
    }

    static func replaceAll(_ regex: PosixRegex, in text: String, with template: String) -> String {
        // Whole-string replacement is what rule templates use; partial matches are replaced once per match.
        var output = ""
        var rest = Substring(text)
        while !rest.isEmpty, let groups = regex.submatches(in: String(rest)), let whole = groups.first ?? nil, !whole.isEmpty,
            let range = rest.firstRange(of: whole)
        {
            output += rest[..<range.lowerBound]
            output += expand(template, groups)
            rest = rest[range.upperBound...]
        }
        return output + rest
    }

    static func expand(_ template: String, _ groups: [String?]) -> String {
        var output = ""
        var scalars = template.unicodeScalars[...]
        while let c = scalars.popFirst() {
            guard c == "$", let next = scalars.first else {
                output.unicodeScalars.append(c)
                continue
            }
            if next == "{" {
                let body = scalars.dropFirst().prefix { $0 != "}" }
                if let index = Int(String(String.UnicodeScalarView(body))), index < groups.count {
                    output += groups[index] ?? ""
                    scalars = scalars.dropFirst(body.count + 2)
                    continue
                }
            }
            let digits = scalars.prefix { ("0"..."9").contains($0) }
            if let index = Int(String(String.UnicodeScalarView(digits))) {
                if index < groups.count { output += groups[index] ?? "" }
                scalars = scalars.dropFirst(digits.count)
                continue
            }
            output.unicodeScalars.append(c)
        }
        return output
    }
}

import EdgewatchCore

extension Evaluator {
    mutating func labelReplace(_ arguments: [Expression]) throws(PromQLError) -> QueryValue {
        let samples = try vector(arguments[0])
        let destination = try string(arguments[1])
        let replacement = try string(arguments[2])
        let source = try string(arguments[3])
        let pattern = try string(arguments[4])
        let regex: PosixRegex
        do {
            regex = try PosixRegex(re2: "^(?:" + pattern + ")$", captures: true)
        } catch {
            throw PromQLError(evaluation: "invalid regular expression in label_replace(): \(pattern): \(error.reason)")
        }
        guard Parser.isLabelName(destination) else {
            throw PromQLError(evaluation: "invalid destination label name in label_replace(): \(destination)")
        }
        var output: [Sample] = []
        for sample in samples {
            var labels = sample.labels
            if let groups = regex.submatches(in: sample.labels[source] ?? "") {
                labels = labels.setting(destination, Self.expand(replacement, groups: groups, names: regex.groupNames))
            }
            output.append(Sample(labels: labels, value: sample.value, timestamp: time))
        }
        return try checked(output)
    }

    mutating func labelJoin(_ arguments: [Expression]) throws(PromQLError) -> QueryValue {
        let samples = try vector(arguments[0])
        let destination = try string(arguments[1])
        let separator = try string(arguments[2])
        var sources: [String] = []
        for argument in arguments.dropFirst(3) {
            let name = try string(argument)
            guard Parser.isLabelName(name) else { throw PromQLError(evaluation: "invalid source label name in label_join(): \(name)") }
            sources.append(name)
        }
        guard Parser.isLabelName(destination) else {
            throw PromQLError(evaluation: "invalid destination label name in label_join(): \(destination)")
        }
        let output = samples.map { sample in
            let joined = sources.map { sample.labels[$0] ?? "" }.joined(separator: separator)
            return Sample(labels: sample.labels.setting(destination, joined), value: sample.value, timestamp: time)
        }
        return try checked(output)
    }

    /// Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; a name is the longest run of
    /// letters, digits and underscores, and unknown groups expand to nothing.
    static func expand(_ template: String, groups: [String?], names: [String: Int]) -> String {
        var output = ""
        var scalars = template.unicodeScalars[...]
        func isNameCharacter(_ c: Unicode.Scalar) -> Bool { c.isLetter || c.isDigit || c == "_" }
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            guard c == "$" else {
                output.unicodeScalars.append(c)
                continue
            }
            guard let next = scalars.first else {
                output += "$"
                break
            }
            if next == "$" {
                output += "$"
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if next == "{" {
                let body = scalars.dropFirst().prefix { $0 != "}" }
                guard body.count < scalars.count - 1, !body.isEmpty, body.allSatisfy(isNameCharacter) else {
                    output += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(body))
                scalars = scalars.dropFirst(body.count + 2)
            } else {
                let body = scalars.prefix(while: isNameCharacter)
                guard !body.isEmpty else {
                    output += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(body))
                scalars = scalars.dropFirst(body.count)
            }
            let index = Int(name) ?? names[name]
            if let index, index < groups.count, let value = groups[index] { output += value }
        }
        return output
    }
}

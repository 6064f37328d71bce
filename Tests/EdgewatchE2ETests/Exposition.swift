/// A minimal Prometheus text / OpenMetrics sample parser for comparing outputs in tests.
struct Series: Hashable, Comparable, CustomStringConvertible {
    var name: String
    var labels: [String: String]

    static func < (lhs: Series, rhs: Series) -> Bool { lhs.description < rhs.description }

    var description: String {
        let body = labels.keys.sorted().map { "\($0)=\"\(labels[$0] ?? "")\"" }.joined(separator: ",")
        return body.isEmpty ? name : "\(name){\(body)}"
    }
}

enum Exposition {
    /// Parses every sample line; comments and blank lines are skipped.
    static func parse(_ text: String) -> [Series: Double] {
        var result: [Series: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let (series, value) = parseLine(Substring(line)) else { continue }
            result[series] = value
        }
        return result
    }

    static func parseLine(_ line: Substring) -> (Series, Double)? {
        var labels: [String: String] = [:]
        var index = line.startIndex
        while index < line.endIndex, line[index] != "{", line[index] != " " { index = line.index(after: index) }
        let name = String(line[line.startIndex..<index])
        if index < line.endIndex, line[index] == "{" {
            index = line.index(after: index)
            while index < line.endIndex, line[index] != "}" {
                if line[index] == "," {
                    index = line.index(after: index)
                    continue
                }
                let nameStart = index
                while index < line.endIndex, line[index] != "=" { index = line.index(after: index) }
                let labelName = String(line[nameStart..<index])
                index = line.index(index, offsetBy: 2)
                var value = ""
                while index < line.endIndex, line[index] != "\"" {
                    if line[index] == "\\" {
                        index = line.index(after: index)
                        switch line[index] {
                        case "n": value.append("\n")
                        default: value.append(line[index])
                        }
                    } else {
                        value.append(line[index])
                    }
                    index = line.index(after: index)
                }
                labels[labelName] = value
                index = line.index(after: index)
            }
            index = line.index(after: index)
        }
        let rest = line[index...].split(separator: " ")
        guard let text = rest.first else { return nil }
        let value: Double?
        switch text {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default: value = Double(text)
        }
        guard let value else { return nil }
        return (Series(name: name, labels: labels), value)
    }
}

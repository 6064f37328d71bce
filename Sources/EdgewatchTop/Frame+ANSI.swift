/// A frame with ANSI SGR styles, for `--once` on a terminal with colour.
extension Frame {
    public var ansiText: String {
        var rows: [String] = []
        for line in lines {
            var row = ""
            for segment in line {
                let code = Self.sgr[segment.style] ?? ""
                row += code.isEmpty ? segment.text : "\u{1B}[" + code + "m" + segment.text + "\u{1B}[0m"
            }
            rows.append(row)
        }
        while rows.count < height { rows.append("") }
        return rows.joined(separator: "\n") + "\n"
    }

    static let sgr: [Style: String] = [.bold: "1", .dim: "2", .reverse: "7", .good: "32", .warn: "1;33", .bad: "1;31", .header: "1;36"]
}

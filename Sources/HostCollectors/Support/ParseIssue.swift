/// A problem found in one line of an input file: the line is skipped, the rest is kept.
public struct ParseIssue: Hashable, Sendable, CustomStringConvertible {
    /// The file (absolute path as read).
    public var file: String
    /// 1-based line number, or 0 when the problem concerns the whole file.
    public var line: Int
    /// What was wrong and what was expected.
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}

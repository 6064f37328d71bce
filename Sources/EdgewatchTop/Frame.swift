/// One screen of `top`: lines of styled text, as wide and as many as the terminal. Plain text
/// for `--once`, drawn with styles by ``TerminalScreen``.
public struct Frame: Sendable, Equatable {
    /// Styles, numbered as the C terminal layer numbers them.
    public enum Style: Int32, Sendable {
        case plain = 0
        case bold, dim, reverse, good, warn, bad, header
    }

    public struct Segment: Sendable, Equatable {
        public var text: String
        public var style: Style
    }

    public let width: Int
    public let height: Int
    public private(set) var lines: [[Segment]] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Whether another line fits.
    public var isFull: Bool { lines.count >= height }

    public var remaining: Int { max(0, height - lines.count) }

    /// Adds a line of segments, cut to the width.
    public mutating func add(_ segments: [Segment]) {
        guard !isFull else { return }
        var room = width
        var line: [Segment] = []
        for segment in segments where room > 0 {
            let text = Text.cut(segment.text, room)
            room -= text.count
            line.append(Segment(text: text, style: segment.style))
        }
        lines.append(line)
    }

    public mutating func add(_ text: String, _ style: Style = .plain) { add([Segment(text: text, style: style)]) }

    /// The frame as plain text, one line per row, trailing spaces removed.
    public var plainText: String {
        var rows = lines.map { line in
            var text = line.map(\.text).joined()
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        while rows.count < height { rows.append("") }
        return rows.joined(separator: "\n") + "\n"
    }
}

/// A segment builder: `.plain("CPU")`, `.styled("warn", .warn)`.
extension Frame.Segment {
    static func plain(_ text: String) -> Frame.Segment { Frame.Segment(text: text, style: .plain) }
    static func styled(_ text: String, _ style: Frame.Style) -> Frame.Segment { Frame.Segment(text: text, style: style) }
}

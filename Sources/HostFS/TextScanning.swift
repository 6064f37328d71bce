/// Small string helpers shared by parsers: whitespace handling without Foundation.
public enum TextScanning {
    /// Whether a character is ASCII whitespace or NUL.
    @inlinable
    public static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n" || character == "\0"
            || character == "\u{0B}" || character == "\u{0C}"
    }

    /// `text` without leading and trailing whitespace or NUL bytes.
    public static func trimmed<S: StringProtocol>(_ text: S) -> String {
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }

    /// Whitespace-separated fields of one line.
    public static func fields<S: StringProtocol>(_ line: S) -> [S.SubSequence] {
        line.split(whereSeparator: { isSpace($0) })
    }

    /// Lines of a text (keeping empty lines, so line numbers stay true); no trailing empty line.
    public static func lines(_ text: String) -> [Substring] {
        // "\r\n" is one Character in Swift, so CRLF line ends are matched explicitly.
        var result = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if result.last?.isEmpty == true { result.removeLast() }
        return result
    }
}

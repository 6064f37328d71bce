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

    /// Whitespace-separated fields of one line (split on ASCII bytes: no grapheme breaking).
    public static func fields<S: StringProtocol>(_ line: S) -> [Substring] {
        let text = Substring(line)
        var result: [Substring] = []
        var fieldStart: String.Index?
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let isSeparator = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 || byte == 0x0B || byte == 0x0C
            if isSeparator {
                if let start = fieldStart {
                    result.append(text[start..<index])
                    fieldStart = nil
                }
            } else if fieldStart == nil {
                fieldStart = index
            }
            index = utf8.index(after: index)
        }
        if let start = fieldStart { result.append(text[start..<utf8.endIndex]) }
        return result
    }

    /// Lines of a text split at LF bytes (a CR before it stays and counts as whitespace), keeping
    /// empty lines so line numbers stay true; no trailing empty line.
    public static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index] == 0x0A {
                result.append(text[lineStart..<index])
                lineStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if lineStart != utf8.endIndex { result.append(text[lineStart..<utf8.endIndex]) }
        return result
    }
}

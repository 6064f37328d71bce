/// Small string helpers shared by parsers: whitespace handling without Foundation.
public enum TextScanning {
    /// Whether a character is ASCII whitespace or NUL.
    @inlinable
    public static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\r\n" || character == "\0"
            || character == "\u{0B}" || character == "\u{0C}"
    }

    /// Whether a byte is ASCII whitespace or NUL.
    @inlinable
    public static func isSpaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 || byte == 0x0B || byte == 0x0C
    }

    /// `text` without leading and trailing whitespace or NUL bytes.
    public static func trimmed<S: StringProtocol>(_ text: S) -> String {
        let utf8 = Substring(text).utf8
        guard let first = utf8.firstIndex(where: { !isSpaceByte($0) }),
            let last = utf8.lastIndex(where: { !isSpaceByte($0) })
        else { return "" }
        return String(Substring(utf8[first...last]))
    }

    /// Whitespace-separated fields of one line (split on ASCII bytes, sliced through the UTF-8
    /// view: no grapheme breaking, no rounding of indices to characters).
    public static func fields<S: StringProtocol>(_ line: S) -> [Substring] {
        let utf8 = Substring(line).utf8
        var result: [Substring] = []
        result.reserveCapacity(8)
        var fieldStart: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if isSpaceByte(utf8[index]) {
                if let start = fieldStart {
                    result.append(Substring(utf8[start..<index]))
                    fieldStart = nil
                }
            } else if fieldStart == nil {
                fieldStart = index
            }
            index = utf8.index(after: index)
        }
        if let start = fieldStart { result.append(Substring(utf8[start..<utf8.endIndex])) }
        return result
    }

    /// The bytes of `line` before its first whitespace: the name of a `name value` line.
    public static func leadingField(_ line: Substring) -> Substring.UTF8View.SubSequence {
        line.utf8.prefix { !isSpaceByte($0) }
    }

    /// How many whitespace-separated fields `line` has (what `fields` would return, counted).
    public static func fieldCount(_ line: Substring) -> Int {
        var count = 0
        var inField = false
        for byte in line.utf8 {
            let space = isSpaceByte(byte)
            if !space, !inField { count += 1 }
            inField = !space
        }
        return count
    }

    /// Whether `text` begins with the ASCII `prefix`, compared byte by byte.
    @inlinable
    public static func hasPrefix(_ text: Substring, _ prefix: StaticString) -> Bool {
        let utf8 = text.utf8
        guard utf8.count >= prefix.utf8CodeUnitCount else { return false }
        return prefix.withUTF8Buffer { utf8.starts(with: $0) }
    }

    /// Whether `text` contains the ASCII `needle`, compared byte by byte.
    public static func contains(_ text: Substring, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { pattern in
            let utf8 = text.utf8
            var start = utf8.startIndex
            while start != utf8.endIndex {
                if utf8[start...].starts(with: pattern) { return true }
                start = utf8.index(after: start)
            }
            return pattern.isEmpty
        }
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
                result.append(Substring(utf8[lineStart..<index]))
                lineStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if lineStart != utf8.endIndex { result.append(Substring(utf8[lineStart..<utf8.endIndex])) }
        return result
    }
}

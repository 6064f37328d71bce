#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX extended regular expression (libc regcomp/regexec), used for device and mount
/// filters: small, fast and without the Swift regex runtime.
///
/// node_exporter's filters are Go RE2 patterns; the defaults use only syntax both accept
/// (`\d` is written `[0-9]`). Matching is unanchored unless the pattern anchors itself.
public final class PosixRegex: @unchecked Sendable {
    // regexec on a compiled, never-mutated regex_t is thread-safe (POSIX).
    private var compiled = regex_t()
    /// The source pattern.
    public let pattern: String

    /// Compiles `pattern`; throws a message naming the pattern when it is invalid.
    public init(_ pattern: String) throws(RegexError) {
        self.pattern = pattern
        let code = regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB)
        if code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(code, &compiled, &buffer, buffer.count)
            let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RegexError(pattern: pattern, reason: reason)
        }
    }

    deinit { regfree(&compiled) }

    /// Whether `text` contains a match.
    public func matches(_ text: String) -> Bool {
        regexec(&compiled, text, 0, nil, 0) == 0
    }
}

/// An invalid regular expression.
public struct RegexError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX extended regular expression (libc regcomp/regexec), used for device and mount
/// filters and PromQL matchers: small, fast and without the Swift regex runtime.
///
/// node_exporter's filters and PromQL use Go RE2 patterns; ``init(re2:captures:)`` translates
/// the RE2 syntax real selectors use (`\d`, `\w`, `\s`, `(?:…)`, `(?P<name>…)`, `(?i)`).
/// Matching is unanchored unless the pattern anchors itself.
///
/// Sendable: the compiled `regex_t` lives in memory of its own, written only while `init` compiles
/// it and freed in `deinit`; every call in between passes it to `regexec`, which only reads it and
/// is thread-safe by POSIX. No Swift property is mutated after `init`.
public final class PosixRegex: @unchecked Sendable {
    private let compiled: UnsafeMutablePointer<regex_t>
    /// The source pattern.
    public let pattern: String
    /// For each source capture group (1-based, index 0 = whole match), the POSIX group holding it.
    public let groupMap: [Int]
    /// Named source groups to their source index.
    public let groupNames: [String: Int]
    private let capturing: Bool

    /// Compiles a POSIX ERE `pattern`; throws a message naming the pattern when it is invalid.
    public init(_ pattern: String) throws(RegexError) {
        compiled = try Self.compile(pattern, flags: REG_EXTENDED | REG_NOSUB, source: pattern)
        self.pattern = pattern
        groupMap = [0]
        groupNames = [:]
        capturing = false
    }

    /// Compiles an RE2 pattern, translated to POSIX ERE. With `captures`, submatches are available.
    public init(re2 pattern: String, captures: Bool = false) throws(RegexError) {
        let translation = try RE2Translation(pattern)
        var flags = REG_EXTENDED
        if !captures { flags |= REG_NOSUB }
        if translation.caseInsensitive { flags |= REG_ICASE }
        compiled = try Self.compile(translation.posix, flags: flags, source: pattern)
        self.pattern = pattern
        groupMap = translation.groupMap
        groupNames = translation.groupNames
        capturing = captures
    }

    /// A compiled `regex_t` in memory of its own, or the reason `posix` does not compile.
    private static func compile(_ posix: String, flags: Int32, source: String) throws(RegexError) -> UnsafeMutablePointer<regex_t> {
        let pointer = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        pointer.initialize(to: regex_t())
        let code = regcomp(pointer, posix, flags)
        guard code != 0 else { return pointer }
        var buffer = [CChar](repeating: 0, count: 256)
        regerror(code, pointer, &buffer, buffer.count)
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw RegexError(pattern: source, reason: reason)
    }

    deinit {
        regfree(compiled)
        compiled.deinitialize(count: 1)
        compiled.deallocate()
    }

    /// Whether `text` contains a match.
    public func matches(_ text: String) -> Bool {
        regexec(compiled, text, 0, nil, 0) == 0
    }

    /// The submatches of the first match (index 0: whole match; nil: group did not take part),
    /// or nil when there is no match. Requires `captures: true`.
    public func submatches(in text: String) -> [String?]? {
        guard capturing else { return matches(text) ? [text] : nil }
        let slots = Int(compiled.pointee.re_nsub) + 1
        var found = [regmatch_t](repeating: regmatch_t(), count: slots)
        guard regexec(compiled, text, slots, &found, 0) == 0 else { return nil }
        let bytes = Array(text.utf8)
        return groupMap.map { posixIndex -> String? in
            guard posixIndex < slots else { return nil }
            let range = found[posixIndex]
            guard range.rm_so >= 0, range.rm_eo >= range.rm_so, Int(range.rm_eo) <= bytes.count else { return nil }
            return String(decoding: bytes[Int(range.rm_so)..<Int(range.rm_eo)], as: UTF8.self)
        }
    }
}

/// An invalid regular expression.
public struct RegexError: Error, Sendable, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Labels {
    /// The label set as one run of bytes whose order (byte by byte, a prefix first) is `<`'s: each
    /// name and value followed by a zero byte. Nil when a name or value holds a zero byte itself.
    public var sortKey: [UInt8]? {
        var key: [UInt8] = []
        func append(_ text: String) -> Bool {
            let start = key.count
            key.append(contentsOf: text.utf8)
            key.append(0)
            return !key[start..<key.count - 1].contains(0)
        }
        for label in storage {
            guard append(label.name), append(label.value) else { return nil }
        }
        return key
    }

    /// The positions of `sets` in the order `<` gives them (equal sets in their order): one
    /// comparison of bytes per pair where `<` compares label by label, name and value, each a
    /// string read in place (a fleet query of a metric sorts its thousands of series).
    public static func order(_ sets: [Labels]) -> [Int] {
        let keys = sets.compactMap(\.sortKey)
        guard keys.count == sets.count else { return sets.indices.sorted { sets[$0] < sets[$1] } }
        return keys.indices.sorted { Self.precedes(keys[$0], keys[$1]) }
    }

    /// Whether `left` comes before `right`: by their bytes, a prefix first.
    static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBytes { left in
            right.withUnsafeBytes { right in
                let common = Swift.min(left.count, right.count)
                if common > 0, let l = left.baseAddress, let r = right.baseAddress {
                    let order = memcmp(l, r, common)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
    }
}

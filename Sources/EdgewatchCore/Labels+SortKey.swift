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
        return appendSortKey(to: &key) ? key : nil
    }

    /// Appends ``sortKey`` to `bytes`; false when a name or value holds a zero byte (then what was
    /// appended is no key).
    func appendSortKey(to bytes: inout [UInt8]) -> Bool {
        func append(_ text: String) -> Bool {
            let start = bytes.count
            var text = text  // its bytes at once (a small string's UTF-8 view is read byte by byte)
            text.withUTF8 { bytes.append(contentsOf: $0) }
            bytes.append(0)
            return !bytes[start..<bytes.count - 1].contains(0)
        }
        for label in storage {
            guard append(label.name), append(label.value) else { return false }
        }
        return true
    }

    /// The positions of `sets` in the order `<` gives them (equal sets in their order): one
    /// comparison of bytes per pair where `<` compares label by label, name and value, each a
    /// string read in place (a fleet query of a metric sorts its thousands of series). The keys lie
    /// in one buffer: an array each, retained and released at every comparison, had been half the
    /// sort's time.
    public static func order(_ sets: [Labels]) -> [Int] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sets.count * 48)  // a fleet series' `__name__`, `cluster` and `node`
        var ends: [Int] = []
        ends.reserveCapacity(sets.count)
        for set in sets {
            guard set.appendSortKey(to: &bytes) else { return sets.indices.sorted { sets[$0] < sets[$1] } }
            ends.append(bytes.count)
        }
        return bytes.withUnsafeBytes { bytes in
            ends.withUnsafeBufferPointer { ends in
                func key(_ index: Int) -> UnsafeRawBufferPointer {
                    UnsafeRawBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
                }
                return sets.indices.sorted { precedes(key($0), key($1)) }
            }
        }
    }

    /// Whether `left` comes before `right`: by their bytes, a prefix first.
    static func precedes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let common = Swift.min(left.count, right.count)
        if common > 0, let l = left.baseAddress, let r = right.baseAddress {
            let order = memcmp(l, r, common)
            if order != 0 { return order < 0 }
        }
        return left.count < right.count
    }
}

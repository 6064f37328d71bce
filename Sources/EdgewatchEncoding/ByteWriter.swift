/// Builds a byte string from varints, zigzag integers and length-prefixed strings.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    public mutating func varint(_ value: UInt64) { Varint.append(value, to: &bytes) }

    public mutating func signed(_ value: Int64) { Varint.append(signed: value, to: &bytes) }

    /// The UTF-8 bytes of `text`, prefixed by their count.
    public mutating func string(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes += text.utf8
    }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }
}

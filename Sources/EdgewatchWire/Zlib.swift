import CZlib

/// zlib (RFC 1950) compression through the system library, with a hard cap on inflated size so
/// a small body cannot expand into gigabytes.
public enum Zlib {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Inflating would exceed the limit (bytes).
        case tooLarge(limit: Int)
        case corrupt(String)

        public var description: String {
            switch self {
            case .tooLarge(let limit): return "decompressed body exceeds \(limit) bytes"
            case .corrupt(let reason): return "body is not valid zlib data: \(reason)"
            }
        }
    }

    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard edgewatch_deflate_init(&stream, level) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 16)
        var input = input
        let produced: Int = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// Inflates `input`, failing as soon as the output would pass `limit` bytes (memory stays bounded by the limit).
    public static func decompress(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard edgewatch_inflate_init(&stream) == Z_OK else { throw .corrupt("cannot initialise zlib") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { (source: inout UnsafeMutableBufferPointer<UInt8>) throws(Failure) in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return target.count - Int(stream.avail_out)
                }
                if status != Z_OK, status != Z_STREAM_END {
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw .corrupt(status == Z_BUF_ERROR ? "truncated" : message)
                }
                guard output.count + produced <= limit else { throw .tooLarge(limit: limit) }
                output += chunk[0..<produced]
                if status == Z_OK, stream.avail_in == 0, produced == 0 { throw .corrupt("truncated") }
            } while status != Z_STREAM_END
        }
        return output
    }
}

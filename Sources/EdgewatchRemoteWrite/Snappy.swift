import CSnappy

/// Snappy's block format (remote_write bodies), through Debian's libsnappy opened on first use.
public enum Snappy {
    /// Loads libsnappy (once); an error says why it is missing, so a hub with remote_write
    /// targets can refuse to start instead of failing on its first send.
    public static func load() throws(RemoteWriteError) {
        guard cew_snappy_load(nil) == 0 else {
            throw RemoteWriteError("cannot load libsnappy (Debian's libsnappy1v5): \(String(cString: cew_snappy_load_error()))")
        }
    }

    /// The compressed form of `bytes`.
    public static func compress(_ bytes: [UInt8]) throws(RemoteWriteError) -> [UInt8] {
        try load()
        var output = [UInt8](repeating: 0, count: cew_snappy_max_compressed_length(bytes.count))
        var length = output.count
        let status = transform(bytes, into: &output) { cew_snappy_compress($0, $1, $2, &length) }
        guard status == 0 else { throw RemoteWriteError("snappy could not compress \(bytes.count) bytes (status \(status))") }
        output.removeSubrange(length...)
        return output
    }

    /// The bytes `compressed` inflates to, refused when that is more than `limit` bytes.
    public static func decompress(_ compressed: [UInt8], limit: Int) throws(RemoteWriteError) -> [UInt8] {
        try load()
        var length = 0
        let known = compressed.withUnsafeBufferPointer { input in
            input.withMemoryRebound(to: CChar.self) { cew_snappy_uncompressed_length($0.baseAddress, $0.count, &length) }
        }
        guard known == 0 else { throw RemoteWriteError("not a snappy block (no valid length header)") }
        guard length <= limit else { throw RemoteWriteError("snappy block inflates to \(length) bytes, over the limit of \(limit)") }
        var output = [UInt8](repeating: 0, count: length)
        let status = transform(compressed, into: &output) { cew_snappy_uncompress($0, $1, $2, &length) }
        guard status == 0 else { throw RemoteWriteError("damaged snappy block (status \(status))") }
        return output
    }

    /// Runs a C call over `input` (pointer, count) writing into `output`'s storage.
    private static func transform(
        _ input: [UInt8],
        into output: inout [UInt8],
        _ call: (UnsafePointer<CChar>?, Int, UnsafeMutablePointer<CChar>?) -> Int32
    ) -> Int32 {
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                source.withMemoryRebound(to: CChar.self) { from in
                    target.withMemoryRebound(to: CChar.self) { to in call(from.baseAddress, from.count, to.baseAddress) }
                }
            }
        }
    }
}

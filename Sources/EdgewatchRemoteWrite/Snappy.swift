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
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                input.withMemoryRebound(to: CChar.self) { source in
                    out.withMemoryRebound(to: CChar.self) { target in
                        cew_snappy_compress(source.baseAddress, source.count, target.baseAddress, &length)
                    }
                }
            }
        }
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
        let status = compressed.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                input.withMemoryRebound(to: CChar.self) { source in
                    out.withMemoryRebound(to: CChar.self) { target in
                        cew_snappy_uncompress(source.baseAddress, source.count, target.baseAddress, &length)
                    }
                }
            }
        }
        guard status == 0 else { throw RemoteWriteError("damaged snappy block (status \(status))") }
        return output
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes text to standard output (file descriptor 1) with plain write(2) calls.
enum StandardOutput {
    static func write(_ text: String) {
        FileDescriptorOutput.write(text, to: 1)
    }
}

/// Writes text to standard error (file descriptor 2).
enum StandardError {
    static func write(_ text: String) {
        FileDescriptorOutput.write(text, to: 2)
    }
}

enum FileDescriptorOutput {
    static func write(_ text: String, to descriptor: Int32) {
        var copy = text
        copy.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

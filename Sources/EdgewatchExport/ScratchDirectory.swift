import EdgewatchBundle

#if canImport(Glibc)
import Glibc
#endif

/// A private directory for the parts while a bundle is assembled, beside the output (same file
/// system, so nothing is copied twice) or in `$TMPDIR` for standard output; removed with its files.
final class ScratchDirectory {
    let path: String
    private var files: [String] = []

    init(near output: String) throws(BundleError) {
        let base: String
        if output == "-" {
            base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        } else {
            base = output.lastIndex(of: "/").map { String(output[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        }
        var template = Array((base + "/.edgewatch-export-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw BundleError.io(path: base, reason: "cannot create a scratch directory: \(String(cString: strerror(errno)))") }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path inside the directory, removed with it.
    func file(_ name: String) -> String {
        let full = path + "/" + name
        files.append(full)
        return full
    }

    func remove() {
        for file in files { unlink(file) }
        rmdir(path)
    }
}

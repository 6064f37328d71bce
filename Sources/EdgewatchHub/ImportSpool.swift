import EdgewatchBundle
import Synchronization

/// The file an import's body is spooled to, written from NIO's blocking pool one chunk at a time.
final class ImportSpool: Sendable {
    private let file: Mutex<OutputFile>

    init(path: String) throws(BundleError) {
        file = Mutex(try OutputFile(creating: path, exclusive: true, mode: 0o600))
    }

    func write(_ bytes: [UInt8]) throws {
        try file.withLock { file throws(BundleError) in try file.write(bytes) }
    }

    func finish() throws {
        try file.withLock { file throws(BundleError) in try file.finish() }
    }
}

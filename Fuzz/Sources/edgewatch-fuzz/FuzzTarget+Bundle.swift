import EdgewatchBundle
import EdgewatchWire

@testable import EdgewatchHub

#if canImport(Glibc)
import Glibc
#endif

extension FuzzTarget {
    /// Export bundles: the reader over any file (gzip, tar, manifest, parts), and the hub's
    /// import over any tar archive (gzipped here, so mutations reach the tar and line parsers
    /// instead of stopping at the gzip checksum).
    static let bundleTargets: [FuzzTarget] = [
        FuzzTarget(name: "bundle") { bytes in
            guard let path = BundleScratch.write(bytes, gzip: false) else { return }
            var lines = 0
            _ = try? BundleReader.read(path: path, limits: BundleScratch.limits, visit: { _, _ in lines += 1 })
        },
        FuzzTarget(name: "hub-import") { bytes in
            guard let path = BundleScratch.write(bytes, gzip: true),
                let manifest = try? BundleReader.manifest(path: path, limits: BundleScratch.limits)
            else { return }
            // The import refuses another node's bundle before reading it: send it as its own node.
            _ = try? BundleImport.prepare(
                path: path,
                node: manifest.node,
                limits: .fuzzing,
                bundleLimits: BundleScratch.limits,
                scratch: ":memory:"
            )
        },
    ]
}

/// The file a bundle target reads: one per process in /dev/shm, rewritten for each input.
enum BundleScratch {
    static let path = "/dev/shm/edgewatch-fuzz-\(getpid()).bundle"

    static var limits: BundleReader.Limits {
        var limits = BundleReader.Limits()
        limits.maxInflatedBytes = 64 << 20
        limits.maxLineBytes = 64 << 10
        limits.maxManifestBytes = 64 << 10
        return limits
    }

    /// Writes `bytes` (gzipped when asked) to ``path``; nil when the file cannot be written.
    static func write(_ bytes: [UInt8], gzip: Bool) -> String? {
        do {
            let file = try OutputFile(creating: path, exclusive: false)
            if gzip {
                let writer = try GzipWriter(output: file, level: 1)
                try writer.write(bytes)
                try writer.finish()
            } else {
                try file.write(bytes)
                try file.finish()
            }
            return path
        } catch {
            FuzzCheck.report("cannot write \(path): \(error)")
            return nil
        }
    }
}

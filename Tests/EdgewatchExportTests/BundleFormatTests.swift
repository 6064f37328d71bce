import EdgewatchBundle
import EdgewatchCore
import Foundation
import Testing

@Suite("Bundle archive format")
struct BundleFormatTests {
    static func scratch() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-bundle-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a bundle with the given manifest parts and contents (names in archive order).
    static func write(_ path: String, manifest: BundleManifest, entries: [(String, [UInt8])]) throws {
        let archive = TarWriter(gzip: try GzipWriter(output: try OutputFile(creating: path, exclusive: false)))
        let bytes = try manifest.encoded()
        try archive.begin(name: BundleManifest.fileName, size: Int64(bytes.count), modified: 0)
        try archive.write(bytes)
        for (name, content) in entries {
            try archive.begin(name: name, size: Int64(content.count), modified: 0)
            if !content.isEmpty { try archive.write(content) }
        }
        try archive.finish()
    }

    static func manifest(_ parts: [(String, [UInt8])]) -> BundleManifest {
        var manifest = BundleManifest(node: "n1", cluster: "c", agentVersion: "t", exportedAt: 0, requested: .init(from: 0, to: 1), resolution: "raw")
        manifest.parts = parts.map {
            BundleManifest.Part(name: $0.0, format: "jsonl", kind: "events", count: 1, bytes: Int64($0.1.count), sha256: SHA256.hex(of: $0.1))
        }
        return manifest
    }

    @Test("headers round-trip, sizes past 8 GiB use GNU base-256, checksums are checked")
    func headers() throws {
        let header = TarHeader(name: "metrics.om", size: 12_345, modified: 1_700_000_000)
        #expect(try TarHeader.decode(header.encoded()) == header)
        let huge = TarHeader(name: "big", size: 20 << 30, modified: 0)
        #expect(try TarHeader.decode(huge.encoded())?.size == 20 << 30)
        #expect(try TarHeader.decode([UInt8](repeating: 0, count: 512)) == nil)
        var damaged = header.encoded()
        damaged[10] ^= 1
        #expect(throws: TarHeader.Failure.self) { try TarHeader.decode(damaged) }
    }

    @Test("a written bundle reads back line by line with its manifest; empty and multi-chunk parts too")
    func roundTrip() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let big = Array((0..<40_000).map { "line \($0)\n" }.joined().utf8)
        let parts: [(String, [UInt8])] = [("a.jsonl", Array("{\"x\":1}\n{\"x\":2}\n".utf8)), ("empty.jsonl", []), ("big.jsonl", big)]
        try Self.write(directory + "/b.tar.gz", manifest: Self.manifest(parts), entries: parts)
        var seen: [String: Int] = [:]
        let manifest = try BundleReader.read(
            path: directory + "/b.tar.gz",
            visit: { (_, position) throws(BundleError) in seen[position.part.name, default: 0] += 1 }
        )
        #expect(manifest.node == "n1")
        #expect(seen == ["a.jsonl": 2, "big.jsonl": 40_000])
    }

    @Test("a part missing, unlisted, of the wrong size, or altered is refused with its name")
    func refusals() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good: [(String, [UInt8])] = [("a.jsonl", Array("one\n".utf8)), ("b.jsonl", Array("two\n".utf8))]
        let cases: [(BundleManifest, [(String, [UInt8])], String)] = [
            (Self.manifest(good), [good[0]], "part b.jsonl at byte 0: listed in manifest.json but missing"),
            (Self.manifest([good[0]]), good, "part b.jsonl at byte 0: not listed in manifest.json"),
            (Self.manifest(good), [good[0], ("b.jsonl", Array("twenty\n".utf8))], "part b.jsonl at byte 0: is 7 bytes, manifest.json says 4"),
            (Self.manifest(good), [good[0], ("b.jsonl", Array("tw0\n".utf8))], "part b.jsonl at byte 0: sha256 is"),
            (Self.manifest(good), [good[0], good[0], good[1]], "part a.jsonl at byte 0: appears twice"),
        ]
        for (index, (manifest, entries, message)) in cases.enumerated() {
            let path = directory + "/\(index).tar.gz"
            try Self.write(path, manifest: manifest, entries: entries)
            #expect(throws: BundleError.self) { _ = try BundleReader.read(path: path) }
            do {
                _ = try BundleReader.read(path: path)
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test("a manifest missing a field names it; another format is refused")
    func manifests() {
        #expect {
            _ = try BundleManifest.decode(Array(#"{"format":"edgewatch-bundle","version":1,"node":"n"}"#.utf8))
        } throws: { error in
            "\(error)".contains("missing field cluster") || "\(error)".contains("missing field")
        }
        #expect {
            _ = try BundleManifest.decode(Array(#"{"format":"something-else","version":1}"#.utf8))
        } throws: { error in
            "\(error)".contains("field format: expected \"edgewatch-bundle\"")
        }
    }
}

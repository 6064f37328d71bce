import EdgewatchCore
import EdgewatchStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A filesystem smaller than the store's budget: the disk fills before the budget does.
/// Needs root to mount a size-limited tmpfs; skipped (with a reason) where mounting is refused.
@Suite("Store on a full disk", .serialized)
struct DiskFullTests {
    /// A tmpfs of `kilobytes` mounted at `directory`/small, or nil (and why, on standard output)
    /// where mounting is refused. The caller unmounts it.
    static func mountSmallTmpfs(in directory: StoreDirectory, kilobytes: Int) -> String? {
        let path = directory.path + "/small"
        mkdir(path, 0o755)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k") == 0 else {
            print("skipped: cannot mount tmpfs (\(String(cString: strerror(errno)))): run as root to exercise a full disk")
            return nil
        }
        return path
    }

    @Test("when the disk fills up the store evicts and keeps writing; nothing committed is corrupted")
    func diskFull() throws {
        let directory = try StoreDirectory()
        guard let mountPoint = Self.mountSmallTmpfs(in: directory, kilobytes: 768) else { return }
        defer { umount(mountPoint) }
        let path = mountPoint + "/store.db"
        let writer = try StoreWriter(configuration: StoreConfiguration(path: path, maxBytes: 64 << 20, intervalMilliseconds: 60_000))
        let node = SyntheticNode(count: 60)
        let start: Int64 = 1_732_003_200_000
        var failures = 0
        let cycles = 3 * 24 * 60
        for index in 0..<cycles {
            try writer.append(cycle: cycle(start + Int64(index) * 60_000), samples: node.samples(cycle: index))
            if index % 10 == 9 {
                do {
                    try writer.flush()
                } catch {
                    failures += 1
                }
            }
        }
        #expect(failures == 0, "flushes failed on the full disk: \(failures)")
        try writer.close()
        #expect(writer.statistics.segmentsEvicted > 0)
        let reader = try StoreReader(path: path)
        #expect(try reader.integrityCheck() == "ok")
        let ids = Set(try reader.series { _ in true }.map(\.0))
        let end = start + Int64(cycles) * 60_000
        let latest = try reader.points(ids: ids, tier: .raw, from: end - 3_600_000, to: end)
        #expect(latest.count == node.count, "the newest hour is kept for every series")
        #expect(!(try reader.gaps(from: start, to: end)).filter { $0.kind == .evicted }.isEmpty)
    }
}

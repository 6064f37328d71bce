import EdgewatchCore
import Foundation
import Testing

@testable import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

/// A disk another writer filled: nothing the store can evict makes room, so flushes fail until
/// space comes back. Needs root to mount a size-limited tmpfs; skipped (with a reason) otherwise.
@Suite("Store buffer while flushes fail", .serialized)
struct BufferBoundTests {
    /// Fills the filesystem under `path` with one file; returns its path.
    static func fill(_ directory: String) -> String {
        let path = directory + "/filler"
        let handle = open(path, O_WRONLY | O_CREAT, 0o644)
        let chunk = [UInt8](repeating: 7, count: 4096)
        while write(handle, chunk, chunk.count) == chunk.count {}
        close(handle)
        return path
    }

    @Test("the buffer stays within its bound (maxPendingValues) while flushes fail; the dropped range is a not_stored gap; writing resumes")
    func boundedWhileFull() throws {
        let directory = try StoreDirectory()
        guard let mountPoint = DiskFullTests.mountSmallTmpfs(in: directory, kilobytes: 1024) else { return }
        defer { umount(mountPoint) }
        var configuration = StoreConfiguration(path: mountPoint + "/store.db", maxBytes: 64 << 20, intervalMilliseconds: 10_000)
        configuration.maxPendingValues = 20_000
        let writer = try StoreWriter(configuration: configuration)
        let node = SyntheticNode(count: 60)
        let start: Int64 = 1_732_003_200_000
        for index in 0..<30 {
            try writer.append(cycle: cycle(start + Int64(index) * 10_000), samples: node.samples(cycle: index))
        }
        try writer.flush()
        let filler = Self.fill(mountPoint)
        var failures = 0
        var largest = 0
        for index in 30..<2_000 {
            try writer.append(cycle: cycle(start + Int64(index) * 10_000), samples: node.samples(cycle: index))
            largest = max(largest, writer.pendingValueCount)
            if index % 6 == 5 {
                do { try writer.flush() } catch { failures += 1 }
            }
        }
        #expect(failures > 300, "flushes kept failing on the filled disk")
        #expect(largest <= configuration.maxPendingValues + node.count * 11, "buffered values: \(largest)")
        #expect(writer.statistics.valuesShed > 0)
        unlink(filler)
        try writer.flush()
        try writer.close()
        let reader = try StoreReader(path: configuration.path)
        #expect(try reader.integrityCheck() == "ok")
        let gaps = try reader.gaps(from: start, to: .max).filter { $0.kind == .notStored && $0.tier == .raw }
        #expect(!gaps.isEmpty)
        #expect(gaps.allSatisfy { $0.start >= start + 300_000 && $0.end < start + 2_000 * 10_000 })
        let ids = Set(try reader.series { _ in true }.map(\.0))
        let newest = try reader.points(ids: ids, tier: .raw, from: start + 1_999 * 10_000, to: start + 1_999 * 10_000)
        #expect(newest.count == node.count, "the newest cycle is stored")
    }
}

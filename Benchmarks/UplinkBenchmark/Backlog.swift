import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

/// Writes `hours` of 10 s cycles of `keys` into the store at `path`, ending now, as the running
/// boot with a synchronised clock: the backlog an agent holds after a day without a link.
@MainActor func fillBacklog(path: String, hours: Int, keys: [SeriesKey]) throws {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    var boot = timespec()
    clock_gettime(CLOCK_BOOTTIME, &boot)
    let wall = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    let monotonic = Int64(boot.tv_sec) * 1_000_000_000 + Int64(boot.tv_nsec)
    let bootID = (try? String(decodingFile: "/proc/sys/kernel/random/boot_id")) ?? "bench"
    let interval: Int64 = 10_000
    let cycles = hours * 360
    let first = (wall - Int64(cycles) * interval) / interval * interval
    let writer = try StoreWriter(configuration: StoreConfiguration(path: path, maxBytes: 256 << 20, intervalMilliseconds: interval))
    var node = SyntheticNode(keys: keys)
    for cycle in 0..<cycles {
        let values = node.advance()
        let timestamp = first + Int64(cycle) * interval
        let record = CycleRecord(
            timestamp: timestamp,
            bootID: bootID,
            monotonicNanoseconds: monotonic - (wall - timestamp) * 1_000_000,
            synchronized: true
        )
        try writer.append(cycle: record, samples: Array(zip(keys, values)))
        if cycle % 60 == 59 { try writer.flush() }
    }
    try writer.close()
}

extension String {
    /// The file's text without its trailing newline.
    init(decodingFile path: String) throws {
        guard let file = fopen(path, "r") else { throw BacklogError("cannot open \(path)") }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, 256, file) != nil else { throw BacklogError("cannot read \(path)") }
        self = String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

struct BacklogError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// Writes a store like a busy node's for `top`'s time-to-first-frame benchmark: `days` of
// 10 s cycles of about `series` series (node families plus containers), flushed every 60 s.
// Usage: edgewatch-top-bench DIRECTORY [days 3] [series 1000]
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count > 1 else {
    print("usage: edgewatch-top-bench DIRECTORY [days] [series]")
    exit(2)
}
let directory = arguments[1]
let days = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
let wanted = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
mkdir(directory, 0o755)
let writer: StoreWriter
do {
    writer = try StoreWriter(
        configuration: StoreConfiguration(path: directory + "/store.db", maxBytes: 2 << 30, intervalMilliseconds: 10_000, nodeName: "bench-node")
    )
} catch {
    print("cannot open store: \(error)")
    exit(1)
}
var keys: [SeriesKey] = []
func key(_ name: String, _ type: MetricType, _ labels: [(String, String)]) -> SeriesKey {
    SeriesKey(name: name, labels: Labels(labels.map { Label($0.0, $0.1) }), type: type)
}
for core in 0..<4 {
    for mode in ["idle", "user", "system", "iowait"] {
        keys.append(key("node_cpu_seconds_total", .counter, [("cpu", String(core)), ("mode", mode)]))
    }
}
for name in ["node_load1", "node_load5", "node_load15", "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes", "node_memory_Cached_bytes"] {
    keys.append(key(name, .gauge, []))
}
let containerFamilies: [(String, MetricType)] = [
    ("container_cpu_usage_seconds_total", .counter), ("container_cpu_cfs_periods_total", .counter),
    ("container_cpu_cfs_throttled_periods_total", .counter), ("container_memory_working_set_bytes", .gauge),
    ("container_spec_memory_limit_bytes", .gauge), ("container_oom_events_total", .counter), ("container_memory_rss", .gauge),
    ("container_fs_reads_bytes_total", .counter),
]
var podIndex = 0
while keys.count < wanted {
    let labels = [
        ("id", "/kubepods.slice/pod\(podIndex)/c\(podIndex)"), ("namespace", "ns\(podIndex % 7)"), ("pod", "app-\(podIndex)"), ("container", "main"),
    ]
    for (name, type) in containerFamilies {
        keys.append(key(name, type, name == "container_cpu_usage_seconds_total" ? labels + [("cpu", "total")] : labels))
    }
    podIndex += 1
}
let cycles = days * 8640
let start = (Int64(time(nil)) - Int64(days) * 86_400) * 1000
for index in 0..<cycles {
    let timestamp = start + Int64(index) * 10_000
    let cycle = CycleRecord(timestamp: timestamp, bootID: "bench", monotonicNanoseconds: Int64(index + 1) * 10_000_000_000, synchronized: true)
    let samples = keys.enumerated().map { offset, key in
        (key, key.type == .counter ? Double(index * (offset % 5 + 1)) : Double((offset * 7919 + index / 60) % 1000))
    }
    do {
        try writer.append(cycle: cycle, samples: samples)
        if index % 6 == 5 { try writer.flush() }
    } catch {
        print("write failed: \(error)")
        exit(1)
    }
}
do {
    try writer.close()
} catch {
    print("close failed: \(error)")
    exit(1)
}
print("wrote \(cycles) cycles of \(keys.count) series to \(directory)/store.db")

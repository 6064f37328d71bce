// Store benchmark: 1000 series at a 10 s interval for a simulated hour, flushed every 60 s as the
// agent does. Prints bytes per raw sample (encoded and whole file), bytes written to the device
// per hour (/proc/self/io write_bytes) and the write amplification against the encoded data.
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import HostFS

#if canImport(Glibc)
import Glibc
#endif

func writeBytes() -> Int64 {
    guard let text = try? FileTree(root: "/").readText("proc/self/io") else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
        return Int64(line.split(separator: " ").last ?? "0") ?? 0
    }
    return 0
}

let arguments = CommandLine.arguments
let seriesCount = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let hours = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
let directory = "/var/tmp/edgewatch-store-bench-\(getpid())"
mkdir(directory, 0o755)
let path = directory + "/store.db"
let writer: StoreWriter
do {
    writer = try StoreWriter(configuration: StoreConfiguration(path: path, maxBytes: 4 << 30, intervalMilliseconds: 10_000))
} catch {
    print("cannot open store: \(error)")
    exit(1)
}
// A node-like mix: a third counters at different rates, gauges that mostly hold, a few noisy.
var keys: [SeriesKey] = []
for index in 0..<seriesCount {
    let isCounter = index % 3 == 0
    let type: MetricType = isCounter ? .counter : .gauge
    keys.append(SeriesKey(name: isCounter ? "bench_counter_total" : "bench_gauge", labels: Labels([Label("id", String(index))]), type: type))
}
var generator = SystemRandomNumberGenerator()
var counters = [Double](repeating: 0, count: seriesCount)
let start: Int64 = 1_732_003_200_000
let cycles = 360 * hours
let before = writeBytes()
let clock = ContinuousClock()
let began = clock.now
for cycle in 0..<cycles {
    var samples: [(SeriesKey, Double)] = []
    samples.reserveCapacity(seriesCount)
    for (index, key) in keys.enumerated() {
        if key.type == .counter {
            let step = Int.random(in: 0...((index % 50 + 1) * 100), using: &generator)
            counters[index] += Double(step)
            samples.append((key, counters[index]))
        } else if index % 10 == 1 {
            samples.append((key, Double(Int.random(in: 0...1000, using: &generator)) / 10))
        } else {
            samples.append((key, Double(index % 17 + (cycle / 90) % 3)))
        }
    }
    let record = CycleRecord(
        timestamp: start + Int64(cycle) * 10_000 + Int64.random(in: -3...3, using: &generator),
        bootID: "bench",
        monotonicNanoseconds: Int64(cycle) * 10_000_000_000,
        synchronized: true
    )
    do {
        try writer.append(cycle: record, samples: samples)
        if cycle % 6 == 5 { try writer.flush() }
    } catch {
        print("store error: \(error)")
        exit(1)
    }
}
do { try writer.close() } catch { print("close: \(error)") }
let elapsed = clock.now - began
let written = writeBytes() - before
let samples = Double(cycles * seriesCount)
let raw = Double(writer.statistics.blockBytes[.raw] ?? 0)
let encoded = Double(writer.statistics.blockBytes.values.reduce(0, +))
var info = stat()
let fileBytes = stat(path, &info) == 0 ? Double(info.st_size) : 0
func fixed(_ value: Double, _ digits: Int = 2) -> String {
    let scale = Double([1, 10, 100, 1000, 10000][min(digits, 4)])
    return String(Double((value * scale).rounded()) / scale)
}
print("series                      \(seriesCount) at 10 s for \(hours) h (\(Int(samples)) samples), flush every 60 s")
print("raw bytes per sample        \(fixed(raw / samples))  (encoded blocks; target <= 2)")
print("file bytes per raw sample   \(fixed(fileBytes / samples))  (whole database incl. 1m/1h rollups, cycles, index)")
print("device bytes written / hour \(fixed(Double(written) / Double(hours) / 1_048_576)) MiB  (/proc/self/io write_bytes)")
print("write amplification         \(fixed(Double(written) / max(encoded, 1)))  (device bytes / encoded bytes; target <= 3)")
print("CPU time                    \(elapsed)")
_ = system("rm -rf \(directory)")

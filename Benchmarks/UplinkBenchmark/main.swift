import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import EdgewatchWire

#if canImport(Glibc)
import Glibc
#endif

/// Uplink bytes per sample against Prometheus remote_write 1.0 for the same samples, and the
/// request bodies for the ingest comparison (written to OUT_DIR when given); or, with `fill`, a
/// store holding a backlog of those series (the slow-link backfill benchmark).
/// With BODIES `edgewatch`, only node 0's remote_write requests are made (for the ratio) and none
/// written: a fleet's worth of them takes most of the time.
/// Usage: edgewatch-uplink-bench [SERIES=1000] [MINUTES=60] [NODES=1] [OUT_DIR] [START_MS] [BODIES=both|edgewatch]
///        edgewatch-uplink-bench fill STORE [HOURS=24] [SERIES=1000]
let arguments = CommandLine.arguments
let seriesCount = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let minutes = arguments.count > 2 ? Int(arguments[2]) ?? 60 : 60
let nodes = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
let outDirectory = arguments.count > 4 ? arguments[4] : nil
/// The first sample's time (a minute boundary; by default one in 2027, for byte counts alone).
let firstTimestamp = arguments.count > 5 ? Int64(arguments[5]) : nil
let remoteWriteBodies = arguments.count > 6 ? arguments[6] != "edgewatch" : true
let interval: Int64 = 10_000

/// node_exporter-like series: CPU modes, memory, disks, network, filesystems, then cAdvisor containers.
var keys: [SeriesKey] = []
for cpu in 0..<4 {
    for mode in ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"] {
        keys.append(SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "\(cpu)", "mode": mode], type: .counter))
    }
}
for field in ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree", "Active", "Inactive", "Dirty", "Slab", "Shmem"] {
    keys.append(SeriesKey(name: "node_memory_\(field)_bytes", labels: Labels(), type: .gauge))
}
for device in ["mmcblk0", "sda"] {
    for name in ["reads_completed", "writes_completed", "read_bytes", "written_bytes", "io_time_seconds", "io_time_weighted_seconds"] {
        keys.append(SeriesKey(name: "node_disk_\(name)_total", labels: ["device": device], type: .counter))
    }
}
for device in ["eth0", "wlan0", "cni0", "flannel.1"] {
    for name in [
        "receive_bytes", "transmit_bytes", "receive_packets", "transmit_packets", "receive_errs", "transmit_errs", "receive_drop", "transmit_drop",
    ] {
        keys.append(SeriesKey(name: "node_network_\(name)_total", labels: ["device": device], type: .counter))
    }
}
var container = 0
while keys.count < seriesCount {
    let labels: Labels = [
        "container": "app", "id": "/kubepods/burstable/pod\(container)/c\(container)", "namespace": "edge", "pod": "workload-\(container)",
    ]
    for (name, type) in [
        ("container_cpu_usage_seconds_total", MetricType.counter), ("container_memory_working_set_bytes", .gauge),
        ("container_memory_usage_bytes", .gauge), ("container_cpu_cfs_periods_total", .counter),
        ("container_cpu_cfs_throttled_periods_total", .counter), ("container_threads", .gauge),
    ] where keys.count < seriesCount {
        keys.append(SeriesKey(name: name, labels: labels, type: type))
    }
    container += 1
}

/// Deterministic pseudo-random values shaped like real ones.
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
@MainActor func random() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
}

if arguments.count > 2, arguments[1] == "fill" {
    let hours = arguments.count > 3 ? Int(arguments[3]) ?? 24 : 24
    let wanted = arguments.count > 4 ? Int(arguments[4]) ?? 1000 : 1000
    do {
        try fillBacklog(path: arguments[2], hours: hours, keys: Array(keys.prefix(wanted)))
        print("filled \(arguments[2]): \(hours) h of \(min(wanted, keys.count)) series at 10 s")
        exit(0)
    } catch {
        print("fill failed: \(error)")
        exit(1)
    }
}

let cycles = minutes * 6
let start: Int64 = (firstTimestamp ?? 1_800_000_000_000) / 60_000 * 60_000
var node = SyntheticNode(keys: keys)
let table: [[Double]] = (0..<cycles).map { _ in node.advance() }  // [cycle][series]

// edgewatch: 1-minute raw windows (what `uplink.resolution: raw` sends). The first batch carries
// the series table; later ones name it by hash (format 4), as an agent does once the hub keeps it.
let tableHash = UplinkBatch.seriesTableHash(keys)
var ourBytes = 0, ourSamples = 0, inlineBytes = 0
var batchesByNode: [[[UInt8]]] = Array(repeating: [], count: nodes)
for window in 0..<(cycles / 6) {
    let timestamps = (0..<6).map { start + Int64(window * 6 + $0) * interval }
    let block = Block(
        timestamps: timestamps,
        columns: 1,
        series: keys.indices.map { index in
            BlockSeries(id: Int64(index), present: nil, values: [(0..<6).map { table[window * 6 + $0][index] }])
        }
    )
    for node in 0..<nodes {
        var batch = UplinkBatch(
            node: "node-\(node)",
            stream: "metrics/raw/60s",
            sequence: timestamps[0],
            tier: .raw,
            series: keys,
            block: block
        )
        if node == 0 { inlineBytes += batch.compressed(version4: false).count }
        if window > 0 { batch.seriesReference = tableHash }
        let body = batch.compressed()
        if node == 0 {
            ourBytes += body.count
            ourSamples += batch.sampleCount
        }
        batchesByNode[node].append(body)
    }
}

// The live edge: one batch per 10 s slot (what goes up while the link keeps up, before the window fills).
var liveBytes = 0, liveSamples = 0
for cycle in 0..<cycles {
    let block = Block(
        timestamps: [start + Int64(cycle) * interval],
        columns: 1,
        series: keys.indices.map { BlockSeries(id: Int64($0), present: nil, values: [[table[cycle][$0]]]) }
    )
    let sequence = start + Int64(cycle) * interval
    var batch = UplinkBatch(node: "node-0", stream: "metrics/raw/10s", sequence: sequence, tier: .raw, series: keys, block: block)
    if cycle > 0 { batch.seriesReference = tableHash }
    liveBytes += batch.compressed().count
    liveSamples += batch.sampleCount
}

// 1 m summaries (the default): 10-minute windows against one batch per minute.
@MainActor func summary(minute: Int, series index: Int) -> [Double] {
    let values = (0..<6).map { table[minute * 6 + $0][index] }
    return [values.min() ?? 0, values.max() ?? 0, values.reduce(0, +), 6, values.last ?? 0]
}
@MainActor func summaryBytes(minutesPerBatch: Int) -> (bytes: Int, rows: Int) {
    var bytes = 0, rows = 0
    for first in stride(from: 0, to: cycles / 6 - minutesPerBatch + 1, by: minutesPerBatch) {
        let minutes = first..<(first + minutesPerBatch)
        let block = Block(
            timestamps: minutes.map { start + Int64($0) * 60_000 },
            columns: 5,
            series: keys.indices.map { index in
                let rows = minutes.map { summary(minute: $0, series: index) }
                return BlockSeries(id: Int64(index), present: nil, values: (0..<5).map { column in rows.map { $0[column] } })
            }
        )
        let stream = "metrics/1m/\(minutesPerBatch * 60)s"
        var batch = UplinkBatch(node: "node-0", stream: stream, sequence: block.timestamps[0], tier: .minute, series: keys, block: block)
        if first > 0 { batch.seriesReference = tableHash }
        bytes += batch.compressed().count
        rows += batch.sampleCount
    }
    return (bytes, rows)
}
let minuteWindows = summaryBytes(minutesPerBatch: 10)
let minuteSlots = summaryBytes(minutesPerBatch: 1)

// remote_write 1.0: what a Prometheus agent sends for the same scrapes — every series carries its
// labels plus job/instance, max_samples_per_send 500 (2.x default), one sample per series per request.
var rwBytes = 0, rwSamples = 0
var requestsByNode: [[([UInt8], Int)]] = Array(repeating: [], count: nodes)
for node in 0..<(remoteWriteBodies ? nodes : min(nodes, 1)) {
    var pending: [RemoteWrite.TimeSeries] = []
    func flush() {
        guard !pending.isEmpty else { return }
        let body = Snappy.compress(RemoteWrite.encode(pending))
        if node == 0 {
            rwBytes += body.count
            rwSamples += pending.count
        }
        requestsByNode[node].append((body, pending.count))
        pending = []
    }
    for cycle in 0..<cycles {
        let timestamp = start + Int64(cycle) * interval
        for (index, key) in keys.enumerated() {
            var labels = [("__name__", key.name)] + key.labels.map { ($0.name, $0.value) } + [("instance", "node-\(node):9100"), ("job", "node")]
            labels.sort { $0.0 < $1.0 }
            pending.append(RemoteWrite.TimeSeries(labels: labels, samples: [(table[cycle][index], timestamp)]))
            if pending.count == 500 { flush() }
        }
    }
    flush()
}

let ours = Double(ourBytes) / Double(ourSamples)
let theirs = Double(rwBytes) / Double(rwSamples)
print("uplink samples              \(ourSamples) (\(keys.count) series, \(minutes) min at 10 s)")
print("edgewatch uplink            \(ourBytes) bytes, \(String(ours)) bytes/sample (1-minute raw windows, zlib)")
print("remote_write 1.0            \(rwBytes) bytes, \(String(theirs)) bytes/sample (protobuf + snappy, 500 samples/request, job+instance labels)")
print("uplink ratio                \(String(ours / theirs))  (target <= 0.1)")
let inline = Double(inlineBytes) / Double(ourSamples)
print("  with the table in every batch (format 3): \(String(inline)) bytes/sample, ratio \(String(inline / theirs))")
let live = Double(liveBytes) / Double(liveSamples)
print(
    "1 m summaries               \(String(Double(minuteWindows.bytes) / Double(minuteWindows.rows))) bytes/row in 10-minute windows, "
        + "\(String(Double(minuteSlots.bytes) / Double(minuteSlots.rows))) bytes/row one minute per batch (5 values per row)"
)
print("edgewatch live slots        \(liveBytes) bytes, \(String(live)) bytes/sample (one 10 s raw slot per batch), ratio \(String(live / theirs))")

if let outDirectory {
    mkdir(outDirectory, 0o755)
    for node in 0..<nodes {
        for (index, body) in batchesByNode[node].enumerated() {
            write(body, to: "\(outDirectory)/ew-\(node)-\(String(index + 100_000)).bin")
        }
        for (index, request) in requestsByNode[node].enumerated() where remoteWriteBodies {
            write(request.0, to: "\(outDirectory)/rw-\(node)-\(String(index + 100_000))-\(request.1).bin")
        }
    }
    print("bodies written              \(outDirectory) (\(nodes) nodes, \(ourSamples * nodes) samples each way)")
}

@MainActor func write(_ bytes: [UInt8], to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { return }
    _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

import EdgewatchAgent
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchRules
import EdgewatchStore
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Rule evaluation cost in the agent's path (window upkeep every cycle, groups every minute)
/// for the default rule set over 1000 series at a 10 s interval.
/// Usage: edgewatch-rules-bench RULES_FILE [SERIES] [HOURS]
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: edgewatch-rules-bench RULES_FILE [SERIES=1000] [HOURS=2]")
    exit(2)
}
let seriesCount = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000
let hours = arguments.count > 3 ? Int(arguments[3]) ?? 2 : 2
let groups = try RuleFileParser.parse(try LocalFiles.read(arguments[1]), file: arguments[1])
let ruleCount = groups.reduce(0) { $0 + $1.rules.count }

/// Series shaped like an edge node with pods: what the default rules select, plus filler.
var keys: [SeriesKey] = []
@MainActor func add(_ name: String, _ labels: Labels, _ type: MetricType = .gauge) { keys.append(SeriesKey(name: name, labels: labels, type: type)) }
for mount in ["/", "/boot", "/var/lib/rancher", "/data"] {
    let labels: Labels = ["device": "/dev/mmcblk0p\(mount.count)", "fstype": "ext4", "mountpoint": mount]
    add("node_filesystem_avail_bytes", labels)
    add("node_filesystem_size_bytes", labels)
    add("node_filesystem_readonly", labels)
}
for name in ["node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes", "node_boot_time_seconds", "edgewatch_clock_synchronized"] {
    add(name, Labels())
}
add("node_vmstat_oom_kill", Labels(), .counter)
add("node_pressure_memory_waiting_seconds_total", Labels(), .counter)
for zone in 0..<4 { add("node_thermal_zone_temp", ["type": "cpu-thermal", "zone": "\(zone)"]) }
for condition in ["under_voltage", "frequency_capped", "throttled", "soft_temp_limit"] {
    for scope in ["now", "since_boot"] { add("edgewatch_rpi_throttle_state", ["condition": condition, "scope": scope]) }
}
var container = 0
while keys.count + 6 <= seriesCount * 6 / 10 {
    let labels: Labels = [
        "id": "/kubepods/burstable/pod\(container)/c\(container)", "namespace": "edge", "pod": "pod-\(container)", "container": "c",
    ]
    add("container_cpu_cfs_periods_total", labels, .counter)
    add("container_cpu_cfs_throttled_periods_total", labels, .counter)
    add("container_memory_working_set_bytes", labels)
    add("container_spec_memory_limit_bytes", labels)
    add("container_oom_events_total", labels, .counter)
    add("container_cpu_usage_seconds_total", labels, .counter)
    container += 1
}
var filler = 0
while keys.count < seriesCount {
    add("node_filler_metric", ["index": "\(filler)"])
    filler += 1
}

let status = RuleStatus()
var logger = Logger(label: "bench")
logger.logLevel = .error
let service = RuleService(groups: groups, defaultInterval: 60_000, externalLabels: [:], status: status, logger: logger)
let interval: Int64 = 10_000
let cycles = hours * 360
var total = Duration.zero
var evaluationCycles = 0
var evaluationTime = Duration.zero
let clock = ContinuousClock()
var outputs = 0
for cycle in 0..<cycles {
    let time = 1_800_000_000_000 + Int64(cycle) * interval
    var samples: [(SeriesKey, Double)] = []
    samples.reserveCapacity(keys.count)
    for (index, key) in keys.enumerated() {
        let value: Double
        switch key.name {
        case "node_filesystem_size_bytes": value = 32e9
        case "node_filesystem_avail_bytes": value = 30e9 - Double(cycle) * 1e6
        case "node_memory_MemTotal_bytes": value = 4e9
        case "node_memory_MemAvailable_bytes": value = 2e9 + Double(cycle % 7) * 1e6
        case "container_spec_memory_limit_bytes": value = 512e6
        case "container_memory_working_set_bytes": value = 200e6 + Double((cycle + index) % 50) * 1e6
        case "node_vmstat_oom_kill", "container_oom_events_total", "edgewatch_rpi_throttle_state": value = 0
        case "node_thermal_zone_temp": value = 50 + Double(cycle % 5)
        case "edgewatch_clock_synchronized": value = 1
        case "node_boot_time_seconds": value = 1_700_000_000
        default: value = key.type == .counter ? Double(cycle * (index % 13 + 1)) : Double((cycle + index) % 100)
        }
        samples.append((key, value))
    }
    let started = clock.now
    outputs += await service.evaluate(at: time, samples: samples).count
    let elapsed = clock.now - started
    total += elapsed
    if cycle % 6 == 0 {
        evaluationCycles += 1
        evaluationTime += elapsed
    }
}
func ms(_ duration: Duration) -> Double { Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15 }
let failing = status.groups.flatMap(\.rules).filter { $0.health == "err" }
print("rule set                    \(arguments[1]): \(groups.count) groups, \(ruleCount) rules, \(failing.count) failing")
print("series                      \(keys.count) (\(container) containers), \(cycles) cycles at 10 s, groups every 60 s")
print("rule cost per cycle         \(String(ms(total) / Double(cycles))) ms (window upkeep + evaluation, amortised)")
print("rule cost per evaluation    \(String(ms(evaluationTime) / Double(max(evaluationCycles, 1)))) ms (cycles that evaluate all groups)")
print("samples written by rules    \(outputs) (\(outputs / max(evaluationCycles, 1)) per evaluation)")

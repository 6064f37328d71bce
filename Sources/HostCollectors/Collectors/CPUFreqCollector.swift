import EdgewatchCore
import HostFS

/// node_exporter's `cpufreq`: per-CPU hardware and scaling frequencies (kHz → Hz) and governor.
public struct CPUFreqCollector: Collector {
    public let name = "cpufreq"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.sys.tree
        let cpuNames = tree.entries("devices/system/cpu", prefix: "cpu").filter { NumberParsing.unsigned($0.dropFirst(3)) != nil }
        guard !cpuNames.isEmpty else { throw .unavailable("no CPUs under \(tree.path("devices/system/cpu"))") }
        let files: [(file: String, metric: String, help: String)] = [
            ("cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current CPU thread frequency in hertz."),
            ("cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz."),
            ("cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz."),
            ("scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."),
            ("scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."),
            ("scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."),
        ]
        for cpuName in cpuNames {
            let base = "devices/system/cpu/\(cpuName)/cpufreq"
            guard let directory = try? DirectoryHandle(tree, base) else { continue }
            let cpu = String(cpuName.dropFirst(3))
            for entry in files {
                // The hardware limits do not change while running: read once per refresh period.
                let constant = entry.file == "cpuinfo_max_freq" || entry.file == "cpuinfo_min_freq"
                let value =
                    constant
                    ? context.cache.value("cpufreq:" + tree.path(base + "/" + entry.file)) { directory.value(entry.file) }
                    : directory.value(entry.file)
                guard let text = value else { continue }
                guard let kilohertz = NumberParsing.decimal(text) else {
                    issues.append(
                        ParseIssue(file: tree.path(base + "/" + entry.file), line: 1, message: "expected a frequency in kHz, got \"\(text)\"")
                    )
                    continue
                }
                metrics.add(entry.metric, entry.help, .gauge, kilohertz * 1000, ["cpu": cpu])
            }
            if let governor = directory.value("scaling_governor") {
                let available = directory.value("scaling_available_governors").map { TextScanning.fields($0).map(String.init) } ?? []
                for candidate in Set(available + [governor]).sorted() {
                    metrics.add(
                        "node_cpu_scaling_governor",
                        "Current enabled CPU frequency governor.",
                        .gauge,
                        candidate == governor ? 1 : 0,
                        ["cpu": cpu, "governor": candidate]
                    )
                }
            }
        }
    }
}

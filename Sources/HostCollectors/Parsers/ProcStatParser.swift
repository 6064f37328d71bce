import HostFS

/// The contents of `/proc/stat` that node_exporter exposes.
public struct ProcStat: Sendable {
    /// Per-CPU jiffies: user nice system idle iowait irq softirq steal guest guest_nice.
    public var cpus: [(cpu: String, jiffies: [Double])] = []
    public var interruptsTotal: Double?
    public var contextSwitches: Double?
    public var bootTime: Double?
    public var forks: Double?
    public var procsRunning: Double?
    public var procsBlocked: Double?
}

/// Parses `/proc/stat`.
public enum ProcStatParser {
    public static func parse(_ text: String, file: String) -> Parsed<ProcStat> {
        var stat = ProcStat()
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            guard let key = fields.first else { continue }
            func issue(_ message: String) {
                issues.append(ParseIssue(file: file, line: offset + 1, message: message))
            }
            func single() -> Double? {
                guard fields.count >= 2, let value = NumberParsing.decimal(fields[1]) else {
                    issue("expected \"\(key) <number>\", got \"\(line)\"")
                    return nil
                }
                return value
            }
            switch key {
            case "cpu":
                continue
            case _ where key.hasPrefix("cpu"):
                let index = key.dropFirst(3)
                guard NumberParsing.unsigned(index) != nil else {
                    issue("expected \"cpuN\" followed by jiffies, got \"\(key)\"")
                    continue
                }
                let values = fields.dropFirst().map { NumberParsing.decimal($0) }
                guard values.count >= 4, !values.contains(where: { $0 == nil }) else {
                    issue("expected at least 4 numeric jiffy columns for \(key), got \"\(line)\"")
                    continue
                }
                stat.cpus.append((String(index), values.compactMap { $0 }))
            case "intr": stat.interruptsTotal = single()
            case "ctxt": stat.contextSwitches = single()
            case "btime": stat.bootTime = single()
            case "processes": stat.forks = single()
            case "procs_running": stat.procsRunning = single()
            case "procs_blocked": stat.procsBlocked = single()
            default: continue
            }
        }
        return Parsed(stat, issues: issues)
    }
}

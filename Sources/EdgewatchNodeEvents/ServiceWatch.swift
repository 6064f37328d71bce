import EdgewatchCore
import HostFS

/// `ServiceRestarted`: the main process of a systemd unit (k3s, k3s-agent, containerd) changed.
/// The unit's cgroup is read where systemd keeps it (`system.slice/<unit>` in the v2 tree, or in
/// v1's `systemd` or `unified` hierarchy); its main process is taken as the one that started
/// first (pid and start time from `/proc/<pid>/stat`), so a new pid reused by chance is not
/// mistaken for the old process.
public struct ServiceWatch: Sendable {
    let sys: FileTree
    let proc: FileTree
    let units: [String]
    let node: String
    /// Unit → its main process (pid, start time in clock ticks since boot).
    var main: [String: (pid: Int, start: UInt64)] = [:]

    /// The units watched by default.
    public static let defaultUnits = ["k3s.service", "k3s-agent.service", "containerd.service"]

    public init(sys: FileTree, proc: FileTree, units: [String] = ServiceWatch.defaultUnits, node: String) {
        self.sys = sys
        self.proc = proc
        self.units = units
        self.node = node
    }

    /// Restarts since the last call (the first call only learns the current processes).
    public mutating func observe(at time: Int64, bootID: String) -> [EventRecord] {
        var events: [EventRecord] = []
        for unit in units {
            guard let current = mainProcess(unit) else { continue }
            defer { main[unit] = current }
            guard let previous = main[unit], previous.pid != current.pid || previous.start != current.start else { continue }
            events.append(
                EventRecord(
                    time: time,
                    source: .node,
                    type: NodeEventReason.serviceRestarted.type,
                    reason: NodeEventReason.serviceRestarted.rawValue,
                    object: EventRecord.InvolvedObject(kind: "Node", name: node),
                    message: "\(unit) restarted: main process \(previous.pid) replaced by \(current.pid)",
                    uid: "node/ServiceRestarted/\(bootID)/\(unit)/\(current.pid)/\(current.start)",
                    node: node
                )
            )
        }
        return events
    }

    /// The unit's earliest-started process, nil when the unit has no cgroup or no process.
    func mainProcess(_ unit: String) -> (pid: Int, start: UInt64)? {
        let candidates = ["fs/cgroup/system.slice/", "fs/cgroup/systemd/system.slice/", "fs/cgroup/unified/system.slice/"]
        for prefix in candidates {
            guard let text = try? sys.readText(prefix + unit + "/cgroup.procs") else { continue }
            var best: (pid: Int, start: UInt64)?
            for line in text.split(separator: "\n") {
                guard let pid = Int(line), let start = startTime(pid) else { continue }
                if best.map({ start < $0.start || (start == $0.start && pid < $0.pid) }) ?? true { best = (pid, start) }
            }
            if let best { return best }
        }
        return nil
    }

    /// Field 22 of `/proc/<pid>/stat`: start time in clock ticks after boot.
    func startTime(_ pid: Int) -> UInt64? {
        guard let text = try? proc.readText("\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}

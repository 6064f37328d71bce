import EdgewatchCore

/// Derives node-local events from consecutive collection cycles (and the kernel log): OOM kills
/// per container, containers starting, exiting and restarting, full or read-only filesystems,
/// Raspberry Pi power and thermal conditions, GPUs lost, recovered and reporting Xid errors.
/// A pure state machine: the first cycle is the baseline, later ones are compared with it.
/// Each event's uid is derived from what happened (container id and kill number, mount point and
/// the time the condition began), so recording the same happening twice stores it once.
public struct NodeEventDetector: Sendable {
    let node: String
    var bootID = ""
    var started = false
    /// Container cgroup id → its identity and OOM kill count.
    var containers: [String: ContainerState] = [:]
    /// Condition key → since when it holds (ms); present while it holds.
    var conditions: [String: Int64] = [:]
    /// Condition keys seen at least once (a condition holding at the first sight is a baseline).
    var seenConditions: Set<String> = []
    /// Xid counters by GPU and code.
    var xidCounts: [String: Double] = [:]
    /// Recent `oom-kill:` lines not yet matched to a counter increase: cgroup → (task, pid) in order.
    var pendingKills: [String: [(task: String, pid: Int)]] = [:]

    struct ContainerState: Sendable {
        var namespace: String
        var pod: String
        var container: String
        var oomKills: Double
    }

    public init(node: String) {
        self.node = node
    }

    /// The events one cycle brings: `families` as collected at `time` (ms) in boot `bootID`,
    /// with the kernel log records written since the previous cycle (nil when the kernel log
    /// cannot be read: Xid errors then come from the GPU collector's counters).
    public mutating func observe(_ families: [MetricFamily], at time: Int64, bootID: String, kernelLog: [KernelLogRecord]?) -> [EventRecord] {
        self.bootID = bootID
        for record in kernelLog ?? [] {
            if let kill = record.oomKill { pendingKills[kill.cgroup, default: []].append((kill.task, kill.pid)) }
        }
        var events: [EventRecord] = []
        let byName = Dictionary(families.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        events += containerEvents(byName, at: time)
        events += filesystemEvents(byName, at: time)
        events += throttleEvents(byName, at: time)
        events += gpuEvents(byName, at: time, kernelLog: kernelLog)
        if pendingKills.count > 256 { pendingKills.removeAll() }
        started = true
        return events
    }

    /// A node-local event about `object`.
    func event(
        _ reason: NodeEventReason,
        at time: Int64,
        object: EventRecord.InvolvedObject? = nil,
        message: String,
        key: String
    ) -> EventRecord {
        EventRecord(
            time: time,
            source: .node,
            type: reason.type,
            reason: reason.rawValue,
            object: object ?? EventRecord.InvolvedObject(kind: "Node", name: node),
            message: message,
            uid: "node/\(reason.rawValue)/\(key)",
            node: node
        )
    }

    /// How a tracked condition changed this cycle.
    enum Change {
        case began(Int64)
        case ended(since: Int64)
    }

    /// Tracks a condition: began (with its start time) or ended (with when it began); nil while
    /// it stays, and for one already holding at first sight (the baseline).
    mutating func transition(_ key: String, holds: Bool, at time: Int64) -> Change? {
        let firstSight = seenConditions.insert(key).inserted
        if holds, conditions[key] == nil {
            conditions[key] = time
            return firstSight ? nil : .began(time)
        }
        if !holds, let since = conditions.removeValue(forKey: key) {
            return .ended(since: since)
        }
        return nil
    }
}

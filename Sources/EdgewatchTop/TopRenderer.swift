/// Lays a snapshot out on a screen of any size from 80x24 up: header and uplink, the node's
/// CPU, memory, disks, network, temperatures and GPUs, then the pods table, alerts and events
/// sharing what height is left (or a pod's detail, or the help), and the key line at the bottom.
public struct TopRenderer: Sendable {
    public let snapshot: TopSnapshot
    public let state: TopState

    public init(snapshot: TopSnapshot, state: TopState) {
        self.snapshot = snapshot
        self.state = state
    }

    public func render(width: Int, height: Int) -> Frame {
        var frame = Frame(width: max(width, 20), height: max(height, 5))
        header(&frame)
        if snapshot.header.lastCycle == nil {
            frame.add("")
            frame.add("no data yet: the store holds no collection cycle (is the agent running?)", .warn)
            return frame
        }
        host(&frame)
        let bottom = 1
        let room = frame.remaining - bottom
        if state.help {
            helpLines(&frame, room: room)
        } else if state.detail, let pod = selectedPod {
            detailLines(pod, &frame, room: room)
        } else {
            // Pods first; alerts as many as fire (up to a fifth); events at least a quarter, and
            // whatever the pods leave.
            let alertRows = min(snapshot.alerts.count, max(1, room / 5))
            let eventRows = max(2, room / 4)
            let podRows = max(3, min(visiblePods.count + 2, room - (alertRows + 1) - (eventRows + 1)))
            podTable(&frame, rows: podRows)
            alertList(&frame, rows: alertRows)
            eventList(&frame, rows: frame.remaining - bottom - 1)
        }
        while frame.remaining > bottom { frame.add("") }
        keyLine(&frame)
        return frame
    }

    /// Pods after the filter, in the chosen order.
    public var visiblePods: [TopSnapshot.Pod] {
        let needle = state.filter.lowercased()
        let pods = snapshot.pods.filter { pod in
            needle.isEmpty || "\(pod.namespace)/\(pod.pod)/\(pod.container)".lowercased().contains(needle)
        }
        return pods.sorted { left, right in
            let order = Self.compare(left, right, state.sort)
            return state.descending ? order > 0 : order < 0
        }
    }

    var selectedPod: TopSnapshot.Pod? {
        let pods = visiblePods
        guard !pods.isEmpty else { return nil }
        return pods[min(state.selection[TopState.Panel.pods.rawValue], pods.count - 1)]
    }

    static func compare(_ left: TopSnapshot.Pod, _ right: TopSnapshot.Pod, _ column: TopState.Column) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        let names = order("\(left.namespace)/\(left.pod)/\(left.container)", "\(right.namespace)/\(right.pod)/\(right.container)")
        let primary: Int
        switch column {
        case .namespace: primary = order(left.namespace, right.namespace)
        case .pod: primary = order(left.pod, right.pod)
        case .container: primary = order(left.container, right.container)
        case .cpu: primary = order(left.cpuCores ?? -1, right.cpuCores ?? -1)
        case .throttled: primary = order(left.throttled ?? -1, right.throttled ?? -1)
        case .workingSet: primary = order(left.workingSetBytes ?? -1, right.workingSetBytes ?? -1)
        case .limit: primary = order(left.limitFraction ?? -1, right.limitFraction ?? -1)
        case .restarts: primary = order(left.restarts, right.restarts)
        case .oom: primary = order(left.oomKills, right.oomKills)
        case .gpu: primary = order(left.gpuMemoryBytes ?? -1, right.gpuMemoryBytes ?? -1)
        }
        return primary != 0 ? primary : -names
    }

    private func keyLine(_ frame: inout Frame) {
        if state.editingFilter {
            frame.add([.styled("filter: ", .header), .plain(state.filter + "▏"), .styled("  Enter apply · Esc clear", .dim)])
            return
        }
        frame.add(
            [
                .styled("q", .header), .plain(" quit "), .styled("?", .header), .plain(" help "), .styled("Tab", .header),
                .plain(" panel "), .styled("/", .header), .plain(" filter "), .styled("s", .header), .plain(" sort "),
                .styled("Enter", .header), .plain(" detail "), .styled("h/l", .header), .plain(" window "), .styled("p", .header),
                .plain(" pause"),
            ]
        )
    }
}

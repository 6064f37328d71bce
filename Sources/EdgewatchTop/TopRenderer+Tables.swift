/// The pods table, alerts, events, a pod's detail and the help.
extension TopRenderer {
    /// Column widths of the pods table at `width` (POD takes what is left).
    static func podWidths(_ width: Int) -> [Int] {
        let fixed = [10, 0, 12, 6, 5, 7, 5, 4, 4, 6]
        let used = fixed.reduce(0, +) + fixed.count - 1
        var widths = fixed
        widths[1] = max(8, width - used)
        if width >= 140 {
            widths[0] = 16
            widths[2] = 20
            widths[1] = max(8, width - widths.reduce(0, +) + widths[1] - (fixed.count - 1))
        }
        return widths
    }

    /// The pods table in `rows` lines (title and column header included).
    func podTable(_ frame: inout Frame, rows: Int) {
        let widths = Self.podWidths(frame.width)
        let pods = visiblePods
        let focused = state.focus == .pods
        var title =
            "PODS (\(pods.count)\(state.filter.isEmpty ? "" : " matching \"\(state.filter)\""), sort \(state.sort.title) \(state.descending ? "↓" : "↑"))"
        if snapshot.pods.isEmpty { title = "PODS (no container cgroups in the store)" }
        frame.add(title, focused ? .header : .bold)
        let headers = TopState.Column.allCases.map { column in
            Text.fit(
                column.title + (column == state.sort ? (state.descending ? "↓" : "↑") : ""),
                widths[column.rawValue],
                right: column.rawValue >= 3
            )
        }
        frame.add(headers.joined(separator: " "), .dim)
        let selected = min(state.selection[TopState.Panel.pods.rawValue], max(0, pods.count - 1))
        let visible = max(0, rows - 2)
        let first = max(0, selected - visible + 1)
        for (index, pod) in pods.enumerated().dropFirst(first).prefix(visible) {
            let cells = [
                pod.namespace, pod.pod, pod.container, pod.cpuCores.map { Text.decimal($0, 2) } ?? "-", Text.percent(pod.throttled),
                Text.bytes(pod.workingSetBytes), Text.percent(pod.limitFraction), String(pod.restarts), Text.decimal(pod.oomKills, 0),
                pod.gpuMemoryBytes.map { Text.bytes($0) } ?? "-",
            ]
            let text = cells.enumerated().map { Text.fit($0.element, widths[$0.offset], right: $0.offset >= 3) }.joined(separator: " ")
            let hot = (pod.limitFraction ?? 0) >= 0.9 || (pod.throttled ?? 0) >= 0.25 || pod.oomKills > 0
            frame.add(text, focused && index == selected ? .reverse : (hot ? .warn : .plain))
        }
    }

    func alertList(_ frame: inout Frame, rows: Int) {
        let focused = state.focus == .alerts
        let firing = snapshot.alerts.filter { $0.state == "firing" }.count
        frame.add("ALERTS (\(firing) firing, \(snapshot.alerts.count - firing) pending)", focused ? .header : .bold)
        let selected = min(state.selection[TopState.Panel.alerts.rawValue], max(0, snapshot.alerts.count - 1))
        for (index, alert) in snapshot.alerts.enumerated().dropFirst(max(0, selected - rows + 1)).prefix(rows) {
            let age = alert.activeAt.map { Text.duration(Double(snapshot.header.now - $0) / 1000) } ?? "-"
            let labels = alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let text = Text.fit(alert.state, 8) + " " + Text.fit(age, 7) + " " + alert.name + " " + labels
            frame.add(text, focused && index == selected ? .reverse : (alert.state == "firing" ? .bad : .warn))
        }
    }

    func eventList(_ frame: inout Frame, rows: Int) {
        guard rows > 0 else { return }
        let focused = state.focus == .events
        frame.add("EVENTS (last 24 h, newest first)", focused ? .header : .bold)
        let selected = min(state.selection[TopState.Panel.events.rawValue], max(0, snapshot.events.count - 1))
        for (index, event) in snapshot.events.enumerated().dropFirst(max(0, selected - rows + 1)).prefix(rows) {
            let age = Text.duration(Double(snapshot.header.now - event.time) / 1000)
            let text = Text.fit(age, 6) + " " + Text.fit(event.reason, 18) + " " + Text.fit(event.object, 28) + " " + event.message
            frame.add(text, focused && index == selected ? .reverse : (event.type == "Warning" ? .warn : .plain))
        }
    }

    func detailLines(_ pod: TopSnapshot.Pod, _ frame: inout Frame, room: Int) {
        let spark = max(10, frame.width - 30)
        frame.add("POD \(pod.namespace)/\(pod.pod) · container \(pod.container)   (Enter or Esc: back)", .header)
        frame.add("cgroup \(pod.id)", .dim)
        frame.add(
            "CPU \(pod.cpuCores.map { Text.decimal($0, 2) } ?? "-") cores   throttled \(Text.percent(pod.throttled))   OOM kills \(Text.decimal(pod.oomKills, 0))   restarts \(pod.restarts)"
        )
        frame.add(
            "memory \(Text.bytes(pod.workingSetBytes)) of limit \(pod.limitBytes.map { $0 < 1e18 ? Text.bytes($0) : "none" } ?? "none") (\(Text.percent(pod.limitFraction)))   GPU memory \(Text.bytes(pod.gpuMemoryBytes))"
        )
        let window = Text.duration(Double(snapshot.windowMilliseconds) / 1000)
        frame.add("cpu \(window)  " + Text.sparkline(pod.cpuHistory, width: spark))
        frame.add("mem \(window)  " + Text.sparkline(pod.memoryHistory, width: spark, maximum: pod.limitBytes.flatMap { $0 < 1e18 ? $0 : nil }))
        frame.add("EVENTS of this pod", .bold)
        let own = snapshot.events.filter { $0.object.hasSuffix("/" + pod.namespace + "/" + pod.pod) }
        for event in own.prefix(max(0, room - 7)) {
            frame.add(
                Text.fit(Text.duration(Double(snapshot.header.now - event.time) / 1000), 6) + " " + event.reason + " " + event.message,
                event.type == "Warning" ? .warn : .plain
            )
        }
    }

    func helpLines(_ frame: inout Frame, room: Int) {
        let lines = [
            "KEYS (any key closes this help)", "q, Ctrl-C   quit", "?           this help",
            "Tab, S-Tab  next / previous panel (pods, alerts, events)",
            "↑ ↓ j k     move the selection; PgUp PgDn by ten", "/           filter pods by namespace/pod/container; Enter apply, Esc clear",
            "s  S        next sort column; reverse the order", "Enter       a pod's detail: limits, CPU and memory history, its events",
            "h l - + ← → history window: 15m, 1h, 6h, 24h", "p           pause (keep this frame)",
            "Data comes from the agent's store; cycles reach it at each flush (store.flush_interval).",
        ]
        for (index, line) in lines.prefix(room).enumerated() { frame.add(line, index == 0 ? .header : .plain) }
    }
}

import EdgewatchCore

/// Containers: OOM kills (one event per kill, joined with the kernel's oom-kill line for the
/// process), starts, exits and restarts (same pod and container name, new id).
extension NodeEventDetector {
    mutating func containerEvents(_ families: [String: MetricFamily], at time: Int64) -> [EventRecord] {
        guard let oom = families["container_oom_events_total"] else { return [] }
        var events: [EventRecord] = []
        var current: [String: ContainerState] = [:]
        for sample in oom.samples {
            guard let id = sample.labels["id"] else { continue }
            let state = ContainerState(
                namespace: sample.labels["namespace"] ?? "",
                pod: sample.labels["pod"] ?? "",
                container: sample.labels["container"] ?? "",
                oomKills: sample.value
            )
            current[id] = state
            let before = containers[id]?.oomKills ?? 0
            if sample.value > before, started || sample.value > 0, let from = before.roundedInt64(.down), let to = sample.value.roundedInt64(.down) {
                events += oomKills(id: id, state: state, from: Int(from), to: Int(to), at: time)
            }
        }
        if started { events += lifecycle(current, at: time) }
        containers = current
        return events
    }

    /// One `OOMKilled` per kill `from+1 … to`, named after the process where the kernel said it.
    private mutating func oomKills(id: String, state: ContainerState, from: Int, to: Int, at time: Int64) -> [EventRecord] {
        guard to > from, to - from <= 1000 else { return [] }
        var events: [EventRecord] = []
        for number in (from + 1)...to {
            var process = "process unknown (kernel log not readable or not yet written)"
            if var kills = pendingKills[id], !kills.isEmpty {
                let kill = kills.removeFirst()
                pendingKills[id] = kills.isEmpty ? nil : kills
                process = "process \(kill.task) (pid \(kill.pid))"
            }
            let what =
                state.container.isEmpty
                ? (state.pod.isEmpty ? "cgroup \(id)" : "pod \(state.namespace)/\(state.pod)")
                : "container \(state.container) of pod \(state.namespace)/\(state.pod)"
            events.append(
                event(
                    .oomKilled,
                    at: time,
                    object: object(state),
                    message: "OOM killer stopped \(process) in \(what) (kill \(number))",
                    key: "\(id)/\(number)"
                )
            )
        }
        return events
    }

    /// Starts, exits and restarts of named containers since the last cycle.
    private func lifecycle(_ current: [String: ContainerState], at time: Int64) -> [EventRecord] {
        var events: [EventRecord] = []
        var exitedNames: Set<String> = []
        for (id, state) in containers.sorted(by: { $0.key < $1.key }) where current[id] == nil && !state.container.isEmpty {
            exitedNames.insert(name(state))
            events.append(
                event(
                    .containerExited,
                    at: time,
                    object: object(state),
                    message: "Container \(state.container) exited (cgroup \(short(id)) is gone)",
                    key: id
                )
            )
        }
        let previousNames = Set(containers.filter { current[$0.key] == nil }.values.map(name))
        for (id, state) in current.sorted(by: { $0.key < $1.key }) where containers[id] == nil && !state.container.isEmpty {
            let restarted = exitedNames.contains(name(state)) || previousNames.contains(name(state))
            events.append(
                event(
                    restarted ? .containerRestarted : .containerStarted,
                    at: time,
                    object: object(state),
                    message: "Container \(state.container) \(restarted ? "restarted" : "started") (cgroup \(short(id)))",
                    key: id
                )
            )
        }
        return events
    }

    private func name(_ state: ContainerState) -> String { state.namespace + "/" + state.pod + "/" + state.container }

    private func short(_ id: String) -> String { String(id.split(separator: "/").last ?? Substring(id)) }

    private func object(_ state: ContainerState) -> EventRecord.InvolvedObject? {
        state.pod.isEmpty ? nil : EventRecord.InvolvedObject(kind: "Pod", namespace: state.namespace, name: state.pod)
    }
}

import Synchronization

/// Each node's cluster (for the nodes that reported one), kept between queries on SQLite: every
/// query and label listing needs the map, and reading 2000 nodes' rows for it took a tenth of a
/// listing. A node's report is the only writer of its cluster: ``reported(node:cluster:)`` after
/// its commit keeps the map current.
final class NodeClustersCache: Sendable {
    private struct State {
        var clusters: [String: String]?
        /// Reports since start: a map read while one committed is not kept.
        var reports = 0
        /// Changes to the held map since start (``ListLabelsMemo``).
        var generation = 0
    }

    private let state = Mutex(State())

    /// The map, held or read by `load` (then kept unless a report came meanwhile).
    func clusters<Failure: Error>(load: () throws(Failure) -> [String: String]) throws(Failure) -> [String: String] {
        try clustersAndGeneration(load: load).clusters
    }

    /// The same, with the generation of the held map (nil for a map read but not kept): two
    /// queries given the same generation were given the same map.
    func clustersAndGeneration<Failure: Error>(
        load: () throws(Failure) -> [String: String]
    ) throws(Failure) -> (clusters: [String: String], generation: Int?) {
        let (held, reports, generation) = state.withLock { ($0.clusters, $0.reports, $0.generation) }
        if let held { return (held, generation) }
        let loaded = try load()
        let kept = state.withLock { state -> Int? in
            guard state.reports == reports else { return nil }
            state.clusters = loaded
            state.generation += 1
            return state.generation
        }
        return (loaded, kept)
    }

    /// A node's report committed with `cluster` (empty: none).
    func reported(node: String, cluster: String) {
        state.withLock { state in
            state.reports += 1
            let now = cluster.isEmpty ? nil : cluster
            // Written only when it changed: the map is shared with the queries that took it, and
            // a write would copy it (a report comes with every batch).
            guard state.clusters != nil, state.clusters?[node] != now else { return }
            state.clusters?[node] = now
            state.generation += 1
        }
    }
}

import EdgewatchCore

extension Labels {
    /// With the `cluster` label of the series' node (from what the node reported), unless the
    /// series has one of its own or the node named none: queries and remote_write see the same.
    func addingCluster(_ clusters: [String: String]) -> Labels {
        guard self["cluster"] == nil, let node = self["node"], let cluster = clusters[node], !cluster.isEmpty else { return self }
        return adding("cluster", cluster)
    }
}

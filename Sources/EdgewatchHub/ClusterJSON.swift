/// One cluster in `GET /api/v1/nodes?group=cluster`: its nodes and how many are in each health.
struct ClusterJSON: Encodable {
    var cluster: String
    var fresh: Int
    var late: Int
    var silent: Int
    var firingAlerts: Int
    var nodes: [NodeJSON]

    init(cluster: String, nodes: [NodeJSON]) {
        self.cluster = cluster
        self.nodes = nodes.sorted { $0.node < $1.node }
        fresh = nodes.filter { $0.health == .fresh }.count
        late = nodes.filter { $0.health == .late }.count
        silent = nodes.filter { $0.health == .silent }.count
        firingAlerts = nodes.reduce(0) { $0 + $1.firingAlerts }
    }
}

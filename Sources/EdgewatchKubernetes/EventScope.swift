/// Which Kubernetes events an agent keeps.
public enum EventScope: String, Sendable, CaseIterable {
    /// Events about this Node, about pods bound to it, or reported from it.
    case node
    /// Every event of the cluster (one agent per cluster, e.g. on the server).
    case cluster
}

/// Why talking to the apiserver failed, in words that say what to fix.
public enum KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Credentials or settings that cannot work (a kubeconfig without a server, an unreadable file).
    case configuration(String)
    /// The apiserver answered with an HTTP error status.
    case status(Int, String)
    /// A `410 Gone`/`Expired`: the resourceVersion is too old; relist.
    case expired(String)
    /// Connecting, TLS or the stream failed.
    case transport(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .status(let code, let message): "apiserver answered \(code): \(message)"
        case .expired(let message): "resourceVersion expired (410): \(message)"
        case .transport(let message): message
        }
    }
}

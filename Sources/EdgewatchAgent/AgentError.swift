/// Why the agent could not run.
public enum AgentError: Error, Sendable, CustomStringConvertible {
    case listen(String)
    case store(String)
    case rules(String)
    case uplink(String)
    case kubernetes(String)
    case logs(String)

    public var description: String {
        switch self {
        case .listen(let message), .store(let message), .rules(let message), .uplink(let message), .kubernetes(let message), .logs(let message):
            return message
        }
    }
}

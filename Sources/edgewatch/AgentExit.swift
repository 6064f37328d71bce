import EdgewatchAgent

/// The agent's exit statuses (sysexits.h), documented in the README:
/// 0 stopped by SIGTERM/SIGINT; 78 a configuration problem (config file, flags, rule files, uplink
/// or Kubernetes credentials, a journal that logs.enabled: true cannot open); 74 the store cannot be created, opened or written; 69 the listen address cannot be
/// bound; 1 anything else.
enum AgentExit {
    static let configuration: Int32 = 78
    static let storage: Int32 = 74
    static let unavailable: Int32 = 69

    static func code(for error: AgentError) -> Int32 {
        switch error {
        case .rules, .uplink, .kubernetes, .logs: return configuration
        case .store: return storage
        case .listen: return unavailable
        }
    }
}

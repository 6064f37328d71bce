import EdgewatchConfig
import HostCollectors
import HostFS
import Logging

/// `edgewatch doctor`: checks what the agent needs from this node — cgroups, PSI, the kubepods
/// tree, pod logs, GPUs, the clock, the store, the journal, the hub and Kubernetes credentials —
/// through the same code the agent uses, and says for each what to do.
public struct NodeDoctor: Sendable {
    public var agent: Agent
    public var context: CollectionContext
    public var environment: [String: String]

    public init(agent: Agent, context: CollectionContext, environment: [String: String]) {
        self.agent = agent
        self.context = context
        self.environment = environment
    }

    /// Every check, in a fixed order.
    public func checks() async -> [DoctorCheck] {
        var result = [cgroups(), pressure(), kubepods(), podLogs(), gpus(), clock()]
        result.append(store())
        result.append(journal())
        result.append(await hub())
        result.append(kubernetes())
        return result
    }

    var configuration: AgentConfiguration { agent.configuration }
}

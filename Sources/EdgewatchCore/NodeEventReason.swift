/// The reasons of node-local events: stable names (documented in the README), each with the
/// Kubernetes event type it carries.
public enum NodeEventReason: String, Sendable, CaseIterable {
    case oomKilled = "OOMKilled"
    case nodeRebooted = "NodeRebooted"
    case underVoltage = "UnderVoltage"
    case underVoltageEnded = "UnderVoltageEnded"
    case throttled = "Throttled"
    case throttledEnded = "ThrottledEnded"
    case frequencyCapped = "FrequencyCapped"
    case frequencyCappedEnded = "FrequencyCappedEnded"
    case gpuXidError = "GPUXidError"
    case gpuLost = "GPULost"
    case gpuRecovered = "GPURecovered"
    case filesystemFull = "FilesystemFull"
    case filesystemReadOnly = "FilesystemReadOnly"
    case clockJump = "ClockJump"
    case clockSynchronized = "ClockSynchronized"
    case containerStarted = "ContainerStarted"
    case containerExited = "ContainerExited"
    case containerRestarted = "ContainerRestarted"
    case serviceRestarted = "ServiceRestarted"
    case agentStarted = "AgentStarted"
    case agentStopped = "AgentStopped"

    /// `Warning` for what needs a look, `Normal` for the rest (ends of conditions, starts, stops).
    public var type: String {
        switch self {
        case .oomKilled, .nodeRebooted, .underVoltage, .throttled, .frequencyCapped, .gpuXidError, .gpuLost, .filesystemFull,
            .filesystemReadOnly, .clockJump, .containerRestarted, .serviceRestarted:
            "Warning"
        default:
            "Normal"
        }
    }
}

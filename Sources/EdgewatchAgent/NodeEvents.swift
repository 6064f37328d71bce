import EdgewatchCore
import EdgewatchNodeEvents
import HostFS

/// The collection loop's node-local event source: the detector over each cycle plus the kernel
/// log, whose read position (boot id and sequence) is stored so a restart reports no line twice.
struct NodeEvents {
    static let positionKey = "kmsg.position"

    private var detector: NodeEventDetector
    private var services: ServiceWatch
    private let log: KernelLog?
    private let bootID: String

    init(node: String, kernelLogPath: String, bootID: String, stored: String?, sys: FileTree, proc: FileTree) {
        detector = NodeEventDetector(node: node)
        services = ServiceWatch(sys: sys, proc: proc, node: node)
        self.bootID = bootID
        let parts = stored?.split(separator: " ") ?? []
        let after = parts.count == 2 && parts[0] == bootID ? UInt64(parts[1]) : nil
        let log = kernelLogPath.isEmpty ? nil : KernelLog(path: kernelLogPath, after: after)
        self.log = log?.isOpen == true ? log : nil
    }

    /// The events of one cycle, and the kernel log position to store with them (nil: unchanged).
    mutating func observe(_ snapshot: MetricSnapshot, at time: Int64) -> (events: [EventRecord], position: String?) {
        let before = log?.lastSequence
        let records = log?.read()
        let events = detector.observe(snapshot.families, at: time, bootID: bootID, kernelLog: records) + services.observe(at: time, bootID: bootID)
        let after = log?.lastSequence
        return (events, after != before ? after.map { "\(bootID) \($0)" } : nil)
    }
}

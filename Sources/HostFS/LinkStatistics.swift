/// One network interface's counters as the kernel keeps them (`struct rtnl_link_stats64`, in its
/// field order: rx/tx packets, bytes, errors, dropped, multicast, collisions, rx length/over/crc/
/// frame/fifo/missed errors, tx aborted/carrier/fifo/heartbeat/window errors, rx/tx compressed,
/// rx nohandler, …). Kernels add fields at the end; absent ones read as 0.
public struct LinkStatistics: Sendable, Equatable {
    public var name: String
    public var counters: [UInt64]

    public init(name: String, counters: [UInt64]) {
        self.name = name
        self.counters = counters
    }

    /// The counter at `field`, 0 when this kernel does not report it.
    public subscript(field: Field) -> UInt64 { field.rawValue < counters.count ? counters[field.rawValue] : 0 }

    /// The fields node_exporter's netlink mode reports.
    public enum Field: Int, Sendable {
        case rxPackets = 0
        case txPackets, rxBytes, txBytes, rxErrors, txErrors, rxDropped, txDropped, multicast, collisions
        case rxFrameErrors = 13
        case rxFifoErrors = 14
        case txCarrierErrors = 17
        case txFifoErrors = 18
        case rxCompressed = 21
        case txCompressed, rxNohandler
    }
}

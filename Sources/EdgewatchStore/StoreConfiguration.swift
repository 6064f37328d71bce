/// How the store is opened.
public struct StoreConfiguration: Sendable, Equatable {
    /// The database file; `-wal` and `-shm` files live beside it.
    public var path: String
    /// Hard cap for the database plus its write-ahead log, in bytes.
    public var maxBytes: Int64
    /// Expected collection interval (ms): a longer pause between cycles is recorded as a gap.
    public var intervalMilliseconds: Int64
    /// The node name events recorded here carry (node-local events are about this node).
    public var nodeName: String
    /// Facts kept in the store's meta table for its readers (`export` names the cluster and the
    /// uplink's window layout from them), written at open when changed.
    public var metadata: [String: String] = [:]
    /// Bytes the captured journal entries may take (oldest dropped first).
    public var logsMaxBytes: Int64 = 4 << 20
    /// How long after the kernel booted rows taken before the boot's first clock sync are held
    /// for the correction that sync brings (the uplink does not send them meanwhile); rows taken
    /// later, unsynchronised, are final as taken and never corrected. nil: nothing is held and
    /// pre-sync rows are corrected whenever the sync comes (no uplink to keep consistent).
    public var clockSyncWaitMilliseconds: Int64?
    /// Values (a raw sample is one, a rollup row five) the writer buffers while flushes keep
    /// failing (a full or read-only disk); past it the oldest quarter is dropped as a
    /// `not_stored` gap. About 16 bytes each.
    public var maxPendingValues = 500_000

    /// The smallest budget the store accepts.
    public static let minimumBytes: Int64 = 256 * 1024

    public init(path: String, maxBytes: Int64 = 256 << 20, intervalMilliseconds: Int64 = 10_000, nodeName: String = "") {
        self.path = path
        self.nodeName = nodeName
        self.maxBytes = maxBytes
        self.intervalMilliseconds = intervalMilliseconds
    }

    /// Bytes kept free for the write-ahead log of one flush.
    var walReserveBytes: Int64 { min(max(maxBytes / 8, 64 * 1024), 8 << 20) }
}

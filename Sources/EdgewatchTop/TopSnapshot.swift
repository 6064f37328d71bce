/// Everything one `top` frame shows, read from the store: also what `--json` prints.
public struct TopSnapshot: Codable, Sendable, Equatable {
    public struct Header: Codable, Sendable, Equatable {
        public var node = ""
        public var board = ""
        public var kernel = ""
        public var uptimeSeconds: Double?
        public var clockSynchronized: Bool?
        /// Time of the newest stored cycle (ms) and its age at `now`.
        public var lastCycle: Int64?
        public var lastCycleAgeSeconds: Double?
        /// The agent is taken as running while its newest cycle is younger than three intervals
        /// plus one flush (the store receives cycles at each flush).
        public var agentRunning = false
        public var now: Int64 = 0
    }

    public struct CPU: Codable, Sendable, Equatable {
        /// Busy fraction (0…1) over the last two cycles, total and per core.
        public var total: Double?
        public var cores: [Double] = []
        public var load: [Double] = []
        /// Fraction of time some task waited for CPU (PSI), over the last two cycles.
        public var pressure: Double?
        /// Busy fraction over the history window, oldest first.
        public var history: [Double] = []
        /// The same per core.
        public var coreHistory: [[Double]] = []
    }

    public struct Memory: Codable, Sendable, Equatable {
        public var totalBytes: Double?
        public var availableBytes: Double?
        public var cachedBytes: Double?
        public var swapTotalBytes: Double?
        public var swapFreeBytes: Double?
        public var pressure: Double?
        /// Used fraction over the history window.
        public var history: [Double] = []
    }

    public struct Device: Codable, Sendable, Equatable {
        public var name: String
        /// Bytes per second read/received and written/sent.
        public var inRate: Double?
        public var outRate: Double?
    }

    public struct Filesystem: Codable, Sendable, Equatable {
        public var mountpoint: String
        public var device: String
        public var sizeBytes: Double
        public var usedFraction: Double
    }

    public struct Temperature: Codable, Sendable, Equatable {
        public var sensor: String
        public var celsius: Double
    }

    public struct GPU: Codable, Sendable, Equatable {
        public var gpu: String
        public var utilization: Double?
        public var memoryUsedBytes: Double?
        public var memoryTotalBytes: Double?
        public var temperature: Double?
        public var powerWatts: Double?
        public var smClockMHz: Double?
        public var up = true
    }

    public struct Pod: Codable, Sendable, Equatable {
        public var namespace: String
        public var pod: String
        public var container: String
        public var id: String
        /// CPU cores used over the last two cycles.
        public var cpuCores: Double?
        /// Throttled fraction of CFS periods over the last two cycles.
        public var throttled: Double?
        public var workingSetBytes: Double?
        public var limitBytes: Double?
        public var restarts: Int = 0
        public var oomKills: Double = 0
        public var gpuMemoryBytes: Double?
        /// CPU cores over the history window (the detail view's sparkline).
        public var cpuHistory: [Double] = []
        public var memoryHistory: [Double] = []

        /// Working set as a fraction of the limit, when there is one.
        public var limitFraction: Double? {
            guard let workingSetBytes, let limitBytes, limitBytes > 0, limitBytes < 1e18 else { return nil }
            return workingSetBytes / limitBytes
        }
    }

    public struct Alert: Codable, Sendable, Equatable {
        public var name: String
        public var state: String
        public var labels: [String: String]
        /// When it became active (ms), from ALERTS_FOR_STATE.
        public var activeAt: Int64?
    }

    public struct Event: Codable, Sendable, Equatable {
        public var time: Int64
        public var type: String
        public var reason: String
        public var object: String
        public var message: String
        public var count: Int64
    }

    public struct Uplink: Codable, Sendable, Equatable {
        public var configured = false
        /// Windows owed behind the live edge.
        public var backlogWindows: Int64 = 0
        /// End of the newest acknowledged window (ms).
        public var lastAcknowledged: Int64?
        public var deadLetters = 0
        /// Whether the newest acknowledged window is within two windows of the newest cycle.
        public var current = false
    }

    public var header = Header()
    public var cpu = CPU()
    public var memory = Memory()
    public var disks: [Device] = []
    public var filesystems: [Filesystem] = []
    public var network: [Device] = []
    public var temperatures: [Temperature] = []
    /// Raspberry Pi firmware conditions holding now (under_voltage, throttled, …).
    public var throttling: [String] = []
    public var gpus: [GPU] = []
    public var pods: [Pod] = []
    public var alerts: [Alert] = []
    public var events: [Event] = []
    public var uplink = Uplink()
    /// The history window shown (ms) and where its data came from (raw, 1m, 1h).
    public var windowMilliseconds: Int64 = 900_000
    public var historyTier = "raw"

    public init() {}
}

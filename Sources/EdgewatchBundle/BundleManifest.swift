/// `manifest.json`, the first entry of a bundle: who wrote it, what range it covers, the clock
/// and boot history over that range, the gaps, and each part with its size and SHA-256.
/// Times are Unix milliseconds; a reader refuses a `version` newer than ``currentVersion``.
public struct BundleManifest: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public static let fileName = "manifest.json"

    public struct Range: Codable, Sendable, Equatable {
        public var from: Int64
        public var to: Int64
        public init(from: Int64, to: Int64) {
            self.from = from
            self.to = to
        }
    }

    /// One boot of the node seen in the range, and whether its clock was synchronised.
    public struct ClockSpan: Codable, Sendable, Equatable {
        public var bootID: String
        public var from: Int64
        public var to: Int64
        public var synced: Bool
        /// Correction applied to this span's times after the clock was set (ms).
        public var offsetMilliseconds: Int64

        enum CodingKeys: String, CodingKey {
            case bootID = "bootId"
            case from, to, synced, offsetMilliseconds
        }

        public init(bootID: String, from: Int64, to: Int64, synced: Bool, offsetMilliseconds: Int64) {
            self.bootID = bootID
            self.from = from
            self.to = to
            self.synced = synced
            self.offsetMilliseconds = offsetMilliseconds
        }
    }

    /// The resolution metrics were read at over part of the range (auto picks the finest held).
    public struct Span: Codable, Sendable, Equatable {
        public var resolution: String
        public var from: Int64
        public var to: Int64
        public init(resolution: String, from: Int64, to: Int64) {
            self.resolution = resolution
            self.from = from
            self.to = to
        }
    }

    public struct Gap: Codable, Sendable, Equatable {
        public var from: Int64
        public var to: Int64
        public var resolution: String
        public var kind: String
        public init(from: Int64, to: Int64, resolution: String, kind: String) {
            self.from = from
            self.to = to
            self.resolution = resolution
            self.kind = kind
        }
    }

    public struct Part: Codable, Sendable, Equatable {
        public var name: String
        /// `openmetrics`, `jsonl`, `csv`, or `text` (pod logs).
        public var format: String
        /// What it holds: `metrics`, `events`, `alerts`, `logs`, `podlogs`.
        public var kind: String
        /// Lines or samples, by kind: samples for metrics, records otherwise.
        public var count: Int64
        public var bytes: Int64
        public var sha256: String
        public init(name: String, format: String, kind: String, count: Int64, bytes: Int64, sha256: String) {
            self.name = name
            self.format = format
            self.kind = kind
            self.count = count
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// The uplink's window layout when the bundle was written, so an import uses the same keys.
    public struct Uplink: Codable, Sendable, Equatable {
        public var resolution: String
        public var windowSeconds: Int64
        public init(resolution: String, windowSeconds: Int64) {
            self.resolution = resolution
            self.windowSeconds = windowSeconds
        }
    }

    public var format = "edgewatch-bundle"
    public var version = BundleManifest.currentVersion
    public var node: String
    public var cluster: String
    public var agentVersion: String
    public var exportedAt: Int64
    public var requested: Range
    /// First and last sample or record in the bundle (nil when it holds none).
    public var covered: Range?
    /// `raw`, `1m`, `1h` or `auto`, and the resolutions actually written.
    public var resolution: String
    public var resolutions: [String]
    public var spans: [Span]
    /// The store's newest collection cycle when exported: uplink windows ending after it were
    /// still open, so an import leaves them to the uplink.
    public var lastCycle: Int64?
    public var selector: String?
    public var uplink: Uplink?
    public var clock: [ClockSpan]
    public var gaps: [Gap]
    public var parts: [Part]
    /// What the export could not include, and why (a journal it could not open).
    public var notes: [String] = []

    public init(
        node: String,
        cluster: String,
        agentVersion: String,
        exportedAt: Int64,
        requested: Range,
        resolution: String
    ) {
        self.node = node
        self.cluster = cluster
        self.agentVersion = agentVersion
        self.exportedAt = exportedAt
        self.requested = requested
        self.resolution = resolution
        resolutions = []
        spans = []
        clock = []
        gaps = []
        parts = []
    }

    /// The part named `name`, if listed.
    public func part(_ name: String) -> Part? { parts.first { $0.name == name } }
}

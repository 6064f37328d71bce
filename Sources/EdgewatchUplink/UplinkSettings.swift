import EdgewatchCore
import EdgewatchEncoding

extension UplinkService {
    /// Where and how the uplink sends: the hub, the node's credentials, the tier and window width.
    public struct Settings: Sendable {
        public var url: HTTPURL
        public var token: String
        public var node: String
        public var nodeSecret: String
        public var tier: Tier
        public var maxBatchBytes: Int
        /// Bytes per second, 0 for no cap.
        public var bandwidth: Int64
        public var storePath: String
        public var statePath: String
        /// Window width override (0: by tier).
        public var windowOverride: Int64

        public init(
            url: HTTPURL,
            token: String,
            node: String,
            nodeSecret: String,
            tier: Tier,
            maxBatchBytes: Int,
            bandwidth: Int64,
            storePath: String,
            statePath: String,
            windowMilliseconds: Int64 = 0
        ) {
            self.url = url
            self.token = token
            self.node = node
            self.nodeSecret = nodeSecret
            self.tier = tier
            self.maxBatchBytes = maxBatchBytes
            self.bandwidth = bandwidth
            self.storePath = storePath
            self.statePath = statePath
            windowOverride = windowMilliseconds
        }

        /// Window width: 1 minute of raw samples, 10 minutes of 1 m summaries, 6 hours of 1 h ones.
        public var windowMilliseconds: Int64 {
            if windowOverride > 0 { return windowOverride }
            switch tier {
            case .raw: return 60_000
            case .minute: return 600_000
            case .hour: return 21_600_000
            }
        }

        /// The stream name carries the tier and window width, so a changed width never reuses old keys.
        var stream: String { "metrics/\(tier.name)/\(windowMilliseconds / 1000)s" }
        var alertStream: String { "alerts/\(tier.name)/\(windowMilliseconds / 1000)s" }
        /// Streams of this tier with any window width.
        var streamPrefix: String { "metrics/\(tier.name)/" }
    }
}

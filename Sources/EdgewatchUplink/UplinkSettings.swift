import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import NIOSSL

extension UplinkService {
    /// Where and how the uplink sends: the hub, the node's credentials, the tier and window width.
    public struct Settings: Sendable {
        public var url: HTTPURL
        /// TLS for an https:// URL.
        public var tls: NIOSSLContext?
        public var token: String
        public var node: String
        /// The node's cluster (`node.cluster`), sent with every batch; empty: none.
        public var cluster = ""
        public var nodeSecret: String
        public var tier: Tier
        public var maxBatchBytes: Int
        /// Bytes per second, 0 for no cap.
        public var bandwidth: Int64
        public var storePath: String
        public var statePath: String
        /// Window width override (0: by tier).
        public var windowOverride: Int64
        /// The agent's collection interval: raw data goes up one interval's slot at a time.
        public var intervalMilliseconds: Int64

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
            windowMilliseconds: Int64 = 0,
            intervalMilliseconds: Int64 = 10_000,
            tls: NIOSSLContext? = nil
        ) {
            self.url = url
            self.tls = tls
            self.token = token
            self.node = node
            self.nodeSecret = nodeSecret
            self.tier = tier
            self.maxBatchBytes = maxBatchBytes
            self.bandwidth = bandwidth
            self.storePath = storePath
            self.statePath = statePath
            windowOverride = windowMilliseconds
            self.intervalMilliseconds = intervalMilliseconds
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

        /// Width of a live slot: the live edge goes up one slot at a time as soon as it is complete
        /// (raw: one collection interval; 1 m summaries: each minute; 1 h: each hour). The largest
        /// whole number of seconds at most that which divides the window, so slots tile windows.
        public var slotMilliseconds: Int64 {
            let window = windowMilliseconds
            let wanted: Int64
            switch tier {
            case .raw: wanted = max(intervalMilliseconds, 1_000)
            case .minute: wanted = 60_000
            case .hour: wanted = 3_600_000
            }
            var slot = min(wanted, window) / 1_000 * 1_000
            while slot > 1_000, window % slot != 0 { slot -= 1_000 }
            return slot >= 1_000 && window % slot == 0 ? slot : window
        }

        /// Slots per window: the backlog goes up a whole window per batch where it can.
        var windowSlots: Int64 { windowMilliseconds / slotMilliseconds }

        /// The stream of a batch of `slots` slots of clock era `era`. The name carries the tier, the era
        /// and the batch's width, so a changed width or a clock gone back never reuses old keys; the
        /// cursor is kept under the one-slot stream.
        func stream(slots: Int64, alerts: Bool = false, era: Int64 = 0) -> String {
            UplinkStream.name(kind: alerts ? "alerts" : "metrics", tier: tier, widthMilliseconds: slots * slotMilliseconds, era: era)
        }

        /// The cursor's stream (one slot) of era 0.
        var stream: String { stream(slots: 1) }
        /// Streams of this tier and clock era with any window width.
        func streamPrefix(era: Int64 = 0) -> String { "metrics/\(UplinkStream.family(tier: tier, era: era))/" }
    }
}

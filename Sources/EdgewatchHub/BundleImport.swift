import EdgewatchBundle
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchWire
import FoundationEssentials

/// A verified bundle ready to store: its samples filed by uplink window in a scratch spill, its
/// events by window. Built in one pass over the bundle; nothing reaches the hub's database until
/// the whole bundle has proved sound (checksums, sizes, syntax, limits).
///
/// Windows use the uplink's keys — stream `metrics/<resolution>/<width>s` (or `alerts/…` for
/// `ALERTS` series and events) and the window's start as sequence — so a window the uplink
/// delivered, or an earlier import stored, is a duplicate. Windows the bundle holds only in part
/// (cut by the requested range, or still open when exported) are left to the uplink.
struct BundleImport {
    struct Window: Hashable {
        var stream: String
        var sequence: Int64
        var tier: Tier
        var width: Int64
    }

    let manifest: BundleManifest
    let spill: SpillTable
    /// Window of each spill group.
    let windows: [Int64: Window]
    let series: [SeriesKey]
    let events: [Window: [EventRecord]]
    let gaps: [Window: [UplinkBatch.Gap]]
    let skippedWindows: Int
    let samples: Int64

    /// Stream, width and completeness for the bundle's windows.
    struct Layout {
        let manifest: BundleManifest

        func width(_ tier: Tier) -> Int64 {
            if let uplink = manifest.uplink, uplink.resolution == tier.name, uplink.windowSeconds > 0 { return uplink.windowSeconds * 1000 }
            switch tier {
            case .raw: return 60_000
            case .minute: return 600_000
            case .hour: return 21_600_000
            }
        }

        func window(_ timestamp: Int64, tier: Tier, alerts: Bool) -> Window {
            let width = width(tier)
            let start = (timestamp >= 0 ? timestamp / width : (timestamp - width + 1) / width) * width
            return Window(stream: "\(alerts ? "alerts" : "metrics")/\(tier.name)/\(width / 1000)s", sequence: start, tier: tier, width: width)
        }

        /// Whether the bundle holds the whole window: inside the requested range and closed when exported.
        func isComplete(_ window: Window) -> Bool {
            window.sequence >= manifest.requested.from && window.sequence + window.width - 1 <= manifest.requested.to
                && window.sequence + window.width <= (manifest.lastCycle ?? manifest.exportedAt)
        }

        /// The tier of a sample time, from the manifest's spans.
        func tier(at timestamp: Int64) -> Tier? {
            guard let span = manifest.spans.first(where: { $0.from <= timestamp && timestamp <= $0.to }) else { return nil }
            return Tier.allCases.first { $0.name == span.resolution }
        }
    }
}

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
/// delivered, or an earlier import stored, is a duplicate. Samples finer than the uplink's
/// resolution are summarised to it as the agent does (see ``ImportLayout``). Windows the bundle holds only in part
/// (cut by the requested range, or still open when exported) are left to the uplink.
struct BundleImport {
    struct Window: Hashable {
        var stream: String
        var sequence: Int64
        /// The tier of the batch's values; coarser than the stream's when the bundle held only that.
        var tier: Tier
        var width: Int64
        var downgradedFrom: Tier?
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
}

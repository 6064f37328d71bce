/// The answer to an accepted import: what was stored, what the hub already had, what was left
/// to the uplink.
struct ImportReply: Encodable, Sendable {
    var node: String
    /// Uplink windows the bundle held whole, and how many of them were new.
    var windows = 0
    var stored = 0
    var duplicates = 0
    /// Windows the bundle held only in part (cut by its range or still open when exported).
    var skippedWindows = 0
    var samples: Int64 = 0
    var events = 0

    enum CodingKeys: String, CodingKey {
        case node, windows, stored, duplicates, samples, events
        case skippedWindows = "skipped_windows"
    }
}

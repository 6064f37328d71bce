/// A ``SeriesPresence`` row's node and span as the window checks read them
/// (``PresenceRows/holdsEverySeries(_:start:end:)``, ``PresenceRows/nodesShowingPoint(_:nodeCount:start:end:)``):
/// held by ``PresenceMirror`` and by a listing's ``PresenceRows`` alike.
protocol PresenceSpan {
    /// Its node, by number.
    var node: Int { get }
    var minTS: Int64 { get }
    var maxTS: Int64 { get }
    /// The longest time between consecutive points in the span, if known.
    var gap: Int64? { get }
    /// Whether each of its series has a point at all its times.
    var dense: Bool { get }
}

extension PresenceRows.Row: PresenceSpan {}

extension PresenceMirror.Row: PresenceSpan {}

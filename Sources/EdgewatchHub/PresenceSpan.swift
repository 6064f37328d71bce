/// A ``SeriesPresence`` row's span as the window checks read it
/// (``PresenceRows/holdsEverySeries(_:start:end:)``): held by ``PresenceMirror`` and by a listing's
/// ``PresenceRows`` alike.
protocol PresenceSpan {
    var minTS: Int64 { get }
    var maxTS: Int64 { get }
    /// The longest time between consecutive points in the span, if known.
    var gap: Int64? { get }
    /// Whether each of its series has a point at all its times.
    var dense: Bool { get }
}

extension PresenceRows.Row: PresenceSpan {}

extension PresenceMirror.Row: PresenceSpan {}

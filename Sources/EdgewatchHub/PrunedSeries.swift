import EdgewatchCore

/// A series retention deleted from the series table once none of its node's blocks held it any
/// more (its last 1 h summary gone): its id and label set (with `__name__` and `node`), for the
/// caches that map one to the other to forget.
struct PrunedSeries: Equatable, Sendable {
    var id: Int64
    var labels: Labels
}

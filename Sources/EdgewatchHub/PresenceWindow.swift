/// A window's rows as ``PresenceMirror`` holds them, for ``PresenceRows/init(_:loader:)``: nodes
/// and lists by the mirror's numbers, with the tables that name them and what listings learned
/// of the lists' labels.
struct PresenceWindow: Sendable {
    var rows: [PresenceMirror.Row] = []
    /// Node names by number.
    var nodes: [String] = []
    /// Node numbers in the order of their names (empty: not known, and a `node` listing is not
    /// answered from the window alone: ``knownNodes(start:end:)``).
    var nodeOrder: [Int] = []
    /// List digests by number.
    var digests: [DigestBytes] = []
    /// Content digests by number (``PresenceContentDigest``).
    var contents: [DigestBytes] = []
    /// The lists' labels, for the clusters the listing reads (empty when they changed since).
    var memo = ListLabelsMemo()
    /// The mirror's numbering the numbers are of (``PresenceMirror/learn(_:generation:numbering:)``).
    var numbering = 0
}

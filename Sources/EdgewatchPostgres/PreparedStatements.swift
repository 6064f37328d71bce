/// Which statements a connection's session has prepared, and how the next run of one should go.
///
/// A statement (its text and its parameters' types) is prepared the second time it runs, so a
/// one-off costs no extra round trip and one run again and again is parsed once per session.
/// Bounded: past `capacity` prepared statements the rest run unnamed, as before. Names are never
/// reused within a session, so a statement forgotten here but still prepared on the server cannot
/// collide with a new one; and each connection's names carry a random prefix, so behind a pooler
/// that lends another session (another connection's statements) a name is missing there, an
/// error, and never someone else's statement.
struct PreparedStatements {
    /// A statement as the server sees it: the same text with other parameter types is another.
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    /// How to run a statement.
    enum Plan: Equatable {
        /// Parsed and planned for this run only.
        case unnamed
        /// Prepare it under this name first, then run it.
        case prepare(String)
        /// Run the statement prepared under this name.
        case prepared(String)
    }

    private var names: [Key: String] = [:]
    private var seen: Set<Key> = []
    private var issued = 0
    /// Set once the server showed that statements do not stay prepared (a pooler lending another
    /// session per transaction): from then on everything runs unnamed.
    private(set) var disabled = false
    let capacity: Int
    /// What every name starts with.
    let prefix: String

    init(capacity: Int = 128, prefix: String = "edgewatch_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))_") {
        self.capacity = capacity
        self.prefix = prefix
    }

    /// The number of statements prepared in this session.
    var count: Int { names.count }

    /// How to run `key` now. A `.prepare` answer wants ``prepared(_:as:)`` once the server took it.
    mutating func plan(_ key: Key) -> Plan {
        guard !disabled else { return .unnamed }
        if let name = names[key] { return .prepared(name) }
        guard names.count < capacity else { return .unnamed }
        guard seen.remove(key) != nil else {
            // First sight; the sightings are bounded like the names (forgetting them only delays).
            if seen.count >= capacity * 4 { seen.removeAll(keepingCapacity: true) }
            seen.insert(key)
            return .unnamed
        }
        issued += 1
        return .prepare(prefix + String(issued))
    }

    /// Records that the server prepared `key` under `name`.
    mutating func prepared(_ key: Key, as name: String) {
        names[key] = name
    }

    /// Forgets `key` (the server refused to run it as prepared, after a schema change): it is
    /// prepared again, under a new name, the next time it is seen twice.
    mutating func forget(_ key: Key) {
        names[key] = nil
    }

    /// A new session (after a reconnect) holds no prepared statements; a pooler found before is
    /// still there.
    mutating func reset() {
        names.removeAll()
        seen.removeAll()
    }

    /// Runs everything unnamed from now on.
    mutating func disable() {
        names.removeAll()
        seen.removeAll()
        disabled = true
    }
}

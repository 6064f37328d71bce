/// A map that forgets what has not been used for a while: entries live in two generations, the
/// current one and the one before; a lookup that finds an entry in the older generation moves it
/// into the current one, and once the current generation is `age` old (by the times callers pass)
/// the older one is dropped and the current one takes its place. An entry therefore stays at least
/// `age` after its last use and at most twice that, and memory follows the working set, not
/// everything ever added: a fleet's churned series (pods replaced, nodes gone) leave the hub's
/// caches within two ages, where a map that only grows would keep every series seen since start.
///
/// Only for caches whose misses are answered elsewhere (the database), since any entry may go.
struct RecentEntries<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// How long a generation is current (milliseconds).
    let age: Int64
    /// At most about this many entries a generation: an insert that would pass it drops the older
    /// generation, and makes the current one the older when it alone would (so the map holds at
    /// most twice this); an insert of more than this many is not kept.
    let capacity: Int
    private var current: [Key: Value] = [:]
    private var previous: [Key: Value] = [:]
    /// When the current generation began; nil until the first call that passes a time.
    private var began: Int64?

    /// How long the hub's series caches keep an entry unused (at least; at most twice that): a
    /// fleet's active series stay, its churned ones (replaced pods, retired nodes) leave memory.
    static var seriesAge: Int64 { 3_600_000 }

    /// How many label sets a query cache keeps (``capacity``): a fleet dashboard that reads every
    /// metric of a million series would otherwise keep them all for an hour or two, about 500
    /// bytes each; past it, the label sets are parsed again as they are read.
    static var queryLabelsCapacity: Int { 131_072 }

    init(age: Int64, capacity: Int = .max) {
        self.age = max(age, 1)
        self.capacity = max(capacity, 1)
    }

    /// Entries held, in both generations.
    var count: Int { current.count + previous.count }

    /// The value for `key`, kept for another generation when found; starts a new generation first
    /// when the current one is `age` old at `now`.
    mutating func value(for key: Key, now: Int64) -> Value? {
        turn(at: now)
        if let value = current[key] { return value }
        guard let value = previous.removeValue(forKey: key) else { return nil }
        current[key] = value
        return value
    }

    /// The entries of `keys` held (each kept for another generation), and the keys not held.
    mutating func values(for keys: [Key], now: Int64) -> (found: [(key: Key, value: Value)], missing: [Key]) {
        var found: [(key: Key, value: Value)] = []
        var missing: [Key] = []
        found.reserveCapacity(keys.count)
        for key in keys {
            if let value = value(for: key, now: now) { found.append((key, value)) } else { missing.append(key) }
        }
        return (found, missing)
    }

    /// Adds or replaces entries (in the current generation), within ``capacity``.
    mutating func insert(_ entries: [Key: Value], now: Int64) {
        turn(at: now)
        guard entries.count <= capacity else { return }
        if count + entries.count > capacity {
            previous = [:]
            if current.count + entries.count > capacity {
                previous = current
                current = [:]
            }
        }
        current.merge(entries) { $1 }
    }

    /// Forgets `keys` (their values went out of date).
    mutating func remove(_ keys: some Sequence<Key>) {
        for key in keys {
            current[key] = nil
            previous[key] = nil
        }
    }

    /// Drops the older generation when the current one is `age` old, and both when it is twice
    /// that (nothing was used meanwhile). A clock stepped back starts the generation again from
    /// then: no entry is dropped early by a jump.
    private mutating func turn(at now: Int64) {
        guard let began, now >= began else {
            self.began = now
            return
        }
        guard now - began >= age else { return }
        previous = now - began - age >= age ? [:] : current
        current = [:]
        self.began = now
    }
}

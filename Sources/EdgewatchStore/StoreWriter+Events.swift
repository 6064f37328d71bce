import EdgewatchCore
import EdgewatchSQLite

/// Events in the store: buffered like cycles, committed in the same transaction, unique by
/// `(uid, count)`, and held to a share of the byte budget (oldest evicted first, as a gap).
extension StoreWriter {
    /// Events may use up to this fraction of the byte budget (they are small: a year of a busy
    /// node's events fits; the metrics keep the rest).
    static let eventShareDivisor: Int64 = 8

    /// Buffers occurrences (durable at the next flush) and returns how many were new: one whose
    /// `(uid, count)` is stored or buffered already is skipped. `recorded` is set to `now`, or to
    /// the last cycle's time when the clock reads earlier, so an event never lands in an uplink
    /// window that committed cycles have already closed.
    /// While flushes fail (a full disk), at most this many events wait in memory; later ones are
    /// dropped and counted (the Kubernetes watch replays them once the store commits again,
    /// since its resourceVersion commits with them).
    public static let maxPendingEvents = 100_000

    @discardableResult
    public func record(_ events: [EventRecord], now: Int64) -> Int {
        let recorded = max(now, lastCycle?.timestamp ?? now)
        var added = 0
        for var event in events where !isKnown(event) {
            guard pendingEvents.count < Self.maxPendingEvents else {
                statistics.eventsDropped += 1
                continue
            }
            event.recorded = recorded
            if event.node.isEmpty { event.node = configuration.nodeName }
            event.message = EventRecord.capped(event.message)
            eventTotals.add(event)
            pendingKeys.insert(EventKey(uid: event.uid, count: event.count))
            pendingEvents.append(event)
            added += 1
        }
        return added
    }

    /// Whether `(uid, count)` is buffered or stored.
    private func isKnown(_ event: EventRecord) -> Bool {
        if pendingKeys.contains(EventKey(uid: event.uid, count: event.count)) { return true }
        guard let statement = try? database.statement("SELECT 1 FROM events WHERE uid = ? AND count = ?") else { return false }
        statement.bind(1, event.uid).bind(2, event.count)
        defer { statement.reset() }
        return (try? statement.step()) == true
    }

    /// A node-local event about this node at `timestamp`; `key` makes its uid (`node/<reason>/<key>`)
    /// stable, so the same happening recorded twice is stored once.
    public func recordNodeEvent(_ reason: NodeEventReason, at timestamp: Int64, message: String, key: String) {
        record(
            [
                EventRecord(
                    time: timestamp,
                    source: .node,
                    type: reason.type,
                    reason: reason.rawValue,
                    object: EventRecord.InvolvedObject(kind: "Node", name: configuration.nodeName),
                    message: message,
                    uid: "node/\(reason.rawValue)/\(key)"
                )
            ],
            now: timestamp
        )
    }

    /// Sets a value in the store's meta table at the next flush, in the same transaction as the
    /// events buffered before it (a watch's resourceVersion commits with what it delivered).
    public func setMeta(_ key: String, _ value: String) {
        pendingMeta[key] = value
    }

    /// A meta value as committed, or as buffered for the next flush.
    public func meta(_ key: String) -> String? {
        if let value = pendingMeta[key] { return value }
        guard let statement = try? database.statement("SELECT value FROM meta WHERE key = ?") else { return nil }
        statement.bind(1, key)
        defer { statement.reset() }
        return (try? statement.step()) == true ? statement.string(0) : nil
    }

    /// The highest count stored per uid for `source`, among events recorded since `since` (what a
    /// resumed watch compares replayed states with).
    public func knownCounts(source: EventRecord.Source, since: Int64) throws(StoreError) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        do {
            let statement = try database.statement("SELECT uid, MAX(count) FROM events WHERE source = ? AND recorded_ts >= ? GROUP BY uid")
            statement.bind(1, source.rawValue).bind(2, since)
            defer { statement.reset() }
            while try statement.step() { counts[statement.string(0)] = statement.int64(1) }
        } catch {
            throw StoreError.database(error)
        }
        for event in pendingEvents where event.source == source {
            counts[event.uid] = max(counts[event.uid] ?? 0, event.count)
        }
        return counts
    }

    /// Inserts the buffered events and meta values; `committedEventBytes` holds what the inserted
    /// rows add (counted into `eventBytes` once the transaction commits).
    func writePendingEvents() throws(SQLiteError) {
        committedEventBytes = 0
        for event in pendingEvents {
            let insert = try database.statement(
                """
                INSERT OR IGNORE INTO events(recorded_ts, ts, first_ts, source, type, reason, kind, namespace, name, message, count,
                    delta, uid, node) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            )
            try insert.bind(1, event.recorded).bind(2, event.time).bind(3, event.firstSeen).bind(4, event.source.rawValue)
                .bind(5, event.type).bind(6, event.reason).bind(7, event.object.kind).bind(8, event.object.namespace)
                .bind(9, event.object.name).bind(10, event.message).bind(11, event.count).bind(12, event.delta)
                .bind(13, event.uid).bind(14, event.node).run()
            if database.changes > 0 { committedEventBytes += Self.estimatedBytes(event) }
        }
        for (key, value) in pendingMeta.sorted(by: { $0.key < $1.key }) {
            try database.statement("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run()
        }
    }

    /// Bytes an event row and its index entries take, roughly (strings plus fixed overhead).
    static func estimatedBytes(_ event: EventRecord) -> Int64 {
        let text =
            event.type.utf8.count + event.reason.utf8.count + event.object.kind.utf8.count + event.object.namespace.utf8.count
            + event.object.name.utf8.count + event.message.utf8.count + 2 * event.uid.utf8.count + event.node.utf8.count
        return Int64(text + 72)
    }

    /// The estimate of ``estimatedBytes(_:)`` over the stored events (read once at open).
    func loadEventBytes() throws(SQLiteError) {
        let total = try database.integer(
            """
            SELECT COALESCE(SUM(length(type) + length(reason) + length(kind) + length(namespace) + length(name) + length(message)
                + 2 * length(uid) + length(node) + 72), 0) FROM events
            """
        )
        eventBytes = total
    }

    /// Deletes the oldest events once they pass their share of the budget, down to three quarters
    /// of it, and records the evicted time range as a gap.
    func enforceEventShare() throws(SQLiteError) {
        let share = configuration.maxBytes / Self.eventShareDivisor
        guard eventBytes > share else { return }
        var freed: Int64 = 0
        var range: (first: Int64, last: Int64)?
        var lastID: Int64 = 0
        let statement = try database.statement(
            """
            SELECT id, ts, length(type) + length(reason) + length(kind) + length(namespace) + length(name) + length(message)
                + 2 * length(uid) + length(node) + 72 FROM events ORDER BY id
            """
        )
        while try statement.step(), eventBytes - freed > share * 3 / 4 {
            lastID = statement.int64(0)
            let time = statement.int64(1)
            range = (min(range?.first ?? time, time), max(range?.last ?? time, time))
            freed += statement.int64(2)
        }
        statement.reset()
        guard let range else { return }
        try database.transaction { () throws(SQLiteError) in
            try database.statement("DELETE FROM events WHERE id <= ?").bind(1, lastID).run()
            try insertGap(GapRecord(tier: .raw, kind: .eventsEvicted, start: range.first, end: range.last))
        }
        eventBytes -= freed
        statistics.eventsEvicted += 1
        statistics.gapsRecorded += 1
    }
}

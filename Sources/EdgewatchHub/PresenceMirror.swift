import Synchronization

/// The ``SeriesPresence`` rows of the hours label listings read lately, kept between listings, so
/// that a listing reads again only the rows changed since rather than every row of its window
/// (2000 nodes' rows took a third of a listing's time on SQLite, and half of the hub's work on
/// PostgreSQL, where they were sent too).
///
/// On SQLite the writer's commits name the rows they changed (``note(_:)``), read again by rowid
/// (``refresh(_:)``). The hub owns its database: a row changed by another connection is seen once
/// upkeep or ingest changes it again, or after a restart. On PostgreSQL, where other replicas
/// write, a row carries the transaction that last wrote it, and a listing reads a held hour's
/// rows written since the oldest transaction running when it was last read
/// (``PostgresHubStorage/presence(_:start:end:_:)``). At most ``rowsAtMost`` rows, the hours used
/// least lately forgotten first.
final class PresenceMirror: Sendable {
    /// A row as the listing needs it, its node and list (digest) by number; its list of series is
    /// read only when needed.
    struct Row: Sendable {
        var node: Int
        var list: Int
        var minTS: Int64
        var maxTS: Int64
        var gap: Int64?
        var dense: Bool
        /// Its content digest by number (``PresenceWindow/contents``); -1 when it has none.
        var content: Int = -1
    }

    /// A row as read from either backend, before its node and list are numbered.
    struct Stored {
        /// Its rowid (SQLite) or `id` (PostgreSQL).
        var id: Int64
        var hour: Int64
        var node: String
        var digest: DigestBytes
        var minTS: Int64
        var maxTS: Int64
        var gap: Int64?
        var dense: Bool
        /// ``SeriesPresence/Row/content``.
        var content: DigestBytes? = nil
    }

    private struct Hour {
        var rows: [Int64: Row] = [:]
        var used: UInt64 = 0
        /// The transaction from which its rows' changes are still to be read (PostgreSQL).
        var since: Int64 = 0
    }

    private struct State {
        var hours: [Int64: Hour] = [:]
        var hourOf: [Int64: Int64] = [:]
        var uses: UInt64 = 0
        var nodes = Interned<String>()
        /// Node numbers in name order, made again once nodes were numbered since.
        var nodeOrder: [Int] = []
        var lists = Interned<DigestBytes>()
        var contents = Interned<DigestBytes>()
        var memo = ListLabelsMemo()
        /// Times nodes and lists were numbered afresh (``renumber(_:)``, ``forget()``): what a
        /// listing learned under other numbers is not kept.
        var numbering = 0
        /// What the rows were read under (PostgreSQL's database, server start and deletions).
        var stamp = ""
    }

    /// Rowids changed since the last listing; nil once more changed than are worth reading one by one.
    private let changed = Mutex<Set<Int64>?>([])
    private let state = Mutex(State())

    static let rowsAtMost = 1 << 17
    static let hoursAtMost = 4096
    /// Hours of a window listed one by one; a longer window takes those with rows.
    static let hoursListedAtMost: Int64 = 168
    /// Changed rows read again one by one; past it every hour is read again when next needed.
    static let changedAtMost = 8192

    /// Numbers given to nodes or lists, past twice the rows held, at which those no held row
    /// names any more are forgotten (rows forgotten, nodes gone, lists of series that changed).
    let renumberedPast: Int

    init(renumberedPast: Int = 4096) {
        self.renumberedPast = renumberedPast
    }

    /// Rows held.
    var count: Int { state.withLock { $0.hourOf.count } }

    /// Node names and list digests numbered.
    var numbered: (nodes: Int, lists: Int) { state.withLock { ($0.nodes.count, $0.lists.count) } }

    /// Rows the writer's commit changed (SQLite).
    func note(_ rowids: Set<Int64>) {
        changed.withLock { changed in
            guard changed != nil else { return }
            changed?.formUnion(rowids)
            if changed?.count ?? 0 > Self.changedAtMost { changed = nil }
        }
    }

    /// The rows noted since the last call (nil: too many).
    func takeChanged() -> Set<Int64>? {
        changed.withLock { changed in
            defer { changed = [] }
            return changed
        }
    }

    /// The rows of `hours` (hour starts; in the listing's snapshot) that reach into `[start, end]`,
    /// with what listings learned of their lists' labels under the clusters' `generation` (nil:
    /// none). `read` is given each hour with, for one held, the transaction its changes since are
    /// to be read from (nil: not held, its rows all read), and gives the rows it read; each hour
    /// is then held, its changes to be read from `horizon` on. Held rows of another `stamp`
    /// (PostgreSQL's database, server start and deletions) are forgotten first.
    func window<Failure: Error>(
        hours: [Int64],
        start: Int64,
        end: Int64,
        generation: Int?,
        stamp: String = "",
        horizon: Int64 = 0,
        read: ([(hour: Int64, since: Int64?)]) throws(Failure) -> [Stored]
    ) throws(Failure) -> PresenceWindow {
        try state.withLock { state throws(Failure) in
            if state.stamp != stamp { Self.reset(&state, stamp: stamp) }
            // Numbered afresh here, before any row is taken: the rows a listing gets and the tables
            // naming their numbers are of one numbering (at the end, a renumbering had left the
            // window's rows with the old numbers, past the new tables).
            if max(state.nodes.count, state.lists.count, state.contents.count) > 2 * state.hourOf.count + renumberedPast {
                Self.renumber(&state)
            }
            state.uses += 1
            let fresh = Set(hours.filter { state.hours[$0] == nil })
            for stored in try read(hours.map { ($0, state.hours[$0]?.since) }) { Self.keep(stored, &state, holding: fresh) }
            var rows: [Row] = []
            for hour in hours {
                var held = state.hours[hour] ?? Hour()
                (held.used, held.since) = (state.uses, horizon)
                state.hours[hour] = held
                for row in held.rows.values where row.maxTS >= start && row.minTS <= end { rows.append(row) }
            }
            trim(&state)
            if state.nodeOrder.count != state.nodes.count { state.nodeOrder = Self.order(state.nodes.values) }
            return PresenceWindow(
                rows: rows,
                nodes: state.nodes.values,
                nodeOrder: state.nodeOrder,
                digests: state.lists.values,
                contents: state.contents.values,
                memo: state.memo.current(generation),
                numbering: state.numbering
            )
        }
    }

    /// Replaces the held row `id` (a rowid, or PostgreSQL's `id`) with `stored` (nil: it is gone).
    func replace(_ id: Int64, with stored: Stored?) {
        state.withLock { state in
            if let hour = state.hourOf.removeValue(forKey: id) { state.hours[hour]?.rows[id] = nil }
            if let stored { Self.keep(stored, &state, holding: []) }
        }
    }

    /// Keeps the labels a listing under the clusters' `generation` looked up, and the contents it
    /// knew by their digests, by the list numbers of its window's `numbering` (``PresenceWindow/numbering``).
    func learn(_ learned: [Int: ListLabels], contents: [Int: ListContent] = [:], generation: Int?, numbering: Int) {
        guard let generation, !learned.isEmpty || !contents.isEmpty else { return }
        state.withLock { state in
            guard state.numbering == numbering else { return }
            state.memo.learn(learned, contents: contents, generation: generation)
        }
    }

    /// Forgets every row (a failed read, or too many changes to read one by one).
    func forget() {
        state.withLock { state in Self.reset(&state, stamp: state.stamp) }
    }

    private static func reset(_ state: inout State, stamp: String) {
        let numbering = state.numbering + 1
        state = State()
        (state.numbering, state.stamp) = (numbering, stamp)
    }

    /// Holds `stored` in its hour when that is held, or one of `hours` (read whole for a listing).
    private static func keep(_ stored: Stored, _ state: inout State, holding hours: Set<Int64>) {
        if let hour = state.hourOf.removeValue(forKey: stored.id) { state.hours[hour]?.rows[stored.id] = nil }
        guard state.hours[stored.hour] != nil || hours.contains(stored.hour) else { return }
        let row = Row(
            node: state.nodes.number(of: stored.node),
            list: state.lists.number(of: stored.digest),
            minTS: stored.minTS,
            maxTS: stored.maxTS,
            gap: stored.gap,
            dense: stored.dense,
            content: stored.content.map { state.contents.number(of: $0) } ?? -1
        )
        state.hours[stored.hour, default: Hour()].rows[stored.id] = row
        state.hourOf[stored.id] = stored.hour
    }

    /// Forgets the hours used least lately while more than ``rowsAtMost`` rows, or more than
    /// ``hoursAtMost`` hours (some without rows), are held.
    private func trim(_ state: inout State) {
        while state.hourOf.count > Self.rowsAtMost || state.hours.count > Self.hoursAtMost,
            let oldest = state.hours.min(by: { $0.value.used < $1.value.used })
        {
            for rowid in oldest.value.rows.keys { state.hourOf[rowid] = nil }
            state.hours[oldest.key] = nil
        }
    }

    /// Numbers again the nodes, lists and contents held rows name, forgetting the others, and
    /// what listings learned of those lists.
    private static func renumber(_ state: inout State) {
        var (nodes, lists, contents) = (Interned<String>(), Interned<DigestBytes>(), Interned<DigestBytes>())
        var renumbered: [Int: Int] = [:]
        var hours: [Int64: Hour] = [:]
        for (hour, held) in state.hours {
            var moved = held
            for (rowid, row) in held.rows {
                var changed = row
                changed.node = nodes.number(of: state.nodes.values[row.node])
                changed.list = lists.number(of: state.lists.values[row.list])
                if row.content >= 0 { changed.content = contents.number(of: state.contents.values[row.content]) }
                renumbered[row.list] = changed.list
                moved.rows[rowid] = changed
            }
            hours[hour] = moved
        }
        state.hours = hours
        state.memo = state.memo.renumbered(renumbered)
        state.numbering += 1
        (state.nodes, state.lists, state.contents, state.nodeOrder) = (nodes, lists, contents, [])
    }

    /// The numbers of `names` in the order of the names: a listing of nodes is answered in order
    /// without sorting them (the mirror sorts once per node numbered, not per listing).
    private static func order(_ names: [String]) -> [Int] {
        names.indices.sorted { names[$0] < names[$1] }
    }
}

import EdgewatchSQLite
import Synchronization

/// The ``SeriesPresence`` rows of the hours label listings read lately, kept between listings on
/// SQLite: the writer's commits name the rows they changed (``SQLiteDatabase/observeCommits(of:_:)``)
/// and the next listing reads only those again, by rowid, rather than every row of its window
/// (2000 nodes' rows took a third of a listing's time). The hub owns its database: a row changed
/// by another connection is seen once upkeep or ingest changes it again, or after a restart. At
/// most ``rowsAtMost`` rows, the hours used least lately forgotten first.
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
    }

    private struct Hour {
        var rows: [Int64: Row] = [:]
        var used: UInt64 = 0
    }

    private struct State {
        var hours: [Int64: Hour] = [:]
        var hourOf: [Int64: Int64] = [:]
        var uses: UInt64 = 0
        var nodes = Interned<String>()
        var lists = Interned<DigestBytes>()
        var memo = ListLabelsMemo()
        /// Times nodes and lists were numbered afresh (``renumber(_:)``, ``forget()``): what a
        /// listing learned under other numbers is not kept.
        var numbering = 0
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

    /// Rows the writer's commit changed.
    func note(_ rowids: Set<Int64>) {
        changed.withLock { changed in
            guard changed != nil else { return }
            changed?.formUnion(rowids)
            if changed?.count ?? 0 > Self.changedAtMost { changed = nil }
        }
    }

    /// Reads the changed rows again, before a listing's snapshot: a commit after this is left for
    /// the next listing (its rows' new state may or may not be in the snapshot). Everything is
    /// forgotten when that fails.
    func refresh(_ reader: SQLiteDatabase) throws(SQLiteError) {
        let rowids = changed.withLock { changed in
            defer { changed = [] }
            return changed
        }
        guard let rowids else { return forget() }
        guard !rowids.isEmpty else { return }
        do throws(SQLiteError) {
            let statement = try reader.statement("SELECT hour, node, min_ts, max_ts, gap, digest, dense FROM series_presence WHERE rowid = ?")
            defer { statement.reset() }
            try state.withLock { state throws(SQLiteError) in
                for rowid in rowids {
                    if let hour = state.hourOf.removeValue(forKey: rowid) { state.hours[hour]?.rows[rowid] = nil }
                    statement.reset()
                    statement.bind(1, rowid)
                    guard try statement.step() else { continue }
                    let hour = statement.int64(0)
                    // An hour not held is read whole when a listing needs it.
                    guard state.hours[hour] != nil else { continue }
                    let row = Self.row(statement, from: 1, &state)
                    state.hours[hour]?.rows[rowid] = row
                    state.hourOf[rowid] = hour
                }
            }
        } catch {
            forget()
            throw error
        }
    }

    /// The rows of the hours `hours` spans (hour starts; in the listing's snapshot) that reach
    /// into `[start, end]`: held, or read and then held; with what listings learned of their
    /// lists' labels under the clusters' `generation` (nil: none).
    func window(hours: ClosedRange<Int64>, start: Int64, end: Int64, generation: Int?, _ reader: SQLiteDatabase) throws(SQLiteError) -> PresenceWindow
    {
        try state.withLock { state throws(SQLiteError) in
            state.uses += 1
            var rows: [Row] = []
            for hour in try Self.hours(hours, reader) {
                if state.hours[hour] == nil {
                    let read = try Self.read(hour: hour, reader, &state)
                    for rowid in read.rows.keys { state.hourOf[rowid] = hour }
                    state.hours[hour] = read
                }
                state.hours[hour]?.used = state.uses
                guard let held = state.hours[hour] else { continue }
                for row in held.rows.values where row.maxTS >= start && row.minTS <= end { rows.append(row) }
            }
            trim(&state)
            return PresenceWindow(
                rows: rows,
                nodes: state.nodes.values,
                digests: state.lists.values,
                memo: state.memo.current(generation),
                numbering: state.numbering
            )
        }
    }

    /// Keeps the labels a listing under the clusters' `generation` looked up, by the list numbers
    /// of its window's `numbering` (``PresenceWindow/numbering``).
    func learn(_ learned: [Int: ListLabels], generation: Int?, numbering: Int) {
        guard let generation, !learned.isEmpty else { return }
        state.withLock { state in
            guard state.numbering == numbering else { return }
            state.memo.learn(learned, generation: generation)
        }
    }

    /// Forgets every row (a failed read, or too many changes to read one by one).
    func forget() {
        state.withLock { state in
            let numbering = state.numbering + 1
            state = State()
            state.numbering = numbering
        }
    }

    /// The hours of `span` (hour starts): each one of a span of up to ``hoursListedAtMost``
    /// (held even while it has no row, so that rows added later come with refreshes), else those
    /// with rows.
    private static func hours(_ span: ClosedRange<Int64>, _ reader: SQLiteDatabase) throws(SQLiteError) -> [Int64] {
        let (length, overflow) = span.upperBound.subtractingReportingOverflow(span.lowerBound)
        if !overflow, length / SeriesPresence.hour < hoursListedAtMost {
            return Array(stride(from: span.lowerBound, through: span.upperBound, by: Int(SeriesPresence.hour)))
        }
        let statement = try reader.statement("SELECT DISTINCT hour FROM series_presence WHERE hour BETWEEN ? AND ? ORDER BY hour")
        defer { statement.reset() }
        statement.bind(1, span.lowerBound).bind(2, span.upperBound)
        var hours: [Int64] = []
        while try statement.step() { hours.append(statement.int64(0)) }
        return hours
    }

    private static func read(hour: Int64, _ reader: SQLiteDatabase, _ state: inout State) throws(SQLiteError) -> Hour {
        let statement = try reader.statement("SELECT rowid, node, min_ts, max_ts, gap, digest, dense FROM series_presence WHERE hour = ?")
        defer { statement.reset() }
        statement.bind(1, hour)
        var read = Hour()
        while try statement.step() { read.rows[statement.int64(0)] = row(statement, from: 1, &state) }
        return read
    }

    private static func row(_ statement: SQLiteStatement, from column: Int32, _ state: inout State) -> Row {
        Row(
            node: state.nodes.number(of: statement.string(column)),
            list: state.lists.number(of: DigestBytes(statement.blob(column + 4))),
            minTS: statement.int64(column + 1),
            maxTS: statement.int64(column + 2),
            gap: statement.isNull(column + 3) ? nil : statement.int64(column + 3),
            dense: statement.int64(column + 5) != 0
        )
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
        if max(state.nodes.count, state.lists.count) > 2 * state.hourOf.count + renumberedPast { Self.renumber(&state) }
    }

    /// Numbers again the nodes and lists held rows name, forgetting the others, and what
    /// listings learned of those lists.
    private static func renumber(_ state: inout State) {
        var (nodes, lists) = (Interned<String>(), Interned<DigestBytes>())
        var renumbered: [Int: Int] = [:]
        var hours: [Int64: Hour] = [:]
        for (hour, held) in state.hours {
            var moved = held
            for (rowid, row) in held.rows {
                var changed = row
                changed.node = nodes.number(of: state.nodes.values[row.node])
                changed.list = lists.number(of: state.lists.values[row.list])
                renumbered[row.list] = changed.list
                moved.rows[rowid] = changed
            }
            hours[hour] = moved
        }
        state.hours = hours
        state.memo = state.memo.renumbered(renumbered)
        state.numbering += 1
        (state.nodes, state.lists) = (nodes, lists)
    }
}

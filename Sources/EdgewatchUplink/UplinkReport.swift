import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// What `edgewatch query --uplink` prints: the uplink's cursor per stream, the batches the hub
/// refused for good (with its reason) and the windows sent at a coarser tier.
public struct UplinkReport: Codable, Sendable, Equatable {
    public struct Cursor: Codable, Sendable, Equatable {
        public var stream: String
        public var liveNextWindow: Int64
        public var backlogWindows: Int64

        enum CodingKeys: String, CodingKey {
            case stream
            case liveNextWindow = "live_next_window"
            case backlogWindows = "backlog_windows"
        }

        /// The width of the stream's slots (its cursor counts in them); nil for a name of another form.
        public var widthMilliseconds: Int64? { UplinkStream.parse(stream)?.widthMilliseconds }
    }

    public struct DeadLetter: Codable, Sendable, Equatable {
        public var stream: String
        public var windowStartMilliseconds: Int64
        public var status: Int64
        public var reason: String
        public var atMilliseconds: Int64

        enum CodingKeys: String, CodingKey {
            case stream, status, reason
            case windowStartMilliseconds = "window_start_ms"
            case atMilliseconds = "at_ms"
        }
    }

    public struct Downgrade: Codable, Sendable, Equatable {
        public var stream: String
        public var windowStartMilliseconds: Int64
        public var from: String
        public var to: String

        enum CodingKeys: String, CodingKey {
            case stream, from, to
            case windowStartMilliseconds = "window_start_ms"
        }
    }

    public var cursor: [Cursor]
    public var deadLetters: [DeadLetter]
    public var downgrades: [Downgrade]

    enum CodingKeys: String, CodingKey {
        case cursor, downgrades
        case deadLetters = "dead_letters"
    }

    /// Reads the state file at `path` (read-only, safe while the agent runs).
    public static func read(path: String) throws(SQLiteError) -> UplinkReport {
        let database = try SQLiteDatabase(path: path, readOnly: true)
        defer { database.close() }
        func rows<T>(_ sql: String, _ row: (SQLiteStatement) -> T) throws(SQLiteError) -> [T] {
            let statement = try database.statement(sql)
            var items: [T] = []
            while try statement.step() { items.append(row(statement)) }
            return items
        }
        func tierName(_ code: Int64) -> String { Tier(rawValue: Int(code))?.name ?? "?" }
        let sizeColumn = try database.columns(of: "cursor").contains("backlog_slots") ? "backlog_slots" : "NULL"
        return UplinkReport(
            // Backlog size: kept in its own column since the backlog became several ranges.
            cursor: try rows("SELECT stream, live_next, backlog_from, backlog_to, \(sizeColumn) FROM cursor") {
                Cursor(
                    stream: $0.string(0),
                    liveNextWindow: $0.int64(1),
                    backlogWindows: !$0.isNull(4) ? $0.int64(4) : $0.isNull(2) ? 0 : $0.int64(3) - $0.int64(2)
                )
            },
            deadLetters: try rows("SELECT stream, sequence, status, reason, at FROM dead_letters ORDER BY at") {
                DeadLetter(
                    stream: $0.string(0),
                    windowStartMilliseconds: $0.int64(1),
                    status: $0.int64(2),
                    reason: $0.string(3),
                    atMilliseconds: $0.int64(4)
                )
            },
            downgrades: try rows("SELECT stream, sequence, from_tier, to_tier FROM downgrades ORDER BY sequence") {
                Downgrade(stream: $0.string(0), windowStartMilliseconds: $0.int64(1), from: tierName($0.int64(2)), to: tierName($0.int64(3)))
            }
        )
    }
}

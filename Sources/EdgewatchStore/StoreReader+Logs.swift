import EdgewatchCore
import EdgewatchSQLite

extension StoreReader {
    /// Captured journal entries with wall-clock time in [from, to] (ms), oldest first; empty for
    /// a store older than schema 4.
    public func logs(from: Int64, to: Int64, units: Set<String>? = nil) throws(StoreError) -> [LogRecord] {
        do {
            guard try !database.columns(of: "logs").isEmpty else { return [] }
            let statement = try database.statement(
                "SELECT ts_us, monotonic_us, boot_id, priority, unit, message, cursor FROM logs WHERE ts_us >= ? AND ts_us <= ? ORDER BY ts_us, id"
            )
            // Milliseconds to microseconds, saturating (an open range end is Int64.max).
            let lower = from <= Int64.min / 1000 ? Int64.min : from * 1000
            let upper = to >= Int64.max / 1000 ? Int64.max : to * 1000 + 999
            statement.bind(1, lower).bind(2, upper)
            defer { statement.reset() }
            var result: [LogRecord] = []
            while try statement.step() {
                let record = LogRecord(
                    realtimeMicroseconds: statement.int64(0),
                    monotonicMicroseconds: statement.int64(1),
                    bootID: statement.string(2),
                    priority: Int(statement.int64(3)),
                    unit: statement.string(4),
                    message: statement.string(5),
                    cursor: statement.string(6)
                )
                if let units, !units.contains(record.unit) { continue }
                result.append(record)
            }
            return result
        } catch {
            throw StoreError.database(error)
        }
    }
}

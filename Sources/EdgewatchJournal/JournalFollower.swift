import EdgewatchCore
import Synchronization

/// A ``JournalReader`` that one service reads from on NIO's blocking pool, a step at a time:
/// it resumes after a committed cursor and hands out entries in batches with the cursor after them.
public final class JournalFollower: Sendable {
    private let reader: Mutex<JournalReader>

    public init(directory: String?, units: [String]) throws(JournalError) {
        reader = Mutex(try JournalReader(directory: directory, units: units))
    }

    /// Resumes after `cursor` (from the store); without one, or when the journal no longer holds
    /// it (a RAM-only journal after a reboot), from the oldest entry. Returns whether it was found.
    @discardableResult
    public func resume(after cursor: String?) -> Bool {
        reader.withLock { reader in
            guard let cursor, !cursor.isEmpty else {
                reader.seekHead()
                return false
            }
            return reader.seek(after: cursor)
        }
    }

    /// Up to `limit` next entries and the cursor of the last one read (nil when none was new).
    public func read(limit: Int) throws(JournalError) -> (records: [LogRecord], cursor: String?) {
        try reader.withLock { reader throws(JournalError) in
            var records: [LogRecord] = []
            while records.count < limit, let record = try reader.next() { records.append(record) }
            return (records, records.last?.cursor)
        }
    }
}

import CJournal
import EdgewatchCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads journald's journal through libsystemd's sd-journal API (opened on first use): the local
/// system journal, or the journal files of a directory (a mounted disk of a dead node, tests).
/// Matches the configured units; entries come oldest first. Not thread-safe: one owner at a time.
public final class JournalReader {
    private var journal: OpaquePointer?
    public let directory: String?

    /// Opens the journal and restricts it to `units` (see ``JournalUnits``).
    public init(directory: String?, units: [String]) throws(JournalError) {
        self.directory = directory
        guard cew_journal_load() == 0 else {
            throw JournalError("libsystemd.so.0 is not installed (Debian package libsystemd0); journal logs are unavailable")
        }
        var handle: OpaquePointer?
        let status = cew_journal_open(directory, &handle)
        guard status >= 0, let handle else {
            throw JournalError("cannot open the journal\(directory.map { " in \($0)" } ?? ""): \(Self.reason(status))")
        }
        journal = handle
        for (index, unit) in units.enumerated() {
            if index > 0 { cew_journal_add_disjunction(handle) }
            let added = cew_journal_add_match(handle, JournalUnits.match(unit))
            guard added >= 0 else { throw JournalError("journal match for \(unit): \(Self.reason(added))") }
        }
    }

    deinit { cew_journal_close(journal) }

    /// Positions before the first entry at or after `microseconds` of wall-clock time.
    public func seek(realtime microseconds: Int64) {
        cew_journal_seek_realtime(journal, UInt64(max(0, microseconds)))
    }

    /// Positions before the oldest entry.
    public func seekHead() { cew_journal_seek_head(journal) }

    /// Positions right after the entry `cursor` names; false when the journal no longer holds it
    /// (rotated away, or a journal lost at a reboot), and the reader is then at the head.
    public func seek(after cursor: String) -> Bool {
        guard cew_journal_seek_cursor(journal, cursor) >= 0, cew_journal_next(journal) > 0, cew_journal_test_cursor(journal, cursor) > 0
        else {
            seekHead()
            return false
        }
        return true
    }

    /// The next entry, nil at the end.
    public func next() throws(JournalError) -> LogRecord? {
        let status = cew_journal_next(journal)
        guard status >= 0 else { throw JournalError("reading the journal: \(Self.reason(status))") }
        guard status > 0 else { return nil }
        var realtime: UInt64 = 0
        var monotonic: UInt64 = 0
        var boot = [CChar](repeating: 0, count: 33)
        cew_journal_realtime(journal, &realtime)
        cew_journal_monotonic(journal, &monotonic, &boot)
        var cursorPointer: UnsafeMutablePointer<CChar>?
        cew_journal_cursor(journal, &cursorPointer)
        let cursor = cursorPointer.map { String(cString: $0) } ?? ""
        cew_journal_free(cursorPointer)
        let transport = field("_TRANSPORT")
        var message = field("MESSAGE") ?? ""
        if message.utf8.count > LogRecord.maxMessageBytes {
            message = String(decoding: message.utf8.prefix(LogRecord.maxMessageBytes), as: UTF8.self)
        }
        return LogRecord(
            realtimeMicroseconds: Int64(realtime),
            monotonicMicroseconds: Int64(monotonic),
            bootID: String(decoding: boot.prefix(32).map { UInt8(bitPattern: $0) }, as: UTF8.self),
            priority: field("PRIORITY").flatMap { Int($0) } ?? 6,
            unit: transport == "kernel" ? "kernel" : (field("_SYSTEMD_UNIT") ?? field("SYSLOG_IDENTIFIER") ?? ""),
            message: message,
            cursor: cursor
        )
    }

    private func field(_ name: String) -> String? {
        var value: UnsafePointer<CChar>?
        var length = 0
        guard cew_journal_field(journal, name, &value, &length) >= 0, let value else { return nil }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private static func reason(_ status: Int32) -> String {
        String(cString: strerror(-status))
    }
}

import EdgewatchBundle
import EdgewatchCore
import EdgewatchJournal
import EdgewatchStore

/// The logs part: the journal's entries of the range and units, merged with the entries the
/// agent captured into the store (which outlive a RAM-only journal), oldest first, each cursor once.
struct LogsExport {
    let reader: StoreReader
    /// The journal directory (nil: the system journal).
    let directory: String?
    let units: [String]
    let from: Int64
    let to: Int64

    /// Writes the part; returns its totals and, when the live journal could not be read, why.
    func write(to output: OutputFile, scratch: ScratchDirectory) throws(BundleError) -> (totals: PartTotals, note: String?) {
        var captured: [String: LogRecord] = [:]
        do {
            for record in try reader.logs(from: from, to: to, units: Set(units.map(JournalUnits.unit))) { captured[record.cursor] = record }
        } catch {
            throw BundleError.io(path: "store", reason: "\(error)")
        }
        var totals = PartTotals()
        var note: String?
        let live = try OutputFile(creating: scratch.file("journal.jsonl"), exclusive: true)
        do {
            let journal = try JournalReader(directory: directory, units: units)
            journal.seek(realtime: from * 1000)
            while let record = try journal.next(), record.realtimeMicroseconds <= to * 1000 + 999 {
                guard record.realtimeMicroseconds >= from * 1000 else { continue }
                captured[record.cursor] = nil
                try live.write(LogLine.render(record, source: "journal"))
            }
        } catch {
            note = "logs: the live journal was not read: \(error)"
        }
        try live.finish()
        try merge(
            live.path,
            with: captured.values.sorted { ($0.realtimeMicroseconds, $0.cursor) < ($1.realtimeMicroseconds, $1.cursor) },
            into: output,
            totals: &totals
        )
        return (totals, note)
    }

    /// Interleaves the journal's lines with the captured entries it no longer holds, by time.
    private func merge(_ path: String, with captured: [LogRecord], into output: OutputFile, totals: inout PartTotals) throws(BundleError) {
        let input = try InputFile(path: path)
        var lines = LineReader(maxLineBytes: 1 << 20) { (raw) throws(BundleError) -> Int in try input.read(into: raw) }
        var index = 0
        while let line = try lines.next(tooLong: { BundleError.io(path: path, reason: "line at \($0) too long") }) {
            let time = LogLine.realtime(line) ?? .max
            while index < captured.count, captured[index].realtimeMicroseconds < time {
                try output.write(LogLine.render(captured[index], source: "captured"))
                totals.add(captured[index].realtimeMicroseconds / 1000)
                index += 1
            }
            try output.write(String(line) + "\n")
            totals.add(time / 1000)
        }
        for record in captured[index...] {
            try output.write(LogLine.render(record, source: "captured"))
            totals.add(record.realtimeMicroseconds / 1000)
        }
    }
}

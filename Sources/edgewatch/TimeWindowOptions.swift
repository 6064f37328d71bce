import ArgumentParser
import EdgewatchYAML

/// `--since` or `--from`/`--to`: the time range `query` and `events` read, checked with messages
/// that name the option and the expected form.
struct TimeWindowOptions: ParsableArguments {
    @Option(help: "How far back from now, e.g. 1h, 30m, 7d (default 1h; ignored with --from).")
    var since: String?

    @Option(help: "Start time: RFC 3339 or Unix seconds.")
    var from: String?

    @Option(help: "End time: RFC 3339 or Unix seconds (default now).")
    var to: String?

    func validate() throws {
        if since != nil, from != nil { throw ValidationError("use either --since or --from/--to, not both") }
        if let since, ValueParsing.duration(since) == nil {
            throw ValidationError("--since: expected a duration like 1h, 30m or 7d, got \"\(since)\"")
        }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, TimeArgument.parse(value) == nil {
                throw ValidationError("\(name): expected RFC 3339 (2026-11-25T04:00:00Z) or Unix seconds, got \"\(value)\"")
            }
        }
    }

    /// The range `[start, end]` in ms at `now`.
    func range(now: Int64) throws -> (start: Int64, end: Int64) {
        let end = to.flatMap(TimeArgument.parse) ?? now
        let start = from.flatMap(TimeArgument.parse) ?? (end - (since.flatMap(ValueParsing.duration) ?? 3_600_000))
        guard start <= end else { throw ValidationError("--from must not be after --to") }
        return (start, end)
    }
}

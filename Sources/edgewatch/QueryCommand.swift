import ArgumentParser
import EdgewatchConfig
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchStore
import EdgewatchUplink
import EdgewatchYAML
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch query`: reads the local store (read-only, also while the agent runs).
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Read series from the local store with a Prometheus instant selector.",
        discussion: """
            Examples: edgewatch query 'node_load1' --since 6h
                      edgewatch query 'node_filesystem_avail_bytes{mountpoint=~"/|/boot.*"}' --from 2026-11-24T00:00:00Z --to 2026-11-25T00:00:00Z --resolution 1m --format csv
            Regexes are anchored; RE2 syntax (\\d, \\w, \\s, (?:...), (?i)) is translated to POSIX extended expressions.
            --uplink prints the uplink state instead: cursor, dead-lettered batches with the reason, downgraded windows.
            """
    )

    enum Resolution: String, ExpressibleByArgument, CaseIterable {
        case raw
        case oneMinute = "1m"
        case oneHour = "1h"
        case auto
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv, openmetrics
    }

    @Argument(help: "Prometheus instant selector, e.g. 'node_cpu_seconds_total{mode=\"idle\"}'.")
    var selector: String?

    @Flag(help: "Print the uplink's state instead: its cursor, dead-lettered batches (with the hub's reason) and downgraded windows.")
    var uplink = false

    @Option(help: "Store file (default: the agent's default location).")
    var store: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "raw, 1m, 1h or auto (raw up to 1 day, 1m up to 30 days, else 1h).")
    var resolution: Resolution = .auto

    @Option(help: "json, csv or openmetrics.")
    var format: Format = .json

    func validate() throws {
        if uplink { return }
        guard let selector else { throw ValidationError("expected a selector (or --uplink)") }
        do {
            _ = try SelectorParser.parse(selector)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        if uplink { return try printUplink() }
        let parsed = try SelectorParser.parse(selector ?? "")
        let now = LiveHostKernel().wallTime().milliseconds
        let (start, end) = try window.range(now: now)
        let tier: Tier
        switch resolution {
        case .raw: tier = .raw
        case .oneMinute: tier = .minute
        case .oneHour: tier = .hour
        case .auto: tier = end - start <= 86_400_000 ? .raw : (end - start <= 30 * 86_400_000 ? .minute : .hour)
        }
        let path = store ?? DefaultStore.path
        guard access(path, R_OK) == 0 else { throw ValidationError("--store: cannot read \(path)") }
        let reader = try StoreReader(path: path)
        let series = try reader.series { parsed.matches(name: $0.name, labels: $0.labels) }
        let points = try reader.points(ids: Set(series.map(\.0)), tier: tier, from: start, to: end)
        let result = series.compactMap { id, key in points[id].map { StoredSeries(key: key, points: $0) } }
        let gaps = try reader.gaps(from: start, to: end)
        StandardOutput.write(QueryOutput.render(result, gaps: gaps, tier: tier, format: format))
    }

    /// The uplink's durable state (`<store>-uplink.db`) as JSON.
    func printUplink() throws {
        let path = (store ?? DefaultStore.path) + "-uplink.db"
        guard access(path, R_OK) == 0 else { throw ValidationError("--uplink: no uplink state at \(path) (is uplink.url set?)") }
        StandardOutput.write(try JSONDocument.encode(UplinkReport.read(path: path)) + "\n")
    }
}

import ArgumentParser
import EdgewatchCore
import EdgewatchExport
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch export`: metrics, events, alerts and logs of a time window from the local store,
/// as one bundle (tar.gz) or one metrics file, while the agent keeps running.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a time window of the local store to a bundle (tar.gz) or a metrics file.",
        discussion: """
            Examples: edgewatch export --since 6h -o incident.tar.gz
                      edgewatch export --from 2026-11-24T00:00:00Z --to 2026-11-25T00:00:00Z --format openmetrics -o day.om
                      edgewatch export --since 1h --what metrics --selector 'node_load1' --format csv -o -
            A bundle holds manifest.json, metrics.om (OpenMetrics), staleness.jsonl, events.jsonl, alerts.jsonl,
            logs.jsonl (journald, and what the agent captured) and with --what podlogs podlogs.jsonl (/var/log/pods);
            GNU tar and Python's tarfile open it, and `edgewatch import` sends it to a hub.
            jsonl and csv write one sample per line: name, labels, timestamp_ms, resolution, value and, for 1m/1h
            summaries, min, max, sum and count (value is the bucket's last value, as in OpenMetrics).
            """
    )

    @Option(help: "Store file (default: the agent's default location).")
    var store: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "Comma-separated parts: metrics, events, alerts, logs, podlogs (default metrics,events,alerts,logs).")
    var what: String = "metrics,events,alerts,logs"

    @Option(help: "Prometheus instant selector for the metrics, e.g. 'node_load1' or '{job=\"node\"}' (default: all).")
    var selector: String?

    @Option(help: "raw, 1m, 1h or auto (the finest the store still holds at each instant).")
    var resolution: String = "auto"

    @Option(help: "bundle (tar.gz), openmetrics, jsonl or csv (the last three: metrics only).")
    var format: String = "bundle"

    @Option(help: "Journal directory for the logs part (default: the system journal), e.g. a dead node's /var/log/journal.")
    var journalDir: String?

    @Option(help: "Comma-separated units for the logs part (kernel for kernel messages; default k3s,k3s-agent,containerd,edgewatch,kernel).")
    var units: String = "k3s,k3s-agent,containerd,edgewatch,kernel"

    @Option(help: "The kubelet's container log directory for --what podlogs.")
    var podLogsDir = "/var/log/pods"

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output file, or - for standard output.")
    var output: String

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    @Flag(name: [.customShort("q"), .long], help: "No progress or summary on standard error.")
    var quiet = false

    func validate() throws {
        _ = try parts()
        if let selector {
            do {
                _ = try SelectorParser.parse(selector)
            } catch {
                throw ValidationError("--selector: \(error)")
            }
        }
        guard ExportRequest.Resolution(rawValue: resolution) != nil else {
            throw ValidationError("--resolution: expected raw, 1m, 1h or auto, got \"\(resolution)\"")
        }
        guard ExportRequest.Format(rawValue: format) != nil else {
            throw ValidationError("--format: expected bundle, openmetrics, jsonl or csv, got \"\(format)\"")
        }
        if output == "-", format == "bundle", isatty(1) != 0 {
            throw ValidationError("-o -: refusing to write a gzip bundle to a terminal; redirect it or name a file")
        }
    }

    func parts() throws -> Set<ExportRequest.Part> {
        var result = Set<ExportRequest.Part>()
        for name in what.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !name.isEmpty {
            guard let part = ExportRequest.Part(rawValue: name) else {
                throw ValidationError("--what: unknown part \"\(name)\"; expected metrics, events, alerts, logs or podlogs")
            }
            result.insert(part)
        }
        guard !result.isEmpty else { throw ValidationError("--what: name at least one part") }
        return result
    }

    func run() throws {
        let now = LiveHostKernel().wallTime().milliseconds
        let (start, end) = try window.range(now: now)
        let path = store ?? DefaultStore.path
        guard access(path, R_OK) == 0 else { throw ValidationError("--store: cannot read \(path)") }
        var request = ExportRequest(
            storePath: path,
            from: start,
            to: end,
            parts: try parts(),
            selector: try selector.map(SelectorParser.parse),
            selectorText: selector,
            resolution: ExportRequest.Resolution(rawValue: resolution) ?? .auto,
            format: ExportRequest.Format(rawValue: format) ?? .bundle,
            output: output,
            force: force
        )
        request.journalDirectory = journalDir
        request.podLogsDirectory = podLogsDir
        request.logUnits = units.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
        var exporter = BundleExporter(request: request, version: EdgewatchVersion.current, now: now)
        let progress = ExportProgress(enabled: !quiet && isatty(2) != 0)
        exporter.progress = { phase, fraction in progress.show(phase, fraction) }
        do {
            let summary = try exporter.run()
            progress.done()
            if !quiet {
                let parts = summary.manifest.map { ", \($0.parts.count) parts" } ?? ""
                StandardError.write(
                    "exported \(summary.samples) samples of \(summary.series) series\(parts) to \(summary.output) (\(summary.bytes) bytes)\n"
                )
            }
        } catch {
            progress.done()
            throw CommandFailure("export: \(error)")
        }
    }
}

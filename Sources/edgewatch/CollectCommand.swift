import ArgumentParser
import EdgewatchCore
import EdgewatchExposition
import HostCollectors
import HostFS
import Logging

/// `edgewatch collect --once`: one collection printed as OpenMetrics or JSON.
struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Collect host metrics once and print them.",
        discussion: """
            Examples: edgewatch collect --once
                      edgewatch collect --once --collectors cpu,meminfo --format json
                      edgewatch collect --once --procfs /host/proc --sysfs /host/sys --rootfs /host
            Collectors: \(CollectorCatalog.names.joined(separator: ", ")).
            """
    )

    @Flag(help: "Collect one sample set and exit (required: continuous collection is the agent's job).")
    var once = false

    @Option(help: "Output format: openmetrics or json.")
    var format: OutputFormat = .openmetrics

    @Option(help: "procfs mount point.")
    var procfs = "/proc"

    @Option(help: "sysfs mount point.")
    var sysfs = "/sys"

    @Option(help: "Root filesystem mount point (os-release, filesystems, udev data).")
    var rootfs = "/"

    @Option(help: "Comma-separated collectors to run (default: all).")
    var collectors: String?

    @Option(help: "Collect this many times in one process and print only the last (for benchmarks).")
    var cycles = 1

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        guard once else {
            throw ValidationError("collect takes a single sample set: pass --once")
        }
        guard cycles >= 1 else {
            throw ValidationError("--cycles: expected a whole number ≥ 1, got \(cycles)")
        }
        if let collectors {
            do {
                _ = try CollectorCatalog.select(Self.names(collectors))
            } catch {
                throw ValidationError("--collectors: \(error)")
            }
        }
    }

    func run() throws {
        let selected = try collectors.map { try CollectorCatalog.select(Self.names($0)) } ?? CollectorCatalog.all
        let collection = HostCollection(
            collectors: selected,
            context: CollectionContext(
                proc: ProcFS(root: procfs),
                sys: SysFS(root: sysfs),
                rootfs: RootFS(root: rootfs),
                keepsFilesOpen: cycles > 1
            ),
            logger: LogSetup.logger(label: "edgewatch.collect", level: logLevel)
        )
        var snapshot = collection.collect()
        for _ in 1..<cycles {
            snapshot = collection.collect()
        }
        switch format {
        case .openmetrics:
            StandardOutput.write(OpenMetricsWriter().render(snapshot.families))
        case .json:
            StandardOutput.write(JSONSampleWriter().render(snapshot))
        }
    }

    static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { TextScanning.trimmed($0) }.filter { !$0.isEmpty }
    }
}

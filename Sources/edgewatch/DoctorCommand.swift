import ArgumentParser
import EdgewatchAgent
import EdgewatchConfig
import HostCollectors
import HostFS
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch doctor`: checks the node for what the agent needs and says what to do.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this node for what the agent needs: cgroups, PSI, pods, GPUs, clock, store, journal, hub, Kubernetes.",
        discussion: """
            Examples: edgewatch doctor
                      edgewatch doctor --config /etc/edgewatch/edgewatch.yaml
            Each check prints ok, warn, fail or skip with what was found and, when something is
            wrong, what to do. The exit status is 1 when any check fails.
            """
    )

    @Option(help: "YAML config file (see config/edgewatch.yaml): its store, roots, uplink and Kubernetes settings are checked.")
    var config: String?

    @Option(help: "Store file (default: the config's store.path, else the agent's default location).")
    var store: String?

    @Option(help: "procfs mount point (default: the config's collect.procfs).")
    var procfs: String?

    @Option(help: "sysfs mount point (default: the config's collect.sysfs).")
    var sysfs: String?

    @Option(help: "Root filesystem mount point (default: the config's collect.rootfs).")
    var rootfs: String?

    func run() async throws {
        var configuration: AgentConfiguration
        do {
            configuration = try AgentCommand.configuration(from: config)
        } catch {
            StandardError.write("edgewatch: \(error)\n")
            throw ExitCode(AgentExit.configuration)
        }
        if let procfs { configuration.procfs = procfs }
        if let sysfs { configuration.sysfs = sysfs }
        if let rootfs { configuration.rootfs = rootfs }
        let storePath = store ?? (configuration.storePath.isEmpty ? DefaultStore.path : configuration.storePath)
        var logger = Logger(label: "edgewatch.doctor")
        logger.logLevel = .critical
        var context = CollectionContext(
            proc: ProcFS(root: configuration.procfs),
            sys: SysFS(root: configuration.sysfs),
            rootfs: RootFS(root: configuration.rootfs),
            keepsFilesOpen: false
        )
        context.kernel = ClockFileKernel.fromEnvironment(base: context.kernel).kernel
        let doctor = NodeDoctor(
            agent: Agent(configuration: configuration, storePath: storePath, logger: logger),
            context: context,
            environment: Agent.environment()
        )
        let checks = await doctor.checks()
        StandardOutput.write(checks.map(\.text).joined(separator: "\n") + "\n")
        if checks.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
    }
}

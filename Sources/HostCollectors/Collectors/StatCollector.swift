import EdgewatchCore

/// node_exporter's `stat`: boot time, context switches, forks, interrupts and process counts from /proc/stat.
public struct StatCollector: Collector {
    public let name = "stat"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.cycleFiles.required("stat", in: context.proc.tree)
        let parsed = ProcStatParser.parse(text, file: context.proc.tree.path("stat"))
        issues += parsed.issues
        let stat = parsed.value
        if let value = stat.interruptsTotal { metrics.add("node_intr_total", "Total number of interrupts serviced.", .counter, value) }
        if let value = stat.contextSwitches { metrics.add("node_context_switches_total", "Total number of context switches.", .counter, value) }
        if let value = stat.forks { metrics.add("node_forks_total", "Total number of forks.", .counter, value) }
        if let value = stat.bootTime { metrics.add("node_boot_time_seconds", "Node boot time, in unixtime.", .gauge, value) }
        if let value = stat.procsRunning { metrics.add("node_procs_running", "Number of processes in runnable state.", .gauge, value) }
        if let value = stat.procsBlocked {
            metrics.add("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", .gauge, value)
        }
    }
}

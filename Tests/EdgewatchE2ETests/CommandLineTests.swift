import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("--help lists the collect subcommand and --version prints the version")
    func helpAndVersion() throws {
        let help = try Harness.run(Harness.edgewatch, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("collect"))
        let version = try Harness.run(Harness.edgewatch, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
    }

    @Test("bad arguments are refused with a message naming what was expected")
    func badArguments() throws {
        let unknown = try Harness.run(Harness.edgewatch, ["collect", "--once", "--collectors", "cpu,gpu_magic"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown collector(s) gpu_magic"))
        #expect(unknown.stderr.contains("meminfo"))
        let notOnce = try Harness.run(Harness.edgewatch, ["collect"])
        #expect(notOnce.status != 0)
        #expect(notOnce.stderr.contains("--once"))
        let format = try Harness.run(Harness.edgewatch, ["collect", "--once", "--format", "xml"])
        #expect(format.status != 0)
        #expect(format.stderr.contains("openmetrics"))
    }

    @Test("a nonexistent root makes collectors fail softly: exit 0, success 0, no crash")
    func missingRoots() throws {
        let output = try Harness.run(
            Harness.edgewatch,
            ["collect", "--once", "--procfs", "/nonexistent/proc", "--sysfs", "/nonexistent/sys", "--rootfs", "/nonexistent", "--log-level", "debug"]
        )
        #expect(output.status == 0)
        let samples = Exposition.parse(output.stdout)
        #expect(samples[Series(name: "node_scrape_collector_success", labels: ["collector": "meminfo"])] == 0)
        #expect(samples[Series(name: "node_scrape_collector_success", labels: ["collector": "uname"])] == 1)
        #expect(output.stderr.contains("collector has no data"))
    }

    @Test("--collectors restricts the run to the named collectors")
    func selection() throws {
        let output = try Harness.collect(board: "x86-server", extra: ["--collectors", "loadavg, meminfo"])
        let names = Set(Exposition.parse(output.stdout).keys.map(\.name))
        #expect(names.contains("node_load1"))
        #expect(names.contains("node_memory_MemTotal_bytes"))
        #expect(!names.contains("node_cpu_seconds_total"))
    }
}

import Foundation
import Testing

/// `edgewatch export`'s command line over the fixed `top` fixture store: formats, resolutions,
/// standard output, overwrite protection and option errors.
@Suite("Export command line")
struct ExportCommandTests {
    static func store() throws -> (directory: String, store: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-export-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try TopFixtureStore.write(to: directory + "/store.db")
        return (directory, directory + "/store.db")
    }

    static func export(_ store: String, _ arguments: [String]) throws -> Harness.Output {
        let from = String(TopFixtureStore.start / 1000), to = String(TopFixtureStore.end / 1000)
        return try Harness.run(Harness.edgewatch, ["export", "--store", store, "--from", from, "--to", to] + arguments)
    }

    @Test("one metrics file in OpenMetrics, JSON lines or CSV on standard output, raw or as 1 m summaries")
    func formats() throws {
        let (directory, store) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csv = try Self.export(store, ["--format", "csv", "--selector", "node_load1", "--resolution", "raw", "-o", "-", "-q"])
        let rows = csv.stdout.split(separator: "\n")
        #expect(csv.status == 0 && rows.first == "name,labels,timestamp_ms,resolution,value,min,max,sum,count")
        #expect(rows.count == TopFixtureStore.cycles + 1 && rows[1].hasPrefix("node_load1,{},\(TopFixtureStore.start),raw,"))
        let jsonl = try Self.export(store, ["--format", "jsonl", "--selector", "node_load1", "--resolution", "1m", "-o", "-", "-q"])
        let first = try JSONSerialization.jsonObject(with: Data((jsonl.stdout.split(separator: "\n").first ?? "").utf8)) as? [String: Any]
        #expect(
            first?["resolution"] as? String == "1m" && first?["count"] != nil && first?["min"] != nil && first?["value"] != nil,
            "\(jsonl.stdout.prefix(300))"
        )
        let om = try Self.export(
            store,
            ["--format", "openmetrics", "--selector", "{__name__=~\"node_load1|node_cpu_seconds_total\"}", "-o", "-", "-q"]
        )
        #expect(om.stdout.hasPrefix("# TYPE node_cpu_seconds counter\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} "))
        #expect(om.stdout.contains("\n# TYPE node_load1 gauge\nnode_load1 ") && om.stdout.hasSuffix("\n# EOF\n"))
        // Each family once, each series contiguous and in time order.
        #expect(om.stdout.components(separatedBy: "# TYPE node_load1 gauge").count == 2)
    }

    @Test("an existing output is refused without --force; the bundle appears only when complete")
    func overwrite() throws {
        let (directory, store) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/out.tar.gz"
        try "keep me".write(toFile: output, atomically: true, encoding: .utf8)
        let refused = try Self.export(store, ["-o", output])
        #expect(refused.status != 0 && refused.stderr.contains("out.tar.gz: exists; refusing to overwrite it (use --force)"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
        let forced = try Self.export(store, ["-o", output, "--force", "--what", "metrics,events,alerts"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("exported") && forced.stderr.contains("4 parts"), "\(forced.stderr)")
        let listing = try Harness.run("/bin/tar", ["tzf", output]).stdout
        #expect(listing == "manifest.json\nmetrics.om\nstaleness.jsonl\nevents.jsonl\nalerts.jsonl\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".edgewatch-export-") }
        #expect(leftovers.isEmpty, "scratch left behind: \(leftovers)")
    }

    @Test(
        "bad options are refused naming the option and what was expected",
        arguments: [
            (["--what", "metrics,traces", "-o", "x"], "--what: unknown part \"traces\""),
            (["--format", "parquet", "-o", "x"], "--format: expected bundle, openmetrics, jsonl or csv"),
            (["--resolution", "5m", "-o", "x"], "--resolution: expected raw, 1m, 1h or auto"),
            (["--selector", "node_load1{", "-o", "x"], "--selector:"),
        ]
    )
    func badOptions(arguments: [String], message: String) throws {
        let result = try Harness.run(Harness.edgewatch, ["export", "--since", "1h"] + arguments)
        #expect(result.status != 0 && result.stderr.contains(message), "\(result.stderr)")
    }
}

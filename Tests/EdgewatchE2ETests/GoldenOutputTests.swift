import Foundation
import Testing

/// Like node_exporter's end-to-end test: `collect --once` over each fixture tree, diffed against
/// a committed file. Readings that come from the live kernel rather than the tree (clock,
/// uname, statvfs of the mount points, durations) are masked. `UPDATE_GOLDEN=1` rewrites.
@Suite("Golden end-to-end output")
struct GoldenOutputTests {
    /// Families whose value is live; `wholeLine` ones also have live labels.
    static let liveValues: Set<String> = [
        "node_scrape_collector_duration_seconds", "node_time_seconds", "node_filesystem_avail_bytes",
        "node_filesystem_free_bytes", "node_filesystem_size_bytes", "node_filesystem_files", "node_filesystem_files_free",
        "edgewatch_clock_synchronized",
    ]
    static let liveLines: Set<String> = ["node_uname_info", "node_time_zone_offset_seconds"]

    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: "Hostname=\"[^\"]*\"", with: "Hostname=\"<live>\"", options: .regularExpression)
            .split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard !line.hasPrefix("#") else { return String(line) }
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                if liveLines.contains(name) { return name + "{<live>} <live>" }
                if liveValues.contains(name) || name.hasPrefix("node_timex_"), let space = line.lastIndex(of: " ") {
                    return String(line[..<space]) + " <live>"
                }
                return String(line)
            }.joined(separator: "\n")
    }

    @Test("collect --once matches the committed golden output", arguments: Harness.boards)
    func golden(board: String) throws {
        let output = try Harness.collect(board: board, extra: ["--log-level", "error"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        try Self.compare(Self.normalize(output.stdout), golden: "\(board).golden.prom")
    }

    /// The GPU collectors over trees of two Jetson generations (JetPack 6 hwmon rails, JetPack 4
    /// iio rails) and an AMD card; NVML pointed at a missing library so a GPU host gives the same output.
    @Test("GPU collectors match their golden output", arguments: ["jetson-orin-nano", "jetson-xavier-nx-jp4", "amd-rx6400"])
    func gpuGolden(tree: String) throws {
        let base = Harness.fixtures.appendingPathComponent(tree).path
        let output = try Harness.run(
            "/usr/bin/env",
            [
                "EDGEWATCH_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1", Harness.edgewatch, "collect", "--once",
                "--collectors", "jetson_gpu,amd_gpu,nvidia_gpu", "--procfs", base + "/proc", "--sysfs", base + "/sys", "--rootfs", base + "/root",
            ]
        )
        #expect(output.status == 0, "stderr: \(output.stderr)")
        try Self.compare(Self.normalize(output.stdout), golden: "\(tree).gpu.golden.prom")
    }

    static func compare(_ actual: String, golden: String) throws {
        let goldenURL = Harness.fixtures.appendingPathComponent(golden)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: goldenURL, encoding: .utf8)
        if actual != expected {
            let actualLines = actual.split(separator: "\n")
            let expectedLines = expected.split(separator: "\n")
            let missing = expectedLines.filter { !actualLines.contains($0) }.prefix(10)
            let extra = actualLines.filter { !expectedLines.contains($0) }.prefix(10)
            Issue.record(
                "output differs from \(goldenURL.lastPathComponent)\nmissing:\n\(missing.joined(separator: "\n"))\nunexpected:\n\(extra.joined(separator: "\n"))"
            )
        }
    }

    @Test("the fixture trees exercise the edge-board collectors")
    func edgeBoards() throws {
        let pi = Exposition.parse(try Harness.collect(board: "pi4-k3s").stdout)
        #expect(pi[Series(name: "edgewatch_rpi_throttle_state", labels: ["condition": "under_voltage", "scope": "now"])] == 1)
        #expect(
            pi[Series(name: "edgewatch_board_info", labels: ["model": "Raspberry Pi 4 Model B Rev 1.4", "compatible": "raspberrypi,4-model-b"])] == 1
        )
        #expect(pi[Series(name: "edgewatch_clock_rtc_present", labels: [:])] == 0)
        #expect(pi[Series(name: "node_scrape_collector_success", labels: ["collector": "pressure"])] == 0)
        let jetson = Exposition.parse(try Harness.collect(board: "jetson-orin-nano").stdout)
        #expect(jetson[Series(name: "edgewatch_clock_rtc_present", labels: [:])] == 1)
        #expect(jetson[Series(name: "node_hwmon_curr_amps", labels: ["chip": "i2c_1_1_0040", "sensor": "curr1"])] == 1.216)
        let x86 = Exposition.parse(try Harness.collect(board: "x86-server").stdout)
        #expect(x86[Series(name: "edgewatch_board_info", labels: ["model": "Supermicro SYS-5019C-MR", "compatible": ""])] == 1)
        #expect(x86[Series(name: "node_scrape_collector_success", labels: ["collector": "rpi_throttle"])] == 0)
    }

    @Test("JSON output has one object per sample with the same series as OpenMetrics")
    func json() throws {
        let text = try Harness.collect(board: "pi4-k3s", extra: ["--format", "json"]).stdout
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        let openMetrics = Exposition.parse(try Harness.collect(board: "pi4-k3s").stdout)
        #expect(objects.count == openMetrics.count)
        let load = try #require(objects.first { $0["name"] as? String == "node_load1" })
        #expect(load["value"] as? Double == 1.23)
        #expect((load["labels"] as? [String: String])?.isEmpty == true)
        let timestamp = try #require(load["timestamp_ms"] as? Int64)
        #expect(abs(Double(timestamp) / 1000 - Date().timeIntervalSince1970) < 600)
    }
}

import Foundation
import Testing

/// Parity with the real node_exporter (Debian's prometheus-node-exporter 1.5), run by the test
/// on the same fixture trees and on this machine.
@Suite("node_exporter parity", .serialized, .enabled(if: Harness.nodeExporter != nil || Harness.peersRequired))
struct NodeExporterParityTests {
    /// node_exporter's own process/Go metrics are not host metrics.
    static func isHostSeries(_ series: Series) -> Bool {
        !(series.name.hasPrefix("go_") || series.name.hasPrefix("process_") || series.name.hasPrefix("promhttp_")
            || series.name == "node_exporter_build_info" || series.name == "node_scrape_collector_duration_seconds")
    }

    /// Readings that change between two reads of the same machine.
    static func isClockReading(_ name: String) -> Bool {
        [
            "node_time_seconds", "node_timex_offset_seconds", "node_timex_frequency_adjustment_ratio",
            "node_timex_maxerror_seconds", "node_timex_estimated_error_seconds", "node_timex_pps_jitter_seconds",
        ].contains(name)
    }

    /// Values that come from statvfs of live filesystems even under a fixture root.
    static func isFilesystemReading(_ name: String) -> Bool {
        ["node_filesystem_avail_bytes", "node_filesystem_free_bytes", "node_filesystem_files_free"].contains(name)
    }

    static func close(_ a: Double, _ b: Double, relative: Double, absolute: Double) -> Bool {
        if a == b || (a.isNaN && b.isNaN) { return true }
        return abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }

    @Test("same series, labels and values as node_exporter on each fixture tree", arguments: Harness.boards)
    func fixtures(board: String) throws {
        let binary = try #require(Harness.nodeExporter, "prometheus-node-exporter is not installed (make test installs it)")
        let base = Harness.fixtures.appendingPathComponent(board).path
        let peer = try NodeExporterPeer(
            binary: binary,
            proc: base + "/proc",
            sys: base + "/sys",
            root: base + "/root",
            udev: base + "/root/run/udev/data"
        )
        defer { peer.stop() }
        let theirs = Exposition.parse(try peer.scrape()).filter { Self.isHostSeries($0.key) }
        let ours = Exposition.parse(try Harness.collect(board: board).stdout)
        #expect(theirs.count > 150)

        let missing = theirs.keys.filter { ours[$0] == nil }.sorted()
        #expect(missing.isEmpty, "series node_exporter emits that edgewatch lacks: \(missing.prefix(20))")
        for (series, value) in theirs {
            guard let mine = ours[series] else { continue }
            if Self.isClockReading(series.name) { continue }
            let tolerance = Self.isFilesystemReading(series.name) ? 0.01 : 1e-12
            #expect(Self.close(mine, value, relative: tolerance, absolute: 0), "\(series): edgewatch \(mine), node_exporter \(value)")
        }
        let theirSuccess = theirs.filter { $0.key.name == "node_scrape_collector_success" }
        for (series, value) in theirSuccess {
            #expect(ours[series] == value, "\(series)")
        }
    }

    @Test("same series as node_exporter on this machine, values within what moves between two reads")
    func liveMachine() throws {
        let binary = try #require(Harness.nodeExporter, "prometheus-node-exporter is not installed (make test installs it)")
        let peer = try NodeExporterPeer(binary: binary)
        defer { peer.stop() }
        let before = Exposition.parse(try peer.scrape()).filter { Self.isHostSeries($0.key) }
        let output = try Harness.run(Harness.edgewatch, ["collect", "--once"])
        #expect(output.status == 0)
        let ours = Exposition.parse(output.stdout)
        let after = Exposition.parse(try peer.scrape()).filter { Self.isHostSeries($0.key) }

        // Interfaces, mounts and sockets can come and go between reads: only series present in both peer reads count.
        let stable = before.keys.filter { after[$0] != nil }
        let missing = stable.filter { ours[$0] == nil && !$0.name.hasPrefix("node_network_") }.sorted()
        #expect(missing.isEmpty, "series node_exporter emits that edgewatch lacks: \(missing.prefix(20))")
        for series in stable {
            guard let mine = ours[series], let first = before[series], let second = after[series] else { continue }
            if Self.isClockReading(series.name) { continue }
            let low = min(first, second)
            let high = max(first, second)
            let slack = max(64, 0.1 * max(abs(low), abs(high)), series.name.hasSuffix("_bytes") ? 64 * 1_048_576 : 0)
            #expect(mine >= low - slack && mine <= high + slack, "\(series): edgewatch \(mine), node_exporter \(first) … \(second)")
        }
    }
}

/// promtool (Debian's prometheus package) must parse what edgewatch prints.
@Suite("promtool check metrics", .enabled(if: Harness.promtool != nil || Harness.peersRequired))
struct PromtoolTests {
    @Test("promtool parses the output of every fixture tree and of this machine", arguments: Harness.boards + ["live"])
    func promtoolAccepts(board: String) throws {
        let promtool = try #require(Harness.promtool, "promtool is not installed (make test installs the prometheus package)")
        let output = board == "live" ? try Harness.run(Harness.edgewatch, ["collect", "--once"]) : try Harness.collect(board: board)
        let checked = try Harness.run(promtool, ["check", "metrics"], input: output.stdout)
        // Exit 3 means lint findings only (node_exporter's own names, e.g. node_memory_MemTotal_bytes, are
        // camelCase); exit 1 with "error while linting" means it could not parse the text.
        #expect(checked.status == 0 || checked.status == 3, "promtool: \(checked.stdout)\(checked.stderr)")
        #expect(!(checked.stdout + checked.stderr).contains("error while linting"), "\(checked.stdout)\(checked.stderr)")
        #expect(output.stdout.hasSuffix("# EOF\n"))
    }
}

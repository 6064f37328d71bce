import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch export` and `edgewatch import` end to end: a real agent, real hubs over loopback,
/// GNU tar, Python's tarfile, promtool and a real Prometheus.
@Suite("Export and import", .serialized)
struct ExportImportTests {
    /// One recording shared by the suite (an agent run costs seconds).
    nonisolated(unsafe) static var shared: ExportRecording?

    static func recording() throws -> ExportRecording {
        if let shared { return shared }
        let made = try ExportRecording()
        shared = made
        return made
    }

    /// Opens a bundle with Python's tarfile, checks each part's size and sha256 against the
    /// manifest, and prints node, resolution, window, boots and part names.
    static let verifyScript = """
        import hashlib, json, sys, tarfile
        with tarfile.open(sys.argv[1]) as t:
            m = json.load(t.extractfile("manifest.json"))
            for p in m["parts"]:
                data = t.extractfile(p["name"]).read()
                assert hashlib.sha256(data).hexdigest() == p["sha256"], p["name"]
                assert len(data) == p["bytes"], p["name"]
            print(m["node"], m["resolution"], m["uplink"]["window_seconds"], len(m["clock"]), ",".join(p["name"] for p in m["parts"]))
        """

    @Test("the bundle opens with GNU tar and Python's tarfile, and its parts match the manifest's sha256")
    func bundleOpensWithStandardTools() throws {
        let recording = try Self.recording()
        let listing = try Harness.run("/bin/tar", ["tzf", recording.bundle])
        #expect(listing.status == 0)
        #expect(
            listing.stdout.split(separator: "\n") == ["manifest.json", "metrics.om", "staleness.jsonl", "events.jsonl", "alerts.jsonl", "logs.jsonl"]
        )
        let check = try Harness.run("/usr/bin/python3", ["-c", Self.verifyScript, recording.bundle])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "test-node raw 2 1 metrics.om,staleness.jsonl,events.jsonl,alerts.jsonl,logs.jsonl\n")
        let live = try Harness.run("/usr/bin/python3", ["-c", Self.verifyScript, recording.liveBundle])
        #expect(live.status == 0 && live.stdout.hasPrefix("test-node auto 2 1 "), "bundle written while the agent ran: \(live.stdout) \(live.stderr)")
        let alerts = try Harness.run("/bin/tar", ["xzOf", recording.bundle, "alerts.jsonl"]).stdout
        #expect(alerts.contains("\"state\":\"pending\"") && alerts.contains("\"state\":\"firing\""), "\(alerts)")
        #expect(alerts.contains("\"alertname\":\"ExportTestAlways\""))
        #expect(alerts.contains("\"annotations\":{\"summary\":\"always on at 1\"}"), "\(alerts)")
    }

    @Test("import to an https:// hub with --ca-file stores the bundle; another CA is refused")
    func importOverTLS() throws {
        let recording = try Self.recording()
        let fixture = try TLSFixture()
        let hub = try HubProcess(extra: HubTLSTests.tlsArguments(fixture, "hub"))
        let answer = try recording.importBundle(into: hub, caFile: fixture.path("hub-ca.crt"))
        #expect((answer["samples"] as? Int ?? 0) > 0, "\(answer)")
        #expect(throws: HarnessError.self) { try recording.importBundle(into: hub, caFile: fixture.path("other-ca.crt")) }
    }

    @Test("import stores what the uplink delivered, series by series; a second import and one over uplinked data add nothing")
    func roundTripEqualsUplink() throws {
        let recording = try Self.recording()
        let uplinked = try recording.hubA.rawSamplesCounted(node: recording.node)
        #expect(uplinked.samples.count == uplinked.stored && uplinked.stored > 500, "uplink delivered \(uplinked.stored)")
        let hubB = try HubProcess()
        let first = try recording.importBundle(into: hubB)
        #expect((first["stored"] as? Int ?? 0) > 0 && (first["duplicates"] as? Int) == 0, "\(first)")
        let imported = try hubB.rawSamplesCounted(node: recording.node)
        #expect(imported.samples.count == imported.stored, "a sample was stored twice")
        // The bundle's last window was still open when the agent stopped (its last cycle is before
        // the window's end): the import leaves it to the uplink, which may have sent its slots
        // live. The uplink stopped with the agent; up to both ends the hubs hold the same samples.
        func time(_ key: String) -> Int64 { Int64(key.split(separator: "@").last ?? "") ?? .max }
        let lastCycle = try #require(try StoreReader(path: recording.scratch.store).cycleBounds()?.last)
        let open = lastCycle / 2000 * 2000
        #expect(!imported.samples.keys.contains { time($0) >= open }, "the import stored part of the open window at \(open)")
        let edge = min(open, (uplinked.samples.keys.map(time).max() ?? 0) + 1)
        let expected = uplinked.samples.filter { time($0.key) < edge }
        let comparable = imported.samples.filter { time($0.key) < edge }
        let differing = expected.filter { comparable[$0.key]?.bitPattern != $0.value.bitPattern }.map(\.key).sorted()
        let store = differing.isEmpty ? "" : try Self.storeHas(differing.first, recording)
        #expect(
            differing.isEmpty && comparable.count == expected.count && expected.count > 500,
            """
            import differs from uplink before \(edge): \(comparable.count) vs \(expected.count) samples, first differing \(differing.prefix(5)); \
            import answered \(first); \(store)
            """
        )
        #expect(try hubB.eventKeys(node: recording.node).count >= 1)

        let second = try recording.importBundle(into: hubB)
        #expect((second["stored"] as? Int) == 0 && (second["duplicates"] as? Int) == (first["stored"] as? Int), "\(second)")
        #expect(try hubB.rawSamplesCounted(node: recording.node).stored == imported.stored)

        let eventsBefore = try recording.hubA.eventKeys(node: recording.node)
        let over = try recording.importBundle(into: recording.hubA)
        #expect((over["duplicates"] as? Int ?? 0) > 0, "\(over)")
        let after = try recording.hubA.rawSamplesCounted(node: recording.node)
        #expect(after.samples.count == after.stored, "a sample was stored twice")
        #expect(uplinked.samples.allSatisfy { after.samples[$0.key]?.bitPattern == $0.value.bitPattern })
        let eventsAfter = try recording.hubA.eventKeys(node: recording.node)
        #expect(Set(eventsAfter).count == eventsAfter.count && Set(eventsBefore).isSubset(of: Set(eventsAfter)))
    }

    /// For a failure message: whether the agent's store holds the sample `key` ("name{labels}@ts").
    static func storeHas(_ key: String?, _ recording: ExportRecording) throws -> String {
        guard let key, let at = key.lastIndex(of: "@"), let name = key[..<at].split(separator: "{").first else { return "" }
        let rows = try Harness.run(
            Harness.edgewatch,
            ["query", String(name), "--store", recording.scratch.store, "--since", "1h", "--resolution", "raw", "--format", "csv"]
        ).stdout.split(separator: "\n")
        let timestamp = key[key.index(after: at)...]
        return "the store's \(name) has \(rows.count - 1) rows, from \(rows.dropFirst().first ?? "-"); at \(timestamp): "
            + (rows.contains { $0.contains(",\(timestamp),") } ? "yes" : "no")
    }

    @Test(
        "promtool builds blocks from --format openmetrics and a real Prometheus answers as edgewatch query",
        .enabled(if: Harness.promtool != nil && Harness.which(["prometheus"]) != nil || Harness.peersRequired)
    )
    func prometheusReadsTheExport() throws {
        let recording = try Self.recording()
        guard let promtool = Harness.promtool, let prometheus = Harness.which(["prometheus"]) else {
            Issue.record("promtool and prometheus are required (make test installs them)")
            return
        }
        let file = recording.scratch.path + "/metrics.om"
        let export = try Harness.run(
            Harness.edgewatch,
            ["export", "--store", recording.scratch.store, "--since", "1h", "--resolution", "raw", "--format", "openmetrics", "-o", file, "-q"]
        )
        #expect(export.status == 0, "\(export.stderr)")
        let blocks = recording.scratch.path + "/tsdb"
        let built = try Harness.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", file, blocks], timeout: 120)
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        let server = try PrometheusPeer(binary: prometheus, storage: blocks, directory: recording.scratch.path)
        for selector in ["node_load1", "node_memory_MemAvailable_bytes", "node_context_switches_total", "ALERTS{alertstate=\"firing\"}"] {
            let local = try Harness.run(
                Harness.edgewatch,
                ["query", selector, "--store", recording.scratch.store, "--since", "1h", "--resolution", "raw", "--format", "csv"]
            )
            let rows = local.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
            #expect(rows.count > 3, "\(selector): \(local.stdout.prefix(300))")
            for row in [rows[rows.count / 3], rows[rows.count / 2], rows[rows.count - 1]] {
                guard let timestamp = Int64(row[row.count - 2]), let value = Double(row[row.count - 1]) else { continue }
                let answer = try server.instant(selector, at: timestamp)
                #expect(answer == value, "\(selector) at \(timestamp): Prometheus \(answer.map { "\($0)" } ?? "nothing"), edgewatch \(value)")
            }
        }
    }

    @Test("damaged bundles, a newer manifest and another node's bundle are refused, naming the part; nothing is stored")
    func damagedBundlesAreRefused() throws {
        let recording = try Self.recording()
        let hub = try HubProcess()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: recording.bundle))
        let dir = recording.scratch.path
        // One flipped bit in the gzip trailer's CRC-32, and one in the middle of the compressed data.
        var corrupt = bytes
        corrupt[bytes.count - 6] ^= 0x01
        try corrupt.write(to: URL(fileURLWithPath: dir + "/corrupt.tar.gz"))
        var scrambled = bytes
        scrambled[bytes.count / 2] ^= 0x10
        try scrambled.write(to: URL(fileURLWithPath: dir + "/scrambled.tar.gz"))
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: dir + "/truncated.tar.gz"))
        let rewrite = try Harness.run(
            "/usr/bin/python3",
            [
                "-c",
                """
                import io, json, sys, tarfile
                src = tarfile.open(sys.argv[1])
                members = [(m, src.extractfile(m).read()) for m in src.getmembers()]
                def write(path, edit):
                    with tarfile.open(path, "w:gz", format=tarfile.USTAR_FORMAT) as out:
                        for m, data in members:
                            data = edit(m.name, data)
                            info = tarfile.TarInfo(m.name); info.size = len(data)
                            out.addfile(info, io.BytesIO(data))
                write(sys.argv[2], lambda n, d: d.replace(b" 1 ", b" 2 ", 1) if n == "metrics.om" else d)
                def newer(n, d):
                    if n != "manifest.json": return d
                    m = json.loads(d); m["version"] = 99; return json.dumps(m).encode()
                write(sys.argv[3], newer)
                # A sample 1e300 seconds in the future, the manifest's digest updated to match.
                import hashlib, re
                om = [d for m, d in members if m.name == "metrics.om"][0]
                huge = re.sub(rb"^([^#\\n][^\\n]* )[0-9.]+$", rb"\\g<1>1e300", om, count=1, flags=re.M)
                def hugeTime(n, d):
                    if n == "metrics.om": return huge
                    if n != "manifest.json": return d
                    m = json.loads(d)
                    for p in m["parts"]:
                        if p["name"] == "metrics.om": p["sha256"] = hashlib.sha256(huge).hexdigest(); p["bytes"] = len(huge)
                    return json.dumps(m).encode()
                write(sys.argv[4], hugeTime)
                def hugeWindow(n, d):
                    if n != "manifest.json": return d
                    m = json.loads(d); m["uplink"] = {"resolution": "raw", "windowSeconds": 10 ** 17}; return json.dumps(m).encode()
                write(sys.argv[5], hugeWindow)
                """,
                recording.bundle, dir + "/edited.tar.gz", dir + "/newer.tar.gz", dir + "/hugetime.tar.gz", dir + "/hugewindow.tar.gz",
            ]
        )
        #expect(rewrite.status == 0, "\(rewrite.stderr)")
        let cases: [(String, Int, String)] = [
            ("corrupt", 400, "gzip stream at compressed byte"),
            ("scrambled", 400, " at "),
            ("truncated", 400, "truncated"),
            ("edited", 400, "part metrics.om at byte 0: sha256 is"),
            ("newer", 400, "version 99 is newer than this edgewatch reads"),
            ("hugetime", 400, "expected a timestamp in seconds, got \\\"1e300\\\""),
            ("hugewindow", 400, "uplink.windowSeconds 100000000000000000: expected 0 to 31622400 (a year)"),
        ]
        for (name, status, message) in cases {
            let answer = try recording.post(dir + "/\(name).tar.gz", to: hub)
            #expect(answer.status == status && answer.body.contains(message), "\(name): \(answer.status) \(answer.body)\n\(hub.log.suffix(3000))")
            let local = try Harness.run(
                Harness.edgewatch,
                ["import", dir + "/\(name).tar.gz", "--hub", "http://127.0.0.1:\(hub.port)", "--node-secret-file", dir + "/node-secret"]
            )
            // Locally a bundle's structure and digests are checked; its lines only by the hub.
            let expected = name.hasPrefix("huge") ? "hub answered 4" : message
            #expect(local.status != 0 && local.stderr.contains(expected), "\(name) locally: \(local.stderr)")
        }
        let other = try recording.post(recording.bundle, to: hub, node: "other-node", secret: "secret-of-the-other-node")
        #expect(other.status == 403 && other.body.contains("bundle is of node \\\"test-node\\\""), "\(other.status) \(other.body)")
        #expect(try hub.integer("SELECT count(*) FROM blocks") == 0)
        #expect(try hub.integer("SELECT count(*) FROM events") == 0)
        #expect(try hub.integer("SELECT count(*) FROM batches") == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: hub.data).filter { $0.hasPrefix("import-") }
        #expect(leftovers.isEmpty, "spool files left behind: \(leftovers)")
        // A bundle over the hub's import limit is cut off while it streams in.
        let config = dir + "/small-hub.yaml"
        try "limits:\n  max_import_bytes: 4KiB\n".write(toFile: config, atomically: true, encoding: .utf8)
        let small = try HubProcess(extra: ["--config", config])
        let big = try recording.post(recording.bundle, to: small)
        #expect(big.status == 413 && big.body.contains("max_import_bytes (4096 bytes)"), "\(big.status) \(big.body)")
        #expect(try small.integer("SELECT count(*) FROM batches") == 0)
    }

    @Test("a raw bundle of a node whose uplink sends 1 m summaries is imported as the summaries the agent computed")
    func rawBundleBecomesUplinkSummaries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-import-1m-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store.db"
        try TopFixtureStore.write(to: store)
        let meta = try SQLiteDatabase(path: store)
        try meta.execute("INSERT OR REPLACE INTO meta VALUES('uplink_resolution', '1m'), ('uplink_window_s', '600')")
        meta.close()
        let bundle = directory + "/raw.tar.gz"
        let from = String(TopFixtureStore.start / 1000), to = String(TopFixtureStore.end / 1000)
        let export = try Harness.run(
            Harness.edgewatch,
            ["export", "--store", store, "--from", from, "--to", to, "--resolution", "raw", "--what", "metrics", "-o", bundle, "-q"]
        )
        #expect(export.status == 0, "\(export.stderr)")
        let hub = try HubProcess()
        try (hub.token + "\n").write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        try "fixture-node-secret-0123456789\n".write(toFile: directory + "/secret", atomically: true, encoding: .utf8)
        let imported = try Harness.run(
            Harness.edgewatch,
            [
                "import", bundle, "--hub", "http://127.0.0.1:\(hub.port)", "--token-file", directory + "/token", "--node-secret-file",
                directory + "/secret",
            ]
        )
        // Metrics and alerts windows at 08:00 and 08:10 are closed; those at 08:20 were still open at 08:29:50.
        #expect(imported.status == 0 && imported.stdout.contains("\"skipped_windows\":2"), "\(imported.stdout) \(imported.stderr)")
        #expect(try hub.integer("SELECT count(*) FROM batches WHERE stream = 'metrics/1m/600s'") == 2)
        #expect(try hub.integer("SELECT count(*) FROM blocks WHERE tier = 0") == 0)
        // The hub holds for the two closed windows exactly the agent's own 1 m rollups.
        let onHub = try hub.rollups(node: "pi-fixture")
        let reader = try StoreReader(path: store)
        let series = try reader.series { _ in true }
        let points = try reader.points(
            ids: Set(series.map(\.0)),
            tier: .minute,
            from: TopFixtureStore.start,
            to: TopFixtureStore.start + 1_200_000 - 1
        )
        var expected: [String: [Double]] = [:]
        for (id, key) in series {
            for (timestamp, columns) in points[id] ?? [] {
                expected["\(key.name)\(SeriesKey(name: key.name, labels: key.labels, type: .gauge).encodedLabels)@\(timestamp)"] = columns
            }
        }
        #expect(expected.count > 1000)
        let differing = expected.filter { onHub[$0.key]?.map(\.bitPattern) != $0.value.map(\.bitPattern) }.map(\.key).sorted()
        #expect(differing.isEmpty && onHub.count == expected.count, "\(onHub.count) vs \(expected.count); first differing \(differing.prefix(3))")
    }
}

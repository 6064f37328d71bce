import EdgewatchSQLite
import EdgewatchStore
import Foundation
import Testing

/// `edgewatch top --once` frames over a store written with a fixed clock, compared with golden
/// files (`UPDATE_GOLDEN=1` rewrites them); `--json` and the error paths.
@Suite("top frames")
struct TopGoldenTests {
    static func store() throws -> (path: String, cleanup: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-top-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try TopFixtureStore.write(to: directory + "/store.db")
        return (directory + "/store.db", { try? FileManager.default.removeItem(atPath: directory) })
    }

    @Test("golden frames at 80x24 and 160x48 (monochrome, injected time)", arguments: ["80x24", "160x48"])
    func goldenFrames(size: String) throws {
        let (path, cleanup) = try Self.store()
        defer { cleanup() }
        let now = String(Double(TopFixtureStore.end + 5_000) / 1000)
        let output = try Harness.run(Harness.edgewatch, ["top", "--store", path, "--once", "--size", size, "--now", now])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!output.stdout.contains("\u{1B}"), "escape codes when stdout is no terminal")
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let width = Int(size.split(separator: "x")[0]) ?? 0
        #expect(lines.count == Int(size.split(separator: "x")[1]) && lines.allSatisfy { $0.count <= width })
        let golden = Harness.packageRoot.appendingPathComponent("Tests/EdgewatchE2ETests/Fixtures/top-\(size).golden.txt").path
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try output.stdout.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(output.stdout == expected, "frame differs from \(golden):\n\(output.stdout)")
    }

    @Test("--json holds every panel; bad stores give one clear line")
    func jsonAndErrors() throws {
        let (path, cleanup) = try Self.store()
        defer { cleanup() }
        let output = try Harness.run(Harness.edgewatch, ["top", "--store", path, "--json", "--now", String(TopFixtureStore.end / 1000 + 5)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        for key in [
            "header", "cpu", "memory", "disks", "filesystems", "network", "temperatures", "throttling", "gpus", "pods", "alerts", "events", "uplink",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["pods"] as? [[String: Any]])?.count == 3)
        #expect(((object["header"] as? [String: Any])?["node"] as? String) == "pi-fixture")
        let missing = try Harness.run(Harness.edgewatch, ["top", "--store", "/nonexistent/store.db", "--once"])
        #expect(missing.status != 0 && missing.stderr.contains("cannot read the store /nonexistent/store.db"), "\(missing.stderr)")
        let notStore = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-store-\(UUID().uuidString)").path
        try "hello".write(toFile: notStore, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: notStore) }
        let garbage = try Harness.run(Harness.edgewatch, ["top", "--store", notStore, "--once"])
        #expect(garbage.status != 0 && garbage.stderr.contains("is not an edgewatch store"), "\(garbage.stderr)")
        let emptyPath = FileManager.default.temporaryDirectory.appendingPathComponent("empty-store-\(UUID().uuidString).db").path
        try StoreWriter(configuration: StoreConfiguration(path: emptyPath)).close()
        // `top` reads the store in WAL mode, and a read-only reader leaves the -wal and -shm files behind.
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: emptyPath + suffix) } }
        let empty = try Harness.run(Harness.edgewatch, ["top", "--store", emptyPath, "--once"])
        #expect(empty.status == 0 && empty.stdout.contains("no data yet"), "\(empty.stdout)\(empty.stderr)")
        let newerPath = FileManager.default.temporaryDirectory.appendingPathComponent("newer-store-\(UUID().uuidString).db").path
        do {
            let database = try SQLiteDatabase(path: newerPath)
            try database.execute(
                "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES('schema_version', '9')"
            )
            database.close()
        }
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: newerPath + suffix) } }
        let newer = try Harness.run(Harness.edgewatch, ["top", "--store", newerPath, "--once"])
        #expect(newer.status != 0 && newer.stderr.contains("written by a newer edgewatch (schema 9"), "\(newer.stderr)")
        let small = try Harness.run(Harness.edgewatch, ["top", "--store", path, "--once", "--size", "60x20"])
        #expect(small.status != 0 && small.stderr.contains("at least 80x24"))
    }
}

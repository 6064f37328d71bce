import Foundation

/// Journal files made the way a real node's are read: entries written in journald's export
/// format, turned into a journal file by Debian's `systemd-journal-remote`.
struct JournalFixture {
    struct Entry {
        var realtime: Int64
        var monotonic: Int64
        var boot: String
        /// A unit name, or nil for a kernel message.
        var unit: String?
        var priority: Int
        var message: String
    }

    static var remote: String? { Harness.which(["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"]) }

    /// Writes `entries` as `<directory>/<name>.journal`.
    static func write(_ entries: [Entry], directory: String, name: String) throws {
        guard let remote else { throw HarnessError("systemd-journal-remote is required (Debian package systemd-journal-remote)") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var text = ""
        for entry in entries {
            text += "__REALTIME_TIMESTAMP=\(entry.realtime)\n__MONOTONIC_TIMESTAMP=\(entry.monotonic)\n_BOOT_ID=\(entry.boot)\n"
            text += "PRIORITY=\(entry.priority)\nMESSAGE=\(entry.message)\n"
            if let unit = entry.unit {
                text += "_SYSTEMD_UNIT=\(unit)\n_TRANSPORT=journal\nSYSLOG_IDENTIFIER=\(unit.split(separator: ".")[0])\n\n"
            } else {
                text += "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n\n"
            }
        }
        let input = directory + "/\(name).export"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try Harness.run(remote, ["--output=" + directory + "/\(name).journal", input])
        guard result.status == 0 else { throw HarnessError("systemd-journal-remote failed: \(result.stderr)") }
    }

    /// A boot's worth of entries: units k3s, containerd, other (not exported) and the kernel,
    /// priorities 2…6, one a second from `start` (µs).
    static func boot(_ boot: String, start: Int64, count: Int, tag: String) -> [Entry] {
        let units: [String?] = ["k3s.service", "containerd.service", "other.service", nil]
        return (0..<count).map { index in
            Entry(
                realtime: start + Int64(index) * 1_000_000,
                monotonic: 5_000_000 + Int64(index) * 1_000_000,
                boot: boot,
                unit: units[index % units.count],
                priority: 2 + index % 5,
                message: "\(tag) message \(index) with \"quotes\" and ünïcode"
            )
        }
    }
}

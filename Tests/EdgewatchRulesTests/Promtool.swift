import Foundation

/// Runs Debian's promtool (the reference implementation) for comparisons.
enum Promtool {
    struct Result {
        var status: Int32
        var output: String
    }

    static var path: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the suite must fail rather than skip when promtool is missing.
    static var required: Bool { ProcessInfo.processInfo.environment["EDGEWATCH_REQUIRE_PEERS"] == "1" }

    static func run(_ arguments: [String], executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path ?? "/usr/bin/promtool")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// The edgewatch binary built beside the tests.
    static var edgewatch: String {
        let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/edgewatch").path
        return ProcessInfo.processInfo.environment["EDGEWATCH_BIN"] ?? build
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

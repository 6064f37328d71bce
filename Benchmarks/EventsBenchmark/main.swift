import FakeAPIServer
import Foundation

/// Events benchmark: the fake apiserver (HTTPS, client certificates) makes `rate` event updates
/// per minute for `seconds`; two agents run side by side, one watching events and one not. Prints
/// the CPU and RSS the watch adds and the store bytes per event occurrence. Figures, not a test.
/// Usage: edgewatch-events-bench [--binary .build/release/edgewatch] [--seconds 120] [--rate 10000]
struct Options {
    var binary = ".build/release/edgewatch"
    var seconds = 120.0
    var rate = 10_000.0

    init() {
        let arguments = CommandLine.arguments
        var index = 1
        while index + 1 < arguments.count {
            switch arguments[index] {
            case "--binary": binary = arguments[index + 1]
            case "--seconds": seconds = Double(arguments[index + 1]) ?? seconds
            case "--rate": rate = Double(arguments[index + 1]) ?? rate
            default: break
            }
            index += 2
        }
    }
}

/// An agent process and what /proc says about it.
final class Agent {
    let process = Process()
    let directory: String

    init(binary: String, directory: String, events: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        node:
          name: pi-1
        collect:
          interval: 10s
        store:
          path: \(directory)/store.db
          flush_interval: 10s
        listen: ""
        \(events)
        """.write(toFile: directory + "/edgewatch.yaml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["agent", "--config", directory + "/edgewatch.yaml", "--log-level", "warning"]
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var cpuSeconds: Double {
        let text = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        let fields = text.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func status(_ key: String) -> Double {
        let text = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func stop() {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    var storeBytes: Double {
        ["store.db", "store.db-wal"].reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? NSNumber)?.doubleValue ?? 0)
        }
    }
}

let options = Options()
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-events-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: scratch) }
let certificates = try FakeCertificates(directory: scratch + "/pki", node: "pi-1")
let server = try await FakeAPIServer(tls: try certificates.serverContext(), bookmarkMilliseconds: 60_000)
let pods = (0..<20).map { FakePod(name: "app-\($0)", nodeName: "pi-1") }
for pod in pods { server.add(pod) }
var uids: [String] = []
for index in 0..<500 {
    let pod = pods[index % pods.count]
    uids.append(
        server.add(
            FakeEvent(
                reason: index % 3 == 0 ? "BackOff" : "Pulled",
                message: "Back-off restarting failed container app in pod \(pod.name)",
                type: index % 3 == 0 ? "Warning" : "Normal",
                involvedKind: "Pod",
                involvedName: pod.name,
                involvedUID: pod.uid,
                reporter: .kubelet(host: "pi-1")
            )
        ).uid
    )
}
try certificates.kubeconfig(port: server.port).write(toFile: scratch + "/k3s.yaml", atomically: true, encoding: .utf8)
let watching = try Agent(binary: options.binary, directory: scratch + "/with", events: "events:\n  kubernetes:\n    kubeconfig: \(scratch)/k3s.yaml")
let idle = try Agent(binary: options.binary, directory: scratch + "/without", events: "events:\n  kubernetes:\n    enabled: false")
try await Task.sleep(for: .seconds(5))
let startCPU = (watching.cpuSeconds, idle.cpuSeconds)
let startBytes = (watching.storeBytes, idle.storeBytes)
let interval = 60.0 / options.rate
let start = Date()
var updates = 0
while Date().timeIntervalSince(start) < options.seconds {
    server.repeatEvent(uids[updates % uids.count])
    updates += 1
    let due = start.addingTimeInterval(Double(updates) * interval)
    let wait = due.timeIntervalSinceNow
    if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
}
try await Task.sleep(for: .seconds(12))  // one more flush
let cpu = (watching.cpuSeconds - startCPU.0, idle.cpuSeconds - startCPU.1)
let rss = (watching.status("VmRSS"), idle.status("VmRSS"))
let hwm = (watching.status("VmHWM"), idle.status("VmHWM"))
let anon = (watching.status("RssAnon"), idle.status("RssAnon"))
let file = (watching.status("RssFile"), idle.status("RssFile"))
watching.stop()
idle.stop()
let grown = (watching.storeBytes - startBytes.0) - (idle.storeBytes - startBytes.1)
server.stop()
func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
print("event updates: \(updates) in \(format(options.seconds, 0)) s (\(format(Double(updates) / options.seconds * 60, 0))/min)")
print(
    "agent CPU: watching \(format(cpu.0)) s, not watching \(format(cpu.1)) s → added \(format((cpu.0 - cpu.1) / options.seconds * 100)) % of one core"
)
print(
    "agent RSS: watching \(format(rss.0 / 1024, 1)) MiB (peak \(format(hwm.0 / 1024, 1))), not watching \(format(rss.1 / 1024, 1)) MiB (peak \(format(hwm.1 / 1024, 1))) → added \(format((rss.0 - rss.1) / 1024, 1)) MiB"
)
print("  of which anonymous \(format((anon.0 - anon.1) / 1024, 1)) MiB, file-backed (code) \(format((file.0 - file.1) / 1024, 1)) MiB")
print("store: \(format(grown / 1024, 0)) KiB more than the idle agent → \(format(grown / Double(max(updates, 1)), 0)) bytes per event occurrence")

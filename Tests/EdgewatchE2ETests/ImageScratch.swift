import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory for one container image test: the archive, podman's private storage (vfs,
/// runc, cgroupfs, lowered ulimits: this machine's hybrid cgroups and rlimits), the store and the
/// config taken from the k3s manifest.
struct ImageScratch {
    let path: String
    let name = "edgewatch-test-\(UUID().uuidString.prefix(8).lowercased())"
    var archive: String { path + "/edgewatch-image.tar" }
    var store: String { path + "/store" }
    var configFile: String { path + "/edgewatch.yaml" }
    var rulesDirectory: String { path + "/rules.d" }

    init() throws {
        // Short: podman refuses a run root longer than 50 characters.
        path = "/tmp/edgewatch-image-" + UUID().uuidString.prefix(8).lowercased()
        for directory in [path, store, rulesDirectory, path + "/tmp"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    var logPath: String { path + "/podman.log" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// podman's arguments with this scratch's storage and settings.
    func podmanArguments(_ arguments: [String]) -> [String] {
        let global = [
            "--root", path + "/root", "--runroot", path + "/runroot", "--storage-driver", "vfs", "--runtime", "runc",
            "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--tmpdir", path + "/tmp",
        ]
        var command = arguments
        if command.first == "run" {
            command.insert(contentsOf: ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"], at: 1)
        }
        return global + command
    }

    /// Runs podman to completion.
    func podman(_ arguments: [String], timeout: TimeInterval = 120) throws -> Harness.Output {
        try Harness.run("/usr/bin/podman", podmanArguments(arguments), timeout: timeout)
    }

    /// Starts a long-running podman (a container in the foreground), its output to `logPath`.
    func podmanProcess(_ arguments: [String]) throws -> Process {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/podman")
        process.arguments = podmanArguments(arguments)
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        return process
    }

    /// The ConfigMap's `edgewatch.yaml` and `edge.yaml` from config/k3s/edgewatch.yaml.
    func writeManifestConfig() throws {
        let configMap = try KubernetesManifestTests.object(kind: "ConfigMap", in: KubernetesManifestTests.manifests[0])
        guard let config = configMap["data"]?["edgewatch.yaml"]?.string, let rules = configMap["data"]?["edge.yaml"]?.string else {
            throw HarnessError("the manifest's ConfigMap lacks edgewatch.yaml or edge.yaml")
        }
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
        try rules.write(toFile: rulesDirectory + "/edge.yaml", atomically: true, encoding: .utf8)
    }

    /// Stops and removes the container and images, unmounts what podman left, deletes the scratch.
    func remove() {
        _ = try? podman(["rm", "-f", "-t", "0", name])
        _ = try? podman(["rmi", "--all", "--force"])
        if let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) {
            for mount in mounts.split(separator: "\n").compactMap({ $0.split(separator: " ").dropFirst().first }).reversed()
            where mount.hasPrefix(path) {
                umount2(String(mount), Int32(MNT_DETACH))
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}

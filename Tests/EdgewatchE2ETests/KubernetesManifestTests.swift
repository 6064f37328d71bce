import Foundation
import Testing

/// The k3s manifests in config/k3s: current with their sources, and valid against the Kubernetes
/// schemas offline (kubernetes-validate from PyPI, in the virtual environment `make test` makes).
@Suite("k3s manifests")
struct KubernetesManifestTests {
    /// `$EDGEWATCH_VENV` or `~/.cache/edgewatch/venv` (Makefile: VENV).
    static var venv: String {
        let environment = ProcessInfo.processInfo.environment
        if let venv = environment["EDGEWATCH_VENV"], !venv.isEmpty { return venv }
        return (environment["HOME"] ?? "/root") + "/.cache/edgewatch/venv"
    }
    static var validator: String { venv + "/bin/kubernetes-validate" }
    static var python: String { venv + "/bin/python3" }
    static let manifests = ["config/k3s/edgewatch.yaml", "config/k3s/edgewatch-hub.yaml"].map { Harness.packageRoot.path + "/" + $0 }

    @Test("config/k3s is what scripts/make_k3s.py makes of config/ (run make k3s when this fails)")
    func current() throws {
        let check = try Harness.run("/usr/bin/python3", [Harness.packageRoot.path + "/scripts/make_k3s.py", "--check"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test(
        "every object validates strictly against Kubernetes 1.28 and the newest schemas",
        .enabled(if: FileManager.default.isExecutableFile(atPath: validator) || Harness.peersRequired)
    )
    func validate() throws {
        for version in ["1.28.0", "1.31.0", nil] {
            let arguments = ["--strict"] + (version.map { ["-k", $0] } ?? []) + Self.manifests
            let result = try Harness.run(Self.validator, arguments, timeout: 120)
            #expect(result.status == 0, "kubernetes-validate \(version ?? "newest"): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.components(separatedBy: " passed for resource ").count - 1 == 10, "\(result.stdout)")
        }
    }

    @Test(
        "the DaemonSet runs everywhere: every taint tolerated, node-critical, node name from the downward API, probes on /healthz",
        .enabled(if: FileManager.default.isExecutableFile(atPath: python) || Harness.peersRequired)
    )
    func daemonSetShape() throws {
        let daemonSet = try Self.object(kind: "DaemonSet", in: Self.manifests[0])
        let spec = daemonSet["spec"]?["template"]?["spec"]
        #expect(spec?["tolerations"]?.array?.first?["operator"]?.string == "Exists")
        #expect(spec?["priorityClassName"]?.string == "system-node-critical")
        #expect(spec?["hostNetwork"]?.bool == true)
        let container = spec?["containers"]?.array?.first
        #expect(container?["env"]?.array?.first?["valueFrom"]?["fieldRef"]?["fieldPath"]?.string == "spec.nodeName")
        #expect(container?["args"]?.array?.contains { $0.string == "--node-name=$(NODE_NAME)" } == true)
        #expect(container?["livenessProbe"]?["httpGet"]?["path"]?.string == "/healthz")
        #expect(container?["readinessProbe"]?["httpGet"]?["path"]?.string == "/healthz")
        #expect(container?["securityContext"]?["capabilities"]?["drop"]?.array?.first?.string == "ALL")
        #expect(container?["securityContext"]?["capabilities"]?["add"]?.array?.map(\.string) == ["SYSLOG"])
        #expect(container?["securityContext"]?["readOnlyRootFilesystem"]?.bool == true)
        let mounts = container?["volumeMounts"]?.array?.compactMap { $0["mountPath"]?.string } ?? []
        for path in ["/host/proc", "/host/sys", "/host/root", "/dev/kmsg", "/var/lib/edgewatch", "/etc/edgewatch/rules.d"] {
            #expect(mounts.contains(path), "\(path) is not mounted")
        }
        let readOnly = container?["volumeMounts"]?.array?.filter { $0["readOnly"]?.bool == true }.compactMap { $0["mountPath"]?.string } ?? []
        #expect(Set(["/host/proc", "/host/sys", "/host/root", "/dev/kmsg"]).isSubset(of: Set(readOnly)))
        let role = try Self.object(kind: "ClusterRole", in: Self.manifests[0])
        let resources = role["rules"]?.array?.flatMap { $0["resources"]?.array?.compactMap(\.string) ?? [] } ?? []
        #expect(Set(resources) == ["events", "pods", "nodes"])
        #expect(role["rules"]?.array?.allSatisfy { $0["verbs"]?.array?.compactMap(\.string) == ["get", "list", "watch"] } == true)
    }

    /// The first object of `kind` in a multi-document YAML file, read by PyYAML (the venv's).
    static func object(kind: String, in file: String) throws -> JSONValue {
        let script = "import json,sys,yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d['kind']==sys.argv[2]][0]))"
        let result = try Harness.run(python, ["-c", script, file, kind])
        guard result.status == 0 else { throw HarnessError("reading \(kind) from \(file): \(result.stderr)") }
        return try JSONValue(parsing: result.stdout)
    }
}

import EdgewatchCore
import FakeAPIServer
import Foundation
import Testing

@testable import EdgewatchKubernetes

@Suite("Kubeconfig and credentials")
struct KubeConfigTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-kube-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a kubeconfig as k3s writes it (inline data, client certificate chain) and one with relative file paths")
    func readsK3sKubeconfig() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try FakeCertificates(directory: directory, node: "pi-1")
        for inline in [true, false] {
            let file = directory + "/k3s-\(inline).yaml"
            try certificates.kubeconfig(port: 6443, inline: inline).write(toFile: file, atomically: true, encoding: .utf8)
            let credentials = try CredentialDiscovery(kubeconfig: file, environment: [:]).discover()
            #expect(credentials?.host == "127.0.0.1" && credentials?.port == 6443 && credentials?.useTLS == true)
            #expect(credentials?.certificateAuthority == Array(try String(contentsOfFile: certificates.path("server-ca.crt"), encoding: .utf8).utf8))
            #expect(credentials?.clientCertificate == Array(try String(contentsOfFile: certificates.path("client-chain.crt"), encoding: .utf8).utf8))
            #expect(credentials?.clientKey != nil && credentials?.token == nil)
            #expect(throws: Never.self) { _ = try credentials?.tlsContext() }
        }
    }

    @Test("broken kubeconfigs name the file, line and what is missing")
    func errorsAreLocated() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cases: [(String, String)] = [
            ("apiVersion: v1\nclusters: []\n", "current-context: expected the name of a context"),
            ("current-context: a\ncontexts:\n- name: b\n  context: {cluster: c}\n", "contexts: no entry named \"a\""),
            (
                "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster:\n    server: https://h:6443\n    certificate-authority-data: '***'\n",
                "certificate-authority-data: expected Base64"
            ),
            (
                "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\nclusters:\n- name: c\n  cluster:\n    server: ftp://h\n",
                "expected an https:// (or http://) URL"
            ),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let file = directory + "/bad-\(index).yaml"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            #expect {
                _ = try CredentialDiscovery(kubeconfig: file, environment: [:]).discover()
            } throws: { error in
                "\(error)".contains(file) && "\(error)".contains(expected)
            }
        }
        let missing = directory + "/absent.yaml"
        #expect { _ = try CredentialDiscovery(kubeconfig: missing, environment: [:]).discover() } throws: {
            "\($0)".contains("cannot read \(missing)")
        }
    }

    @Test("in-cluster: service host and port, the ServiceAccount token re-read when it rotates; nothing found means off")
    func inClusterAndNothing() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "token-1\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        try "not a real CA".write(toFile: directory + "/ca.crt", atomically: true, encoding: .utf8)
        var discovery = CredentialDiscovery(kubeconfig: nil, environment: ["KUBERNETES_SERVICE_HOST": "10.43.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        discovery.serviceAccountDirectory = directory
        discovery.k3sKubeconfig = directory + "/absent.yaml"
        let credentials = try #require(try discovery.discover())
        #expect(credentials.host == "10.43.0.1" && credentials.port == 443 && credentials.origin == "in-cluster ServiceAccount")
        #expect(credentials.currentToken() == "token-1")
        try "token-2".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        #expect(credentials.currentToken() == "token-2")
        discovery.environment = [:]
        #expect(try discovery.discover() == nil)
    }

    @Test func base64DecodesStandardAndRejectsGarbage() {
        #expect(Base64.decode("aGVsbG8gd29ybGQ=") == Array("hello world".utf8))
        #expect(Base64.decode("aGVs\nbG8=") == Array("hello".utf8))
        #expect(Base64.decode("") == [])
        #expect(Base64.decode("a*b") == nil)
        #expect(Base64.decode("aGVsbG8=x") == nil)
    }
}

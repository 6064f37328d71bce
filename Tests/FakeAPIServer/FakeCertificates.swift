import Foundation
import NIOSSL

/// Certificates as k3s issues them, made with the openssl command: EC P-256 keys, a server CA
/// and a separate client CA, a server certificate for 127.0.0.1, and a node's client
/// certificate (CN=system:node:<name>, O=system:nodes) whose file holds the leaf and the client
/// CA. Written to `directory`; a kubeconfig like /etc/rancher/k3s/k3s.yaml points at them.
public struct FakeCertificates: Sendable {
    public let directory: String
    public let node: String

    public init(directory: String, node: String) throws {
        self.directory = directory
        self.node = node
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-ca.key"])
        try openssl([
            "req", "-x509", "-new", "-key", "server-ca.key", "-subj", "/CN=k3s-server-ca@1764000000", "-days", "3650", "-out", "server-ca.crt",
        ])
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "client-ca.key"])
        try openssl([
            "req", "-x509", "-new", "-key", "client-ca.key", "-subj", "/CN=k3s-client-ca@1764000000", "-days", "3650", "-out", "client-ca.crt",
        ])
        try issue(
            "server",
            subject: "/O=k3s/CN=k3s",
            ca: "server-ca",
            extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"
        )
        try issue("client", subject: "/O=system:nodes/CN=system:node:\(node)", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth")
        // Like k3s: the client certificate file holds the leaf and its CA.
        let chain =
            try String(contentsOfFile: path("client.crt"), encoding: .utf8) + (try String(contentsOfFile: path("client-ca.crt"), encoding: .utf8))
        try chain.write(toFile: path("client-chain.crt"), atomically: true, encoding: .utf8)
    }

    public func path(_ name: String) -> String { directory + "/" + name }

    private func issue(_ name: String, subject: String, ca: String, extensions: String) throws {
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(name).key"])
        try openssl(["req", "-new", "-key", "\(name).key", "-subj", subject, "-out", "\(name).csr"])
        try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).crt", "-CAkey", "\(ca).key", "-CAcreateserial", "-days", "365",
            "-extfile", "\(name).ext", "-out", "\(name).crt",
        ])
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed"])
        }
    }

    /// The apiserver's TLS: its certificate, and client certificates required, signed by the client CA.
    public func serverContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(path("server.crt")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: path("server.key"), format: .pem))
        )
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path("client-ca.crt")))
        configuration.certificateVerification = .noHostnameVerification
        return try NIOSSLContext(configuration: configuration)
    }

    /// The apiserver's TLS without client certificates (for bearer tokens).
    public func serverContextWithoutClientCertificates() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(path("server.crt")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: path("server.key"), format: .pem))
        )
        return try NIOSSLContext(configuration: configuration)
    }

    /// A kubeconfig as k3s writes it (`*-data` fields), for `server`.
    public func kubeconfig(port: Int, inline: Bool = true) throws -> String {
        func data(_ name: String) throws -> String { try Data(contentsOf: URL(fileURLWithPath: path(name))).base64EncodedString() }
        let cluster = inline ? "certificate-authority-data: \(try data("server-ca.crt"))" : "certificate-authority: server-ca.crt"
        let user =
            inline
            ? "client-certificate-data: \(try data("client-chain.crt"))\n    client-key-data: \(try data("client.key"))"
            : "client-certificate: client-chain.crt\n    client-key: client.key"
        return """
            apiVersion: v1
            clusters:
            - cluster:
                \(cluster)
                server: https://127.0.0.1:\(port)
              name: default
            contexts:
            - context:
                cluster: default
                user: default
              name: default
            current-context: default
            kind: Config
            preferences: {}
            users:
            - name: default
              user:
                \(user)

            """
    }
}

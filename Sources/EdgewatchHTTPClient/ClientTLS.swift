import NIOSSL

/// Client TLS for the agent's links to the hub: TLS 1.2 or later, the server's certificate checked
/// against a CA file (or the system's roots) and its name, and an optional client certificate.
public enum ClientTLS {
    /// A context for connections; empty paths mean the default (system roots, no client certificate).
    public static func context(caFile: String, certificateFile: String, keyFile: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if !caFile.isEmpty { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
        if !certificateFile.isEmpty {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name to check the server's certificate for: nil for an IP address (checked against the
    /// certificate's IP SANs by address instead).
    static func serverName(_ host: String) -> String? {
        host.contains(":") || host.split(separator: ".").allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) ? nil : host
    }
}

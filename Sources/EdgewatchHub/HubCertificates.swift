import NIOCore
import NIOSSL
import Synchronization

/// The hub's TLS certificate and key, read from their files at start and again on SIGHUP: new
/// connections get the newest pair that loaded; a pair that fails to load keeps the old one.
/// TLS 1.2 or later only; with a client CA, clients may present a certificate it signed (agents
/// must, see the ingest route), others (queries) still use the join token.
public final class HubCertificates: Sendable {
    private let certificateFile: String
    private let keyFile: String
    private let clientCAFile: String
    private let current: Mutex<(chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource)>

    public init(certificateFile: String, keyFile: String, clientCAFile: String) throws {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        current = Mutex(try Self.load(certificateFile, keyFile))
    }

    /// Reads the files again; throws (keeping the pair in use) when they do not load.
    public func reload() throws {
        let pair = try Self.load(certificateFile, keyFile)
        current.withLock { $0 = pair }
    }

    /// The server configuration: every handshake asks ``current`` for the pair to present.
    public func serverConfiguration() throws -> TLSConfiguration {
        let (chain, key) = current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        configuration.minimumTLSVersion = .tlsv12
        if !clientCAFile.isEmpty {
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
        }
        configuration.sslContextCallback = { [self] _, promise in
            let (chain, key) = current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = chain
            override.privateKey = key
            promise.succeed(override)
        }
        return configuration
    }

    private static func load(_ certificateFile: String, _ keyFile: String) throws -> (chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKeySource) {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        guard !chain.isEmpty else { throw HubError("\(certificateFile): no certificate in the file") }
        let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        return (chain.map { .certificate($0) }, .privateKey(key))
    }
}

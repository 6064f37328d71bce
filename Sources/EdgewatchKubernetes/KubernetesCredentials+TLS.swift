import NIOSSL

/// The client TLS context for https apiservers: the kubeconfig's CA as the only trust root (the
/// system's when none is given), its client certificate chain and key, or no verification at
/// all when `insecure-skip-tls-verify` says so.
extension KubernetesCredentials {
    func tlsContext() throws(KubernetesError) -> NIOSSLContext? {
        guard useTLS else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            if insecureSkipTLSVerify {
                configuration.certificateVerification = .none
            } else if let certificateAuthority {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(certificateAuthority))
            }
            if let clientCertificate, let clientKey {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(clientCertificate).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: clientKey, format: .pem))
            }
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .configuration("\(origin): TLS material cannot be used: \(error)")
        }
    }

    /// The bearer token to send now: the token file's current contents (rotated tokens are
    /// picked up), else the fixed token.
    func currentToken() -> String? {
        if let tokenFile, let text = try? CredentialDiscovery.bytes(tokenFile) {
            let token = String(decoding: text, as: UTF8.self).filter { !$0.isWhitespace }
            if !token.isEmpty { return token }
        }
        return token
    }
}

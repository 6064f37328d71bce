/// How the agent reaches the apiserver: its address, the CA to trust, and a client certificate
/// or a bearer token (read from a file again when it rotates).
public struct KubernetesCredentials: Sendable, Equatable {
    public var useTLS: Bool
    public var host: String
    public var port: Int
    /// PEM bytes of the CA bundle; nil trusts nothing but what `insecureSkipTLSVerify` allows.
    public var certificateAuthority: [UInt8]?
    /// PEM bytes of the client certificate chain and its key (what k3s writes).
    public var clientCertificate: [UInt8]?
    public var clientKey: [UInt8]?
    public var token: String?
    /// A file holding the token (ServiceAccount tokens are rotated: read before each request).
    public var tokenFile: String?
    public var insecureSkipTLSVerify = false
    /// Where these came from, for the log line (`kubeconfig /etc/rancher/k3s/k3s.yaml`, `in-cluster`).
    public var origin: String

    public init(server: String, origin: String) throws(KubernetesError) {
        let https = server.hasPrefix("https://")
        guard https || server.hasPrefix("http://") else {
            throw .configuration("\(origin): server \"\(server)\": expected an https:// (or http://) URL")
        }
        let authority = server.dropFirst(https ? 8 : 7).prefix { $0 != "/" }
        var host = String(authority)
        var port = https ? 443 : 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) ?? -1 }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        }
        guard !host.isEmpty, (1...65535).contains(port) else {
            throw .configuration("\(origin): server \"\(server)\": expected a host and a port between 1 and 65535")
        }
        self.useTLS = https
        self.host = host
        self.port = port
        self.origin = origin
    }
}

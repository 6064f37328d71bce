/// An http:// base URL (Alertmanager, the hub): `http://host:port[/prefix]`; where the caller
/// allows it (the hub), `https://` too.
public struct HTTPURL: Sendable, Equatable {
    /// https:// (TLS).
    public var secure: Bool
    public var host: String
    public var port: Int
    /// Path prefix without a trailing slash (often empty).
    public var pathPrefix: String

    public init?(_ text: String, allowingHTTPS: Bool = false) {
        secure = allowingHTTPS && text.hasPrefix("https://")
        guard text.hasPrefix("http://") || secure else { return nil }
        let rest = text.dropFirst(secure ? "https://".count : "http://".count)
        let defaultPort = secure ? 443 : 80
        let authority = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(authority.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : defaultPort
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...]) ?? -1
        } else {
            host = String(authority)
            port = defaultPort
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
    }
}

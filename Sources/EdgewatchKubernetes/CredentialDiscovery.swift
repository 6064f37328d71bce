import EdgewatchCore

/// Finds credentials, first that applies: a configured kubeconfig; in-cluster (the
/// ServiceAccount's token and CA, `KUBERNETES_SERVICE_HOST`/`PORT`); k3s's own kubeconfig on a
/// server node. nil when none applies (the source stays off).
public struct CredentialDiscovery: Sendable {
    public var kubeconfig: String?
    public var environment: [String: String]
    public var serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"
    public var k3sKubeconfig = "/etc/rancher/k3s/k3s.yaml"

    public init(kubeconfig: String?, environment: [String: String]) {
        self.kubeconfig = kubeconfig
        self.environment = environment
    }

    public func discover() throws(KubernetesError) -> KubernetesCredentials? {
        if let kubeconfig, !kubeconfig.isEmpty { return try Self.load(kubeconfig) }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty, let port = environment["KUBERNETES_SERVICE_PORT"],
            Self.readable(serviceAccountDirectory + "/token")
        {
            let bracketed = host.contains(":") ? "[\(host)]" : host
            var credentials = try KubernetesCredentials(server: "https://\(bracketed):\(port)", origin: "in-cluster ServiceAccount")
            credentials.tokenFile = serviceAccountDirectory + "/token"
            credentials.certificateAuthority = try? Self.bytes(serviceAccountDirectory + "/ca.crt")
            return credentials
        }
        if Self.readable(k3sKubeconfig) { return try Self.load(k3sKubeconfig) }
        return nil
    }

    static func load(_ path: String) throws(KubernetesError) -> KubernetesCredentials {
        let text: String
        do {
            text = try LocalFiles.read(path)
        } catch {
            throw .configuration("events.kubernetes.kubeconfig: cannot read \(path): \(error)")
        }
        return try KubeConfig.parse(text, file: path) { path in try bytes(path) }
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try LocalFiles.read(path).utf8) }

    static func readable(_ path: String) -> Bool { (try? LocalFiles.read(path)) != nil }
}

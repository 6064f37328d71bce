import EdgewatchCore
import EdgewatchYAML

/// Reads a kubeconfig: the current context's cluster and user. Fields kubectl knows but the
/// agent does not use are ignored; a missing piece or an undecodable `*-data` value is an error
/// naming the file, line and field.
enum KubeConfig {
    /// Parses `text` (the contents of `file`); relative paths in it are relative to the file.
    static func parse(_ text: String, file: String, read: (String) throws -> [UInt8]) throws(KubernetesError) -> KubernetesCredentials {
        let root: YAMLNode
        do {
            guard let parsed = try YAMLParser.parse(text, file: file) else { throw KubernetesError.configuration("\(file): empty kubeconfig") }
            root = parsed
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw .configuration("\(error)")
        }
        let directory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
        func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }
        func located(_ node: YAMLNode, _ message: String) -> KubernetesError {
            .configuration("\(file):\(node.line):\(node.column): \(message)")
        }
        guard let current = scalar(field(root, "current-context")), !current.isEmpty else {
            throw located(root, "current-context: expected the name of a context")
        }
        let context = try named(root, "contexts", current, located)
        guard let contextBody = field(context, "context"), let clusterName = scalar(field(contextBody, "cluster")) else {
            throw located(context, "context \"\(current)\": expected context.cluster")
        }
        let cluster = try named(root, "clusters", clusterName, located)
        guard let clusterBody = field(cluster, "cluster"), let server = scalar(field(clusterBody, "server")) else {
            throw located(cluster, "cluster \"\(clusterName)\": expected cluster.server")
        }
        var credentials = try KubernetesCredentials(server: server, origin: "kubeconfig \(file)")
        credentials.insecureSkipTLSVerify = scalar(field(clusterBody, "insecure-skip-tls-verify")) == "true"
        credentials.certificateAuthority = try bytes(clusterBody, "certificate-authority", resolve, read, located)
        if let userName = scalar(field(contextBody, "user")), !userName.isEmpty {
            let user = try named(root, "users", userName, located)
            guard let userBody = field(user, "user") else { throw located(user, "user \"\(userName)\": expected a user mapping") }
            credentials.clientCertificate = try bytes(userBody, "client-certificate", resolve, read, located)
            credentials.clientKey = try bytes(userBody, "client-key", resolve, read, located)
            if (credentials.clientCertificate == nil) != (credentials.clientKey == nil) {
                throw located(userBody, "user \"\(userName)\": client-certificate and client-key go together")
            }
            credentials.token = scalar(field(userBody, "token")).flatMap { $0.isEmpty ? nil : $0 }
            credentials.tokenFile = scalar(field(userBody, "tokenFile")).map(resolve)
        }
        return credentials
    }

    /// `field` or `field-data` (Base64) of `node`, as bytes.
    private static func bytes(
        _ node: YAMLNode,
        _ field: String,
        _ resolve: (String) -> String,
        _ read: (String) throws -> [UInt8],
        _ located: (YAMLNode, String) -> KubernetesError
    ) throws(KubernetesError) -> [UInt8]? {
        if let dataNode = Self.field(node, field + "-data"), let text = scalar(dataNode), !text.isEmpty {
            guard let decoded = Base64.decode(text) else { throw located(dataNode, "\(field)-data: expected Base64") }
            return decoded
        }
        guard let pathNode = Self.field(node, field), let path = scalar(pathNode), !path.isEmpty else { return nil }
        do {
            return try read(resolve(path))
        } catch {
            throw located(pathNode, "\(field): cannot read \(resolve(path)): \(error)")
        }
    }

    /// The entry of the list `list` whose `name` is `name`.
    private static func named(
        _ root: YAMLNode,
        _ list: String,
        _ name: String,
        _ located: (YAMLNode, String) -> KubernetesError
    ) throws(KubernetesError) -> YAMLNode {
        guard case .sequence(let items, _, _) = field(root, list) else { throw located(root, "\(list): expected a list") }
        guard let entry = items.first(where: { scalar(field($0, "name")) == name }) else {
            throw located(root, "\(list): no entry named \"\(name)\"")
        }
        return entry
    }

    static func field(_ node: YAMLNode?, _ key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _, _)? = node else { return nil }
        return pairs.first { if case .scalar(let name, _, _, _) = $0.key { name == key } else { false } }?.value
    }

    static func scalar(_ node: YAMLNode?) -> String? {
        guard case .scalar(let text, _, _, _)? = node else { return nil }
        return text
    }
}

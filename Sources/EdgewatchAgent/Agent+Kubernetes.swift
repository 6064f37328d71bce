import EdgewatchConfig
import EdgewatchKubernetes
import HostCollectors
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// Whether and how the agent watches Kubernetes events (`events.kubernetes.*`).
extension Agent {
    /// The source's settings: nil when it is off (`enabled: false`, or `auto` without credentials,
    /// said in one info line). `enabled: true` without usable credentials stops the agent.
    func kubernetesSettings(environment: [String: String] = Agent.environment()) throws -> KubernetesSourceSettings? {
        let mode = configuration.kubernetesEvents
        guard mode != "false" else { return nil }
        let discovery = CredentialDiscovery(kubeconfig: configuration.kubeconfig.isEmpty ? nil : configuration.kubeconfig, environment: environment)
        let credentials: KubernetesCredentials?
        do {
            credentials = try discovery.discover()
        } catch {
            // A kubeconfig the user named, or `enabled: true`, must work; k3s's own is only a guess.
            if mode == "true" || !configuration.kubeconfig.isEmpty { throw AgentError.kubernetes("events.kubernetes: \(error)") }
            logger.warning("kubernetes events off: \(error)")
            return nil
        }
        guard let credentials else {
            if mode == "true" {
                throw AgentError.kubernetes(
                    "events.kubernetes.enabled is true but no credentials were found: set events.kubernetes.kubeconfig, run in a pod with a ServiceAccount, or on a k3s server (/etc/rancher/k3s/k3s.yaml)"
                )
            }
            logger.info("kubernetes events off: no kubeconfig, in-cluster ServiceAccount or /etc/rancher/k3s/k3s.yaml found")
            return nil
        }
        return KubernetesSourceSettings(
            credentials: credentials,
            node: nodeName,
            scope: EventScope(rawValue: configuration.kubernetesEventScope) ?? .node,
            api: KubernetesSourceSettings.API(rawValue: configuration.kubernetesEventAPI) ?? .core
        )
    }

    /// The process environment.
    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }
}

extension Agent {
    /// The pod watch's index as the collectors' names (pod uid → namespace/name, container id → name).
    static func names(_ index: PodIndex) -> PodNames {
        var names = PodNames()
        for (uid, pod) in index.pods { names.pods[uid] = (pod.namespace, pod.name) }
        names.containers = index.containerNames
        return names
    }
}

import FoundationEssentials

@testable import EdgewatchKubernetes

extension FuzzTarget {
    /// What a (possibly hostile) apiserver sends: watch lines, list bodies, and the kubeconfig on disk.
    static let kubernetesTargets: [FuzzTarget] = [
        FuzzTarget(name: "watch-line") { bytes in
            guard let line = WatchLine.parse(bytes[...]) else { return }
            _ = line.failure
            _ = KubernetesEventMapping.occurrence(line.object, previous: 0, node: "node-1", now: 1_700_000_000_000)
            _ = KubernetesEventMapping.reportingHosts(line.object)
            var pods = PodIndex()
            pods.apply(line.type, line.object, now: 1_700_000_000_000)
        },
        FuzzTarget(name: "kubernetes-list") { bytes in
            guard let list = try? JSONDecoder().decode(KubernetesList.self, from: Data(bytes)) else { return }
            var pods = PodIndex()
            pods.replace(with: list.items ?? [], now: 1_700_000_000_000)
        },
        FuzzTarget(name: "kubeconfig") { bytes in
            _ = try? KubeConfig.parse(String(decoding: bytes, as: UTF8.self), file: "/etc/rancher/k3s/k3s.yaml") { path in
                Array("-----BEGIN CERTIFICATE-----\n\(path)\n-----END CERTIFICATE-----\n".utf8)
            }
        },
    ]
}

import EdgewatchConfig
import EdgewatchHub
import EdgewatchYAML
import HostCollectors

extension FuzzTarget {
    /// Config files as an operator writes them: the YAML layer and both loaders over it.
    static let configTargets: [FuzzTarget] = [
        FuzzTarget(name: "yaml") { bytes in
            _ = try? YAMLParser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        },
        FuzzTarget(name: "agent-config") { bytes in
            _ = try? AgentConfiguration.parse(
                String(decoding: bytes, as: UTF8.self),
                file: "agent.yaml",
                knownCollectors: collectorNames,
                knownRuleSets: ["node", "kubernetes", "edgewatch"]
            )
        },
        FuzzTarget(name: "hub-config") { bytes in
            let base = HubConfiguration(listen: "127.0.0.1:9910", dataDirectory: "/nonexistent", insecure: true)
            _ = try? base.merging(yaml: String(decoding: bytes, as: UTF8.self), file: "hub.yaml")
        },
    ]

    private static let collectorNames = CollectorCatalog.names
}

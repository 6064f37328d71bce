// swift-tools-version:6.1
import PackageDescription

/// edgewatch: one static binary for observability on small k3s edge clusters.
///
/// Data flows one way: collectors → store → rules / uplink → hub.
/// Each concern is its own module with one public façade:
/// - `EdgewatchCore`: samples, labels, metric families (the shared data model).
/// - `EdgewatchExposition`: OpenMetrics text and JSON writers.
/// - `EdgewatchPromQL`: the PromQL subset (parser and engine) that rules and the hub evaluate.
/// - `EdgewatchRules`: Prometheus rule files, templates, alert state and promtool-style rule tests.
/// - `CEdgewatchLinux`: a thin C shim for Linux calls Swift cannot import (adjtimex).
/// - `HostFS`: file access through injected roots (`ProcFS`, `SysFS`, `RootFS`) and kernel calls.
/// - `EdgewatchConfig`: the agent's YAML configuration (libyaml), with located errors.
/// - `EdgewatchStore`: the SQLite ring buffer (compressed blocks, rollups, gaps, cycles).
/// - `HostCollectors`: node_exporter-compatible host/OS collectors and edge-board collectors.
/// - `EdgewatchAgent`: the daemon (ServiceGroup of store, collection, HTTP and systemd services).
/// - `edgewatch`: the command-line executable.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "edgewatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edgewatch", targets: ["edgewatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The hub's HTTP server; default traits off so full Foundation stays out of the binary.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .target(name: "EdgewatchCore", swiftSettings: strictSettings),
        .target(
            name: "EdgewatchExposition",
            dependencies: ["EdgewatchCore"],
            swiftSettings: strictSettings
        ),
        .target(name: "EdgewatchPromQL", dependencies: ["EdgewatchCore"], swiftSettings: strictSettings),
        .target(
            name: "EdgewatchRules",
            dependencies: ["EdgewatchConfig", "EdgewatchCore", "EdgewatchPromQL"],
            swiftSettings: strictSettings
        ),
        .target(name: "CEdgewatchLinux"),
        .target(name: "CNVML", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "EdgewatchConfig", dependencies: ["CYAML"], swiftSettings: strictSettings),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "EdgewatchUplink",
            dependencies: ["CCrypto", "CZlib", "EdgewatchCore", "EdgewatchStore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchHub",
            dependencies: [
                "CSQLite", "EdgewatchConfig", "EdgewatchCore", "EdgewatchExposition", "EdgewatchPromQL", "EdgewatchStore", "EdgewatchUplink",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "EdgewatchStore",
            dependencies: ["CSQLite", "EdgewatchCore"],
            swiftSettings: strictSettings
        ),
        .target(name: "HostFS", dependencies: ["CEdgewatchLinux"], swiftSettings: strictSettings),
        .target(
            name: "HostCollectors",
            dependencies: [
                "CNVML",
                "EdgewatchCore",
                "HostFS",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchAgent",
            dependencies: [
                "CSystemd", "EdgewatchConfig", "EdgewatchCore", "EdgewatchExposition", "EdgewatchPromQL", "EdgewatchRules", "EdgewatchStore",
                "EdgewatchUplink",
                "HostCollectors", "HostFS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch",
            dependencies: [
                "EdgewatchAgent",
                "EdgewatchConfig",
                "EdgewatchCore",
                "EdgewatchExposition",
                "EdgewatchHub",
                "EdgewatchRules",
                "EdgewatchStore",
                "HostCollectors",
                "HostFS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-store-bench",
            dependencies: ["EdgewatchStore", "EdgewatchCore", "HostFS"],
            path: "Benchmarks/StoreBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-rules-bench",
            dependencies: ["EdgewatchAgent", "EdgewatchCore", "EdgewatchRules", "EdgewatchStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/RulesBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-uplink-bench",
            dependencies: ["EdgewatchCore", "EdgewatchStore", "EdgewatchUplink"],
            path: "Benchmarks/UplinkBenchmark",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchExpositionTests",
            dependencies: ["EdgewatchCore", "EdgewatchExposition"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HostCollectorsTests",
            dependencies: ["EdgewatchCore", "HostCollectors", "HostFS"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchPromQLTests",
            dependencies: ["EdgewatchCore", "EdgewatchPromQL"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchUplinkTests",
            dependencies: ["EdgewatchCore", "EdgewatchStore", "EdgewatchUplink"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchAgentTests",
            dependencies: ["EdgewatchAgent", "EdgewatchCore", "EdgewatchRules"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchRulesTests",
            dependencies: ["EdgewatchCore", "EdgewatchPromQL", "EdgewatchRules"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchConfigTests",
            dependencies: ["EdgewatchConfig"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchStoreTests",
            dependencies: ["EdgewatchStore", "EdgewatchCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchE2ETests",
            dependencies: ["EdgewatchCore", "EdgewatchStore", "EdgewatchUplink"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)

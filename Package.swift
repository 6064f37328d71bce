// swift-tools-version:6.1
import PackageDescription

/// edgewatch: one static binary for observability on small k3s edge clusters.
///
/// Data flows one way: collectors → store → rules / uplink → hub. Each concern is its own module
/// with one public façade; shared layers sit below the features and import none of them:
/// - shared: `EdgewatchCore` (samples, labels, selectors, backoff), `EdgewatchEncoding` (varints,
///   the Gorilla block codec, series keys, tiers), `EdgewatchSQLite` (connection, statements, WAL
///   policy, a thread per database), `EdgewatchYAML` (parser and the keyed settings decoder),
///   `EdgewatchExposition` (OpenMetrics/Prometheus text and JSON), `EdgewatchPromQL`,
///   `EdgewatchWire` (the agent↔hub batch format, zlib, secrets), `EdgewatchHTTPClient`.
/// - agent side: `HostFS` → `HostCollectors`; `EdgewatchStore`; `EdgewatchRules`;
///   `EdgewatchUplink` (plan, state, sender); `EdgewatchConfig`; `EdgewatchAgent` wires them.
/// - hub side: `EdgewatchHub` (shared layers only, nothing agent-side).
/// - `edgewatch`: the command-line executable, agent and hub in one file.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "edgewatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edgewatch", targets: ["edgewatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The one TLS stack (BoringSSL): the Kubernetes client now, agent→hub and the hub's server next.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The hub's HTTP server; default traits off so full Foundation stays out of the binary.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // remote_write's protobuf messages; default traits off (BinaryDelimitedStreams imports full Foundation).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
    ],
    targets: [
        .target(name: "EdgewatchCore", swiftSettings: strictSettings),
        .target(
            name: "EdgewatchSQLite",
            dependencies: [
                "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "EdgewatchEncoding", dependencies: ["EdgewatchCore"], swiftSettings: strictSettings),
        .target(name: "EdgewatchYAML", dependencies: ["CYAML"], swiftSettings: strictSettings),
        .target(
            name: "EdgewatchBundle",
            dependencies: ["CZlib", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchSQLite"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchExport",
            dependencies: [
                "EdgewatchBundle", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchJournal", "EdgewatchPromQL",
                "EdgewatchSQLite",
                "EdgewatchStore",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchWire",
            dependencies: ["CZlib", "EdgewatchCore", "EdgewatchEncoding"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchHTTPClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchKubernetes",
            dependencies: [
                "EdgewatchCore", "EdgewatchHTTPClient", "EdgewatchYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "CTerminal", linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),
        .target(
            name: "EdgewatchTop",
            dependencies: ["CTerminal", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchStore", "EdgewatchUplink"],
            swiftSettings: strictSettings
        ),
        .target(name: "EdgewatchNodeEvents", dependencies: ["EdgewatchCore", "HostFS"], swiftSettings: strictSettings),
        .target(
            name: "EdgewatchExposition",
            dependencies: ["EdgewatchCore"],
            swiftSettings: strictSettings
        ),
        .target(name: "EdgewatchPromQL", dependencies: ["EdgewatchCore"], swiftSettings: strictSettings),
        .target(
            name: "EdgewatchRules",
            dependencies: ["EdgewatchCore", "EdgewatchPromQL", "EdgewatchYAML"],
            swiftSettings: strictSettings
        ),
        .target(name: "CEdgewatchLinux"),
        .target(name: "CJournal", dependencies: ["CLibraryLoader"]),
        .target(name: "EdgewatchJournal", dependencies: ["CJournal", "EdgewatchCore"], swiftSettings: strictSettings),
        .target(name: "CNVML", linkerSettings: [.linkedLibrary("dl")]),
        // libpq through dlopen: only a hub with `storage.postgres` maps it (and its TLS library).
        .target(name: "CLibraryLoader", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CPostgres", dependencies: ["CLibraryLoader"]),
        .target(name: "EdgewatchPostgres", dependencies: ["CPostgres"], swiftSettings: strictSettings),
        // libsnappy through dlopen: only a hub with remote_write targets maps it (and the C++ runtime).
        .target(name: "CSnappy", dependencies: ["CLibraryLoader"]),
        .target(
            name: "EdgewatchRemoteWrite",
            dependencies: ["CSnappy", "EdgewatchCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["remote_write.proto"],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "EdgewatchConfig", dependencies: ["EdgewatchCore", "EdgewatchYAML"], swiftSettings: strictSettings),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "EdgewatchUplink",
            dependencies: [
                "EdgewatchCore", "EdgewatchEncoding", "EdgewatchHTTPClient", "EdgewatchSQLite", "EdgewatchStore", "EdgewatchWire", "HostFS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchHub",
            dependencies: [
                "EdgewatchBundle", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchHTTPClient", "EdgewatchPostgres",
                "EdgewatchPromQL", "EdgewatchRemoteWrite", "EdgewatchSQLite", "EdgewatchWire", "EdgewatchYAML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EdgewatchStore",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchSQLite"],
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
                "EdgewatchConfig", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchHTTPClient",
                "EdgewatchJournal", "EdgewatchKubernetes", "EdgewatchNodeEvents", "EdgewatchPromQL", "EdgewatchRules", "EdgewatchSQLite",
                "EdgewatchStore",
                "EdgewatchUplink", "HostCollectors",
                "HostFS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
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
                "EdgewatchEncoding",
                "EdgewatchBundle",
                "EdgewatchExport",
                "EdgewatchExposition",
                "EdgewatchHTTPClient",
                "EdgewatchHub",
                "EdgewatchRules",
                "EdgewatchStore",
                "EdgewatchTop",
                "EdgewatchUplink",
                "EdgewatchWire",
                "EdgewatchYAML",
                "HostCollectors",
                "HostFS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: [
                // Release only: a sanitizer build must export the sanitizer's entry points, which the Swift
                // runtime looks up with dlsym (ThreadSanitizer's __tsan_acquire/__tsan_release mark each task hop).
                .unsafeFlags(
                    ["-Xlinker", "--version-script=\(Context.packageDirectory)/packaging/linker/edgewatch.map"],
                    .when(configuration: .release)
                ),
                // The functions a steady agent runs, placed together (gold; `make hot-functions`).
                .unsafeFlags(
                    ["-use-ld=gold", "-Xlinker", "--section-ordering-file=\(Context.packageDirectory)/packaging/linker/hot-functions.order"],
                    .when(configuration: .release)
                ),
            ]
        ),
        .executableTarget(
            name: "edgewatch-store-bench",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchStore", "HostFS"],
            path: "Benchmarks/StoreBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-rules-bench",
            dependencies: [
                "EdgewatchAgent", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchRules", "EdgewatchStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RulesBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-top-bench",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchStore"],
            path: "Benchmarks/TopBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-events-bench",
            dependencies: ["FakeAPIServer"],
            path: "Benchmarks/EventsBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-uplink-bench",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchStore", "EdgewatchWire"],
            path: "Benchmarks/UplinkBenchmark",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "edgewatch-hub-query-bench",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchHub", "EdgewatchPromQL", "EdgewatchSQLite", "EdgewatchWire"],
            path: "Benchmarks/HubQueryBenchmark",
            swiftSettings: strictSettings
        ),
        // The apiserver the suite talks to (list, watch, faults, TLS as k3s issues it); tests only.
        .target(
            name: "FakeAPIServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/FakeAPIServer",
            swiftSettings: strictSettings
        ),
        // Servers the suite starts: a real PostgreSQL (Debian's) in a temporary directory, free loopback ports; tests only.
        .target(name: "TestServers", path: "Tests/TestServers", swiftSettings: strictSettings),
        .testTarget(
            name: "EdgewatchHubTests",
            dependencies: [
                "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchHub", "EdgewatchPostgres", "EdgewatchPromQL",
                "EdgewatchRemoteWrite",
                "EdgewatchSQLite", "EdgewatchWire", "TestServers",
                .product(name: "HummingbirdCore", package: "hummingbird"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchPostgresTests",
            dependencies: ["EdgewatchPostgres", "TestServers"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchNodeEventsTests",
            dependencies: ["EdgewatchCore", "EdgewatchNodeEvents"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchKubernetesTests",
            dependencies: ["EdgewatchCore", "EdgewatchKubernetes", "FakeAPIServer", .product(name: "NIOPosix", package: "swift-nio")],
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
            dependencies: [
                "EdgewatchCore", "EdgewatchEncoding", "EdgewatchHTTPClient", "EdgewatchSQLite", "EdgewatchStore", "EdgewatchUplink", "EdgewatchWire",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchAgentTests",
            dependencies: ["EdgewatchAgent", "EdgewatchCore", "EdgewatchRules"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchRulesTests",
            dependencies: ["EdgewatchCore", "EdgewatchPromQL", "EdgewatchRules", "EdgewatchYAML"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchConfigTests",
            dependencies: ["EdgewatchConfig", "EdgewatchCore", "EdgewatchYAML"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchExportTests",
            dependencies: ["EdgewatchBundle", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExport", "EdgewatchPromQL"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchStoreTests",
            dependencies: ["EdgewatchCore", "EdgewatchEncoding", "EdgewatchSQLite", "EdgewatchStore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EdgewatchE2ETests",
            dependencies: [
                "EdgewatchCore", "EdgewatchEncoding", "EdgewatchHTTPClient", "EdgewatchHub", "EdgewatchPostgres", "EdgewatchSQLite", "EdgewatchStore",
                "EdgewatchWire", "FakeAPIServer", "TestServers", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)

// The libFuzzer harness (Fuzz/, `make fuzz-build`): declared only when EDGEWATCH_FUZZ is set, since
// it links libFuzzer's own `main` and is built only with `-sanitize=fuzzer`.
if Context.environment["EDGEWATCH_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "edgewatch-fuzz",
            dependencies: [
                "EdgewatchBundle", "EdgewatchConfig", "EdgewatchCore", "EdgewatchEncoding", "EdgewatchExposition", "EdgewatchHub",
                "EdgewatchKubernetes", "EdgewatchNodeEvents", "EdgewatchPromQL", "EdgewatchRules", "EdgewatchWire", "EdgewatchYAML",
                "HostCollectors", "HostFS",
            ],
            path: "Fuzz/Sources/edgewatch-fuzz",
            swiftSettings: strictSettings,
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        )
    )
    // Coverage counters in this package's modules only (ASan comes from the command line for every
    // Swift module; the C shims get both here): libFuzzer scans and clears every counter on every
    // execution, and those of swift-nio, hummingbird and the other dependencies made most of the
    // time per input. (`-sanitize=fuzzer` here would be overridden by the command line's
    // `-sanitize=address`; the driver keeps the last one.)
    let coverage = "-sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp"
    for target in package.targets where target.type != .system && target.type != .test {
        if target.name.hasPrefix("C") {
            target.cSettings = (target.cSettings ?? []) + [.unsafeFlags(["-fsanitize=fuzzer-no-link,address"])]
        } else {
            target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags([coverage])]
        }
    }
}

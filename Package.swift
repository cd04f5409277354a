// swift-tools-version: 6.1
// Rollout: run CRM implementations from YAML playbooks, on an operational CRM core in SQLite.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "rollout",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rollout", targets: ["rollout"]),
        .library(name: "RolloutKit", targets: ["RolloutKit"]),
        // What a plugin author links: the C ABI wrapped as a Swift protocol.
        .library(name: "PluginKit", targets: ["PluginKit"]),
        // The smallest Swift plugin, a shared library the tests load (Plugins/Example).
        .library(name: "RolloutExamplePlugin", type: .dynamic, targets: ["ExamplePlugin"]),
        // The three industry verticals (S4), each a shared library with its plugin.yaml.
        .library(name: "RolloutRetail", type: .dynamic, targets: ["RetailPlugin"]),
        .library(name: "RolloutManufacturing", type: .dynamic, targets: ["ManufacturingPlugin"]),
        .library(name: "RolloutFinancialServices", type: .dynamic, targets: ["FinancialServicesPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // The operational CRM: schema, records, access rules, audit trail, import/export, analysis, demo data.
        .target(
            name: "CRMCore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "ZIPFoundation",
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The system's libyaml (the customer's choice), read through its event API.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        // The playbook language: model with source positions, loader, validator, diagnostics.
        .target(
            name: "Playbook",
            dependencies: ["CLibYAML", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The KPI catalog, measurement per group and window, snapshots.
        .target(
            // Not `Metrics`: swift-metrics (under Hummingbird) has a module of that name.
            name: "RolloutMetrics",
            dependencies: ["CRMCore", "Playbook", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Metrics",
            swiftSettings: strict),
        // The durable rollout runtime: event log, projections, phases, tasks, gates, approvals.
        .target(
            name: "Engine",
            dependencies: ["CRMCore", "Playbook", "RolloutMetrics", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Lessons learned, finance (NPV, IRR, payback, TCO), evaluation reports.
        .target(
            name: "Evaluation",
            dependencies: [
                "CRMCore", "Playbook", "RolloutMetrics", "Engine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict),
        // The C ABI between the host and a plugin (a shared library): one header, versioned.
        .target(name: "CRolloutPlugin"),
        // For plugin authors: implement `RolloutPlugin`, export one @_cdecl entry; no C to write.
        .target(name: "PluginKit", dependencies: ["CRolloutPlugin"], swiftSettings: strict),
        .target(name: "ExamplePlugin", dependencies: ["PluginKit", "CRolloutPlugin"], path: "Plugins/Example/Sources",
                swiftSettings: strict),
        .target(name: "RetailPlugin", dependencies: ["PluginKit", "CRolloutPlugin"], path: "Plugins/Retail/Sources",
                swiftSettings: strict),
        .target(name: "ManufacturingPlugin", dependencies: ["PluginKit", "CRolloutPlugin"],
                path: "Plugins/Manufacturing/Sources", swiftSettings: strict),
        .target(name: "FinancialServicesPlugin", dependencies: ["PluginKit", "CRolloutPlugin"],
                path: "Plugins/FinancialServices/Sources", swiftSettings: strict),
        // Finding, checking (ABI, checksum, file kind) and loading plugins with dlopen; calls as JSON.
        .target(
            name: "PluginHost",
            dependencies: ["CRolloutPlugin", "PluginKit", "Playbook", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The application layer the CLI (and later the server) call: workspaces, the demo.
        .target(
            name: "RolloutKit",
            dependencies: ["CRMCore", "Playbook", "RolloutMetrics", "Engine", "Evaluation", "PluginHost", "PluginKit",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict),
        // `rollout serve`: the REST API and pages on Hummingbird, over the same library calls as the CLI.
        .target(
            name: "Server",
            dependencies: ["RolloutKit", "CRMCore", "Engine", "Evaluation", "Playbook", "RolloutMetrics",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strict),
        .executableTarget(
            name: "rollout",
            dependencies: ["RolloutKit", "Server", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Test support: temporary workspaces, fixed clocks, a runner for the built binary.
        .target(
            name: "RolloutTesting",
            dependencies: ["RolloutKit", "CRMCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),

        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore", "RolloutTesting"], swiftSettings: strict),
        .testTarget(name: "PlaybookTests", dependencies: ["Playbook"], resources: [.copy("Fixtures")],
                    swiftSettings: strict),
        .testTarget(name: "MetricsTests", dependencies: ["RolloutMetrics", "RolloutTesting"], swiftSettings: strict),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "RolloutKit", "RolloutTesting"], resources: [.copy("Fixtures")],
                    swiftSettings: strict),
        .testTarget(name: "PluginHostTests", dependencies: ["PluginHost", "RolloutTesting"], swiftSettings: strict),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "RolloutTesting"], swiftSettings: strict),
        // Drives the built binary; depending on the executable makes `swift test` build it first.
        .testTarget(name: "EndToEndTests", dependencies: ["rollout", "RolloutTesting"], resources: [.copy("Fixtures")],
                    swiftSettings: strict),
    ]
)

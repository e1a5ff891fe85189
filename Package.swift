// swift-tools-version:6.0
import PackageDescription

/// Products the targets use, by name; `grpc` and `nioHTTP` are what every gRPC or HTTP server
/// or client target takes together.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let toml: Target.Dependency = .product(name: "TOMLKit", package: "TOMLKit")
let swiftProtobuf: Target.Dependency = .product(name: "SwiftProtobuf", package: "swift-protobuf")
let grpcProtobuf: Target.Dependency = .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf")
let histogram: Target.Dependency = .product(name: "Histogram", package: "hdrhistogram-swift")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
let nioHTTPCompression: Target.Dependency = .product(name: "NIOHTTPCompression", package: "swift-nio-extras")
let grpc: [Target.Dependency] = [
    .product(name: "GRPCCore", package: "grpc-swift-2"),
    .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")
]
let nioHTTP: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio")
]

let package = Package(
    name: "infertop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "infertop", targets: ["infertop"]),
        .executable(name: "infertop-agent", targets: ["infertop-agent"]),
        .library(name: "InfertopCore", targets: ["InfertopCore"]),
        .library(name: "InfertopSim", targets: ["InfertopSim"]),
        .library(name: "InfertopUI", targets: ["InfertopUI"]),
        .library(name: "InfertopWire", targets: ["InfertopWire"]),
        .library(name: "InfertopAgent", targets: ["InfertopAgent"]),
        .library(name: "InfertopOTLP", targets: ["InfertopOTLP"]),
        .library(name: "InfertopCollectors", targets: ["InfertopCollectors"]),
        // For the benchmarks package: loopback sockets, polling, fixtures.
        .library(name: "InfertopTestSupport", targets: ["InfertopTestSupport"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2")
    ],
    targets: [
        .target(
            name: "InfertopCore", dependencies: ["CMalloc", histogram]),
        .target(name: "InfertopSim", dependencies: ["InfertopCore"]),
        // TOML files decoded into Decodable shapes, every mistake located by key and line.
        .target(name: "InfertopTOML", dependencies: ["InfertopCore", toml]),
        .target(name: "InfertopCollectors", dependencies: ["InfertopCore"]),
        // What both executables share about running as a command: logfmt logs, exit statuses.
        .target(
            name: "InfertopCLI",
            dependencies: [argumentParser, logging]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "InfertopWire",
            dependencies: ["InfertopCore", "InfertopTOML", "CZlib", grpcProtobuf, swiftProtobuf, toml] + grpc,
            exclude: ["Protos"]
        ),
        .target(
            name: "InfertopOTLP",
            dependencies: ["InfertopCore", swiftProtobuf, grpcProtobuf, nioHTTPCompression] + grpc + nioHTTP,
            exclude: ["Protos"]
        ),
        .target(
            name: "InfertopAgent",
            dependencies: [
                "InfertopCore", "InfertopSim", "InfertopWire", "InfertopCollectors", "InfertopOTLP", "InfertopTOML",
                toml, prometheus,
                httpClient, nioSSL, logging
            ] + grpc + nioHTTP
        ),
        .executableTarget(
            name: "infertop-agent",
            dependencies: ["InfertopAgent", "InfertopCore", "InfertopCLI", logging, argumentParser]
        ),
        .target(
            name: "InfertopUI",
            dependencies: ["InfertopCore", "InfertopTOML", toml]
        ),
        .target(name: "InfertopReplay", dependencies: ["InfertopWire", "InfertopUI", "InfertopCore"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "InfertopTerminal", dependencies: ["InfertopUI", "CNcursesw"]),
        .target(name: "InfertopTestSupport", dependencies: ["InfertopCore", "InfertopSim", "InfertopUI"]),
        .executableTarget(
            name: "infertop",
            dependencies: [
                "InfertopCore", "InfertopSim", "InfertopUI", "InfertopTerminal", "InfertopWire", "InfertopAgent",
                "InfertopReplay", "InfertopCollectors", "InfertopCLI", argumentParser, logging, toml
            ]
        ),
        .testTarget(name: "InfertopCoreTests", dependencies: ["InfertopCore", "InfertopTestSupport"]),
        .testTarget(name: "InfertopSimTests", dependencies: ["InfertopSim", "InfertopCore"]),
        .testTarget(name: "InfertopTOMLTests", dependencies: ["InfertopTOML"]),
        .testTarget(
            name: "InfertopCLITests",
            dependencies: ["InfertopCLI", argumentParser, logging]
        ),
        .testTarget(
            name: "InfertopCollectorsTests", dependencies: ["InfertopCollectors", "InfertopCore"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "InfertopUITests",
            dependencies: ["InfertopUI", "InfertopSim", "InfertopTestSupport"],
            exclude: ["__Snapshots__", "Fixtures"]
        ),
        .testTarget(name: "InfertopTerminalTests", dependencies: ["InfertopTerminal"]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["InfertopTestSupport", "InfertopSim", "InfertopCore"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "InfertopOTLPTests",
            dependencies: ["InfertopOTLP", "InfertopCore", "InfertopTestSupport", swiftProtobuf, grpcProtobuf] + grpc,
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "InfertopWireTests",
            dependencies: [
                "InfertopWire", "InfertopCore", "InfertopUI", "InfertopSim", "InfertopReplay", "InfertopTestSupport",
                swiftProtobuf
            ]
        ),
        // The wire conversions and the merger, alone: the inner loop for the dashboard's data path.
        .testTarget(
            name: "InfertopMergeTests",
            dependencies: ["InfertopWire", "InfertopCore", "InfertopSim", "InfertopTestSupport", swiftProtobuf]
        ),
        .testTarget(
            name: "InfertopAgentTests",
            dependencies: [
                "InfertopAgent", "InfertopWire", "InfertopCore", "InfertopSim", "InfertopTestSupport",
                "InfertopCollectors", swiftProtobuf, logging
            ] + grpc
        )
    ]
)

// swift-tools-version:6.0
import PackageDescription

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
        .library(name: "InfertopCollectors", targets: ["InfertopCollectors"])
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
            name: "InfertopCore", dependencies: ["CMalloc", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "InfertopSim", dependencies: ["InfertopCore"]),
        // TOML files decoded into Decodable shapes, every mistake located by key and line.
        .target(name: "InfertopTOML", dependencies: ["InfertopCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "InfertopCollectors", dependencies: ["InfertopCore"]),
        // What both executables share about running as a command: logfmt logs, exit statuses.
        .target(
            name: "InfertopCLI",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "InfertopWire",
            dependencies: [
                "InfertopCore", "InfertopTOML", "CZlib",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "TOMLKit", package: "TOMLKit")
            ],
            exclude: ["Protos"]
        ),
        .target(
            name: "InfertopOTLP",
            dependencies: [
                "InfertopCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras")
            ],
            exclude: ["Protos"]
        ),
        .target(
            name: "InfertopAgent",
            dependencies: [
                "InfertopCore", "InfertopSim", "InfertopWire", "InfertopCollectors", "InfertopOTLP", "InfertopTOML",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .executableTarget(
            name: "infertop-agent",
            dependencies: [
                "InfertopAgent", "InfertopCore", "InfertopCLI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .target(
            name: "InfertopUI",
            dependencies: ["InfertopCore", "InfertopTOML", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "InfertopReplay", dependencies: ["InfertopWire", "InfertopUI", "InfertopCore"]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "InfertopTerminal", dependencies: ["InfertopUI", "CNcursesw"]),
        .target(name: "InfertopTestSupport", dependencies: ["InfertopCore", "InfertopSim", "InfertopUI"]),
        .executableTarget(
            name: "infertop",
            dependencies: [
                "InfertopCore", "InfertopSim", "InfertopUI", "InfertopTerminal", "InfertopWire", "InfertopAgent",
                "InfertopReplay", "InfertopCollectors", "InfertopCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit")
            ]
        ),
        .testTarget(name: "InfertopCoreTests", dependencies: ["InfertopCore", "InfertopTestSupport"]),
        .testTarget(name: "InfertopSimTests", dependencies: ["InfertopSim", "InfertopCore"]),
        .testTarget(name: "InfertopTOMLTests", dependencies: ["InfertopTOML"]),
        .testTarget(
            name: "InfertopCLITests",
            dependencies: [
                "InfertopCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]
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
            dependencies: [
                "InfertopOTLP", "InfertopCore", "InfertopTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "InfertopWireTests",
            dependencies: [
                "InfertopWire", "InfertopCore", "InfertopUI", "InfertopSim", "InfertopReplay", "InfertopTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf")
            ]
        ),
        .testTarget(
            name: "InfertopAgentTests",
            dependencies: [
                "InfertopAgent", "InfertopWire", "InfertopCore", "InfertopSim", "InfertopTestSupport",
                "InfertopCollectors",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport")
            ]
        )
    ]
)

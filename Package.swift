// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "infertop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "infertop", targets: ["infertop"]),
        .library(name: "InfertopCore", targets: ["InfertopCore"]),
        .library(name: "InfertopSim", targets: ["InfertopSim"]),
        .library(name: "InfertopUI", targets: ["InfertopUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "InfertopCore"),
        .target(name: "InfertopSim", dependencies: ["InfertopCore"]),
        .target(
            name: "InfertopUI",
            dependencies: ["InfertopCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "InfertopTerminal", dependencies: ["InfertopUI", "CNcursesw"]),
        .target(name: "InfertopTestSupport", dependencies: ["InfertopCore", "InfertopSim", "InfertopUI"]),
        .executableTarget(
            name: "infertop",
            dependencies: [
                "InfertopCore", "InfertopSim", "InfertopUI", "InfertopTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "InfertopCoreTests", dependencies: ["InfertopCore", "InfertopTestSupport"]),
        .testTarget(name: "InfertopSimTests", dependencies: ["InfertopSim", "InfertopCore"]),
        .testTarget(
            name: "InfertopUITests",
            dependencies: ["InfertopUI", "InfertopSim", "InfertopTestSupport"],
            exclude: ["__Snapshots__", "Fixtures"]
        ),
        .testTarget(name: "InfertopTerminalTests", dependencies: ["InfertopTerminal"]),
        .testTarget(name: "EndToEndTests", dependencies: ["InfertopTestSupport"]),
    ]
)

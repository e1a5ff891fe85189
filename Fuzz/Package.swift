// swift-tools-version:6.0
// libFuzzer harnesses for the OTLP decoders. Not part of the main package: `swift build` and
// `swift test` at the top never compile this. Build and run with scripts/fuzz-otlp.sh.
//
// Sources/InfertopCore and Sources/InfertopOTLP hold symlinks to the real files (the span types,
// the decoders, the encoder and the generated messages), so the fuzzers test the shipped code;
// Sources/InfertopOTLP/FuzzChecks.swift is the only file of its own there.
import PackageDescription

let package = Package(
    name: "infertop-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0")
    ],
    targets: [
        .target(name: "InfertopCore"),
        .target(
            name: "InfertopOTLP",
            dependencies: ["InfertopCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .executableTarget(name: "FuzzOTLPProtobuf", dependencies: ["InfertopOTLP"]),
        .executableTarget(name: "FuzzOTLPJSON", dependencies: ["InfertopOTLP"]),
        // Not a fuzzer: spans a second through our decoders and the libraries' (issue 14).
        .executableTarget(name: "OTLPDecodeCompare", dependencies: ["InfertopOTLP"])
    ]
)

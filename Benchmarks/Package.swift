// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "InfertopBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "infertop", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "InfertopBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfertopCore", package: "infertop"),
                .product(name: "InfertopSim", package: "infertop"),
                .product(name: "InfertopUI", package: "infertop"),
            ],
            path: "InfertopBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)

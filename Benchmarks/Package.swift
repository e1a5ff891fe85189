// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "InfertopBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "infertop", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "InfertopBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "InfertopCore", package: "infertop"),
                .product(name: "InfertopSim", package: "infertop"),
                .product(name: "InfertopUI", package: "infertop"),
                .product(name: "InfertopWire", package: "infertop"),
                .product(name: "InfertopAgent", package: "infertop"),
                .product(name: "InfertopOTLP", package: "infertop"),
                .product(name: "InfertopCollectors", package: "infertop")
            ],
            path: "InfertopBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not an ordo-one benchmark: sample-to-screen latency over 64 loopback agents (a
        // long-running pipeline, not a repeatable measured region), and a tiny subscriber for
        // scripts/measure-agent.sh. Build with `swift build -c release --product LatencyHarness`.
        // It lives under Tools/: the benchmark plugin runs every executable target whose folder
        // sits directly in Benchmarks/ as a benchmark.
        .executableTarget(
            name: "LatencyHarness",
            dependencies: [
                .product(name: "InfertopCore", package: "infertop"),
                .product(name: "InfertopSim", package: "infertop"),
                .product(name: "InfertopUI", package: "infertop"),
                .product(name: "InfertopWire", package: "infertop"),
                .product(name: "InfertopAgent", package: "infertop")
            ],
            path: "Tools/LatencyHarness"
        )
    ]
)

// swift-tools-version:6.1
import PackageDescription

/// Products of the infertop package itself.
func infertop(_ names: String...) -> [Target.Dependency] {
    names.map { .product(name: $0, package: "infertop") }
}

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
            dependencies: [.product(name: "Benchmark", package: "benchmark")]
                + infertop(
                    "InfertopCore", "InfertopSim", "InfertopUI", "InfertopWire", "InfertopAgent", "InfertopOTLP",
                    "InfertopCollectors", "InfertopTestSupport"),
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
            dependencies: infertop("InfertopCore", "InfertopSim", "InfertopUI", "InfertopWire", "InfertopAgent"),
            path: "Tools/LatencyHarness"
        )
    ]
)

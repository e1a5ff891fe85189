import Benchmark
import InfertopCollectors
import InfertopCore

// The Prometheus source (issue 13): one refresh of 1,024 GPUs (128 nodes x 8) from Prometheus
// answers, with no network: decoding the JSON body of every family, mapping the series to node
// reports, and folding them into the merger. Target: under 200 ms. And the merger alone folding
// one such refresh: under 1 ms.
//
// The bodies are generated in setup in Prometheus's own shape (compact JSON, values as strings,
// every DCGM series with dcgm-exporter's labels plus `instance` and `job`), one per family.

func prometheusBenchmarks() {
    fleetUpdateBenchmark("prometheus refresh 1024 GPUs", seconds: 5) { $0.refresh() }
    fleetUpdateBenchmark("merger fleet update 1024 GPUs", seconds: 3) { $0.merge() }
}

/// Measures one update of the 128-node fleet, which must come out as a delta of every GPU.
private func fleetUpdateBenchmark(
    _ name: String, seconds: Int64, _ update: @escaping @Sendable (PrometheusRefreshFixture) -> ClusterUpdate
) {
    Benchmark(name, configuration: .init(maxDuration: .seconds(seconds))) { benchmark, fixture in
        let result = measured(benchmark) { update(fixture) }
        guard case .delta(let delta) = result, delta.gpuSamples.count == fixture.gpus else {
            fatalError("a refresh of the same fleet must be a delta of every GPU")
        }
    } setup: {
        PrometheusRefreshFixture(nodes: 128)
    }
}

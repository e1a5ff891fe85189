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
    Benchmark("prometheus refresh 1024 GPUs", configuration: .init(maxDuration: .seconds(5))) { benchmark, fixture in
        let update = measured(benchmark) { fixture.refresh() }
        guard case .delta(let delta) = update, delta.gpuSamples.count == fixture.gpus else {
            fatalError("a refresh of the same fleet must be a delta of every GPU")
        }
    } setup: {
        PrometheusRefreshFixture(nodes: 128)
    }

    Benchmark("merger fleet update 1024 GPUs", configuration: .init(maxDuration: .seconds(3))) { benchmark, fixture in
        let update = measured(benchmark) { fixture.merge() }
        guard case .delta(let delta) = update, delta.gpuSamples.count == fixture.gpus else {
            fatalError("a refresh of the same fleet must be a delta of every GPU")
        }
    } setup: {
        PrometheusRefreshFixture(nodes: 128)
    }
}

import Benchmark
import Foundation
import InfertopAgent
import InfertopCore
import InfertopOTLP
import InfertopSim
import InfertopWire

/// Metrics for the bounded-memory benchmarks.
private let memoryMetrics: [BenchmarkMetric] = [
    .wallClock, threadCPU, .mallocCountTotal, .peakMemoryResident, .memoryLeakedBytes, spansPerSecond
]

/// One warm-up, at most a minute, `iterations` iterations.
private func memoryConfiguration(_ iterations: Int) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: memoryMetrics, warmupIterations: 1, maxDuration: .seconds(60), maxIterations: iterations)
}

/// (12), (13): bounded memory on the agent.
func agentSpanMemoryBenchmarks() {
    // One iteration offers `offered` spans, in
    // protobuf requests of 512, to a fresh hub with the agent's default storage (20,000 spans)
    // and one subscriber that never reads (its pending update keeps the newest 8,192 spans).
    // Peak RSS is sampled by the harness over the whole run (setup included). `memoryLeakedBytes`
    // (malloc'd minus freed bytes over the measured region) is what the store still holds at its
    // end: the hub (created empty before the region) is released only after it.
    for (name, offered, iterations) in [
        ("span memory agent 10k spans", 10_000, 50), ("span memory agent 100k spans", 100_000, 20),
        ("span memory agent 1M spans", 1_000_000, 5)
    ] {
        Benchmark(name, configuration: memoryConfiguration(iterations)) { benchmark, fixture in
            let hub = agentHub()
            let subscriber = hub.subscribe()
            let elapsed = measured(benchmark) {
                let start = ContinuousClock.now
                fixture.offer(offered) { _, spans in
                    let outcome = hub.ingest(spans)
                    guard case .stored = outcome else { preconditionFailure("the storage refused a batch: \(outcome)") }
                }
                return ContinuousClock.now - start
            }
            // Stored: the newest `capacity`; dropped: the rest. The subscriber's pending update:
            // the newest `NodeValues.spanLimit`, the rest counted as dropped in transit.
            let status = hub.spans.status
            let capacity = hub.spans.capacity
            precondition(
                status.stored == min(offered, capacity) && status.accepted == UInt64(offered)
                    && status.dropped == UInt64(max(0, offered - capacity)),
                "agent storage: \(status)")
            var pending = 0
            var droppedInTransit: UInt64 = 0
            while let taken = subscriber.take() {  // as many updates as the hub splits them into
                pending += taken.values?.spans.count ?? 0
                droppedInTransit = taken.spansDropped
            }
            precondition(
                pending == min(offered, NodeValues.spanLimit)
                    && droppedInTransit == UInt64(max(0, offered - NodeValues.spanLimit)),
                "subscriber: \(pending) pending, \(droppedInTransit) dropped")
            if let rate = perSecond(offered, elapsed) { benchmark.measurement(spansPerSecond, rate) }
        } setup: {
            OfferFixture(dashboard: false)
        }
    }
}

/// (14), (15): bounded memory on the dashboard.
func dashboardSpanMemoryBenchmarks() {
    // One iteration folds `offered` spans, in
    // batches of 512, into a fresh copy of the 16-node cluster state with
    // `ClusterState.apply(delta)` (`delta.spans`, as the merger delivers them), so they land in
    // its `RequestStore` (default `RequestStore.Limits`). Each pass over the pool
    // gives the spans new trace ids, so every offered span is new to the store.
    for (name, offered, iterations) in [
        ("span memory dashboard 10k spans", 10_000, 50), ("span memory dashboard 100k spans", 100_000, 20),
        ("span memory dashboard 1M spans", 1_000_000, 5)
    ] {
        Benchmark(name, configuration: memoryConfiguration(iterations)) { benchmark, fixture in
            var state = fixture.state!
            let elapsed = measured(benchmark) {
                let start = ContinuousClock.now
                fixture.offer(offered) { index, batch in
                    var delta = ClusterDelta(sequence: UInt64(index), time: state.time)
                    delta.spans = renamingTraces(batch, pass: index / fixture.requests.count)
                    state.apply(delta)
                }
                return ContinuousClock.now - start
            }
            let store = state.requests
            precondition(
                store.count <= store.limits.traces && store.spanCount <= store.limits.spans
                    && UInt64(store.spanCount) + store.evictedSpans + store.refusedSpans == UInt64(offered),
                "request store: \(store.count) traces, \(store.spanCount) spans, \(store.evictedSpans) evicted, \(store.refusedSpans) refused"
            )
            blackHole(state)
            if let rate = perSecond(offered, elapsed) { benchmark.measurement(spansPerSecond, rate) }
        } setup: {
            OfferFixture(dashboard: true)
        }
    }
}

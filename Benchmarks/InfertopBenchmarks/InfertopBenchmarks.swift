import Benchmark
import Foundation
import InfertopCore
import InfertopSim
import InfertopUI

// Frame-time benchmarks for the dashboard: render (`view`), diff against the previous frame,
// one-second updates and the store merge, on simulated clusters of 1,024 and 8,192 GPUs.
//
// Every fixture is built in a setup hook, so it is paid once per benchmark and never measured:
// a cluster is simulated to t = 60 s (as `SimulatedCluster.state(config:at:)` does) and the
// same cluster is then sampled for the following seconds, giving fresh one-second deltas that
// the iterations cycle through. Where an iteration must change the model first, the change
// happens before `startMeasurement()`.

/// The terminal the dashboard draws into: a large but ordinary window.
let screenSize = Size(columns: 200, rows: 50)
/// How many distinct one-second deltas each fixture prepares and cycles through.
let deltaCount = 8

/// A cluster as the dashboard sees it at t = 60 s, plus the next `deltaCount` seconds of samples.
///
/// A class so the iterations of one benchmark can carry the model and previous frame forward.
final class Fixture {
    var model: Model
    var state: ClusterState
    var previous: Screen
    let deltas: [ClusterDelta]
    private var next = 0

    init(nodes: Int, kind: ViewKind = .overview) {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7, nodes: nodes, gpusPerNode: 8))
        let state = cluster.run(to: 60)
        var deltas: [ClusterDelta] = []
        for second in 1...deltaCount {
            cluster.advance(to: 60 + Double(second))
            deltas.append(cluster.sample())
        }
        var model = Model(size: screenSize, glyphs: .unicode, depth: .full, source: "bench")
        model.view = kind
        _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        self.model = model
        self.state = state
        self.deltas = deltas
        previous = view(model)
    }

    /// The next prepared delta, cycling; the state's clock only moves forward, so reapplying
    /// older samples still folds in real changes (values, histories).
    func nextDelta() -> ClusterDelta {
        defer { next = (next + 1) % deltas.count }
        return deltas[next]
    }
}

let gpuSamplesPerSecond = BenchmarkMetric.custom("GPU samples merged/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 5,
        maxDuration: .seconds(3),
        maxIterations: 1000
    )

    // (1)-(3): a fresh one-second delta is folded in outside the measured region; only the
    // render and the diff against the previous frame are measured.
    for (name, nodes, kind) in [
        ("view+diff overview 1024 GPUs", 128, ViewKind.overview),
        ("view+diff overview 8192 GPUs", 1024, ViewKind.overview),
        ("view+diff memory view 1024 GPUs", 128, ViewKind.memory),
    ] {
        Benchmark(name) { benchmark, fixture in
            _ = update(&fixture.model, .cluster(.delta(fixture.nextDelta())))
            benchmark.startMeasurement()
            let screen = view(fixture.model)
            let runs = screen.diff(from: fixture.previous)
            blackHole(runs)
            benchmark.stopMeasurement()
            fixture.previous = screen
        } setup: {
            Fixture(nodes: nodes, kind: kind)
        }
    }

    // (4): two identical frames must diff to nothing, so the terminal is sent zero bytes.
    // Both frames are rendered separately from the same model in setup; only the diff is measured.
    Benchmark("unchanged frame 1024 GPUs") { _, frames in
        let runs = frames.now.diff(from: frames.before)
        precondition(runs.isEmpty, "an unchanged frame produced \(runs.count) runs")
        blackHole(runs)
    } setup: {
        let fixture = Fixture(nodes: 128)
        return (before: view(fixture.model), now: view(fixture.model))
    }

    // (5): the whole one-second tick: fold the delta in (store merge + triage), render, diff.
    Benchmark("one-second update 1024 GPUs") { benchmark, fixture in
        let delta = fixture.nextDelta()
        benchmark.startMeasurement()
        _ = update(&fixture.model, .cluster(.delta(delta)))
        let screen = view(fixture.model)
        let runs = screen.diff(from: fixture.previous)
        blackHole(runs)
        benchmark.stopMeasurement()
        fixture.previous = screen
    } setup: {
        Fixture(nodes: 128)
    }

    // (6): ClusterState.apply(delta) alone, with its throughput in GPU samples merged per second.
    Benchmark(
        "store merge 1024 GPUs",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .throughput, gpuSamplesPerSecond]
        )
    ) { benchmark, fixture in
        let delta = fixture.nextDelta()
        benchmark.startMeasurement()
        let start = ContinuousClock.now
        fixture.state.apply(delta)
        let elapsed = ContinuousClock.now - start
        benchmark.stopMeasurement()
        blackHole(fixture.state.time)
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        if nanoseconds > 0 {
            benchmark.measurement(gpuSamplesPerSecond, Int(Double(delta.gpuSamples.count) * 1e9 / nanoseconds))
        }
    } setup: {
        Fixture(nodes: 128)
    }
}

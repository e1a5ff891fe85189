import Benchmark
import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopUI
import InfertopWire

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
    private var cycle = 0

    /// With `spans`, the requests the simulator finished also reach the state, as the agents
    /// deliver them (`ClusterDelta.spans`): those of the first 60 s with the snapshot, and each
    /// later second's with that second's delta.
    init(nodes: Int, kind: ViewKind = .overview, spans: Bool = false) {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7, nodes: nodes, gpusPerNode: 8))
        var state = cluster.run(to: 60)
        if spans {
            var first = ClusterDelta(sequence: 0, time: state.time)
            first.spans = cluster.takeFinishedSpans()
            state.apply(first)
            precondition(
                state.requests.count >= 1_000, "only \(state.requests.count) requests for the requests view")
        }
        var deltas: [ClusterDelta] = []
        for second in 1...deltaCount {
            cluster.advance(to: 60 + Double(second))
            var delta = cluster.sample()
            if spans { delta.spans = cluster.takeFinishedSpans() }
            deltas.append(delta)
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
    /// older samples still folds in real changes (values, histories). Spans get new trace ids on
    /// every pass after the first, so they are new requests to the store, not refused repeats.
    func nextDelta() -> ClusterDelta {
        var delta = deltas[next]
        if cycle > 0, !delta.spans.isEmpty { delta.spans = renamingTraces(delta.spans, pass: cycle) }
        next = (next + 1) % deltas.count
        if next == 0 { cycle += 1 }
        return delta
    }
}

/// What the dashboard's `ClusterMerger` receives from `agents` agents: each agent's snapshot
/// (folded in during setup) and `deltaCount` rounds of one `Infertop_V1_Update` delta per agent,
/// exactly as `SubscriptionHub`/`AgentService` encode them.
///
/// One seeded cluster (`SimulationConfig(seed: 7, nodes: agents, gpusPerNode: 8)`) is simulated
/// to t = 60 s; every later second is sampled once and split per node with
/// `NodeValues(node:from:replicas:).wire`, as `SimulatedFleet` does before it publishes.
final class MergeFixture {
    /// The merger and the one state its updates are applied to, as the dashboard's model does.
    var merged = MergedCluster()
    /// `rounds[r][a]`: agent `a`'s update in round `r`.
    let rounds: [[Infertop_V1_Update]]
    let addresses: [String]
    /// Per round, summed over the agents: GPU samples, and all samples (GPU, fabric link, port, replica).
    let gpuSamplesPerRound: Int
    let allSamplesPerRound: Int
    private var next = 0
    /// The receiver's clock, as `AgentsFeed` passes it: moves forward every round.
    private(set) var now = 0.0

    init(agents: Int) {
        let config = SimulationConfig(seed: 7, nodes: agents, gpusPerNode: 8)
        let hubs = SimulatedFleet(config: config).hubs()!
        let cluster = SimulatedCluster(config: config)
        cluster.advance(to: 60)
        let replicasOf = Dictionary(grouping: cluster.replicas.flatMap { r in r.nodes.map { ($0, r.id) } }, by: \.0)
            .mapValues { Set($0.map(\.1)) }
        addresses = hubs.indices.map { "127.0.0.1:\(50051 + $0)" }

        // Snapshots: what each agent sends first (topology, replicas, current values).
        let first = cluster.sample()
        for (a, hub) in hubs.enumerated() {
            hub.publish(NodeValues(node: hub.node, from: first, replicas: replicasOf[hub.node] ?? []), time: first.time)
            let (update, address, now) = (hub.snapshot().update, addresses[a], now)
            merged.fold { $0.receive(update, from: address, version: AgentService.version, now: now) }
        }

        var rounds: [[Infertop_V1_Update]] = []
        var gpus = 0
        var all = 0
        for second in 1...deltaCount {
            cluster.advance(to: 60 + Double(second))
            let delta = cluster.sample()
            var round: [Infertop_V1_Update] = []
            for hub in hubs {
                var update = Infertop_V1_Update()
                update.sequence = UInt64(second + 1)
                update.time = delta.time
                update.delta = NodeValues(node: hub.node, from: delta, replicas: replicasOf[hub.node] ?? []).wire
                if second == 1 {
                    gpus += update.delta.gpus.count
                    all +=
                        update.delta.gpus.count + update.delta.fabricLinks.count + update.delta.ports.count
                        + update.delta.replicas.count
                }
                round.append(update)
            }
            rounds.append(round)
        }
        self.rounds = rounds
        gpuSamplesPerRound = gpus
        allSamplesPerRound = all
        precondition(merged.state.topology.nodes.count == agents, "the snapshots did not register every node")
    }

    /// The next prepared round, cycling, with the receiver's clock advanced by a second.
    func nextRound() -> [Infertop_V1_Update] {
        defer { next = (next + 1) % rounds.count }
        now += 1
        return rounds[next]
    }
}

let allSamplesPerSecond = BenchmarkMetric.custom(
    "all samples merged/s", polarity: .prefersLarger, useScalingFactor: false)

let gpuSamplesPerSecond = BenchmarkMetric.custom(
    "GPU samples merged/s", polarity: .prefersLarger, useScalingFactor: false)

/// CPU time of the benchmark thread over the measured region, in nanoseconds.
///
/// The built-in `.cpuTotal` reads /proc/self/stat on Linux, in scheduler ticks (10 ms), so a
/// sub-millisecond iteration shows 0 or 10,000 µs; this reads CLOCK_THREAD_CPUTIME_ID instead
/// (two clock_gettime calls inside the measured region, well under a microsecond each).
let threadCPU = BenchmarkMetric.custom("CPU (thread) ns", polarity: .prefersSmaller, useScalingFactor: true)

let allMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, threadCPU, .mallocCountTotal, .peakMemoryResident]

@inline(__always)
func threadCPUNanoseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
}

/// Runs `body` as the measured region of one iteration and records its thread CPU time.
@inline(__always)
func measured<T>(_ benchmark: Benchmark, _ body: () -> T) -> T {
    benchmark.startMeasurement()
    let cpuStart = threadCPUNanoseconds()
    let result = body()
    let cpuEnd = threadCPUNanoseconds()
    benchmark.stopMeasurement()
    benchmark.measurement(threadCPU, cpuEnd - cpuStart)
    return result
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: allMetrics,
        warmupIterations: 5,
        maxDuration: .seconds(3),
        maxIterations: 1000
    )

    // (1)-(3), (3a), (3b): a fresh one-second delta is folded in outside the measured region;
    // only the render and the diff against the previous frame are measured. For the requests
    // view (4) the state also holds the simulator's finished requests (spans), and each delta
    // brings that second's.
    for (name, nodes, kind, spans) in [
        ("view+diff overview 1024 GPUs", 128, ViewKind.overview, false),
        ("view+diff overview 8192 GPUs", 1024, ViewKind.overview, false),
        ("view+diff memory view 1024 GPUs", 128, ViewKind.memory, false),
        ("view+diff interconnect view 1024 GPUs", 128, ViewKind.interconnect, false),
        ("view+diff requests view 1024 GPUs", 128, ViewKind.requests, true)
    ] {
        // At 8,192 GPUs, and with spans, the unmeasured update dominates each iteration; allow
        // more time for samples.
        let configuration = Benchmark.Configuration(maxDuration: .seconds(nodes > 128 ? 6 : spans ? 10 : 3))
        Benchmark(name, configuration: configuration) { benchmark, fixture in
            _ = update(&fixture.model, .cluster(.delta(fixture.nextDelta())))
            let screen = measured(benchmark) {
                let screen = view(fixture.model)
                blackHole(screen.diff(from: fixture.previous))
                return screen
            }
            fixture.previous = screen
        } setup: {
            Fixture(nodes: nodes, kind: kind, spans: spans)
        }
    }

    // (4): two identical frames must diff to nothing, so the terminal is sent zero bytes.
    // Both frames are rendered separately from the same model in setup; only the diff is measured.
    Benchmark("unchanged frame 1024 GPUs") { (benchmark, frames: (before: Screen, now: Screen)) in
        let runs = measured(benchmark) { frames.now.diff(from: frames.before) }
        precondition(runs.isEmpty, "an unchanged frame produced \(runs.count) runs")
        blackHole(runs)
    } setup: {
        let fixture = Fixture(nodes: 128)
        return (before: view(fixture.model), now: view(fixture.model))
    }

    // (5): the whole one-second tick: fold the delta in (store merge + triage), render, diff.
    // (7), not a target: the same tick at 8,192 GPUs, to show what the unmeasured part of (2) costs.
    for (name, nodes, seconds) in [("one-second update 1024 GPUs", 128, 3), ("one-second update 8192 GPUs", 1024, 6)] {
        Benchmark(name, configuration: .init(maxDuration: .seconds(seconds))) { benchmark, fixture in
            let delta = fixture.nextDelta()
            let screen = measured(benchmark) {
                _ = update(&fixture.model, .cluster(.delta(delta)))
                let screen = view(fixture.model)
                blackHole(screen.diff(from: fixture.previous))
                return screen
            }
            fixture.previous = screen
        } setup: {
            Fixture(nodes: nodes)
        }
    }

    // (6): ClusterState.apply(delta) alone, with its throughput in GPU samples merged per second.
    Benchmark(
        "store merge 1024 GPUs",
        configuration: .init(
            metrics: allMetrics + [.throughput, gpuSamplesPerSecond]
        )
    ) { (benchmark, fixture: Fixture) in
        let delta = fixture.nextDelta()
        let elapsed = measured(benchmark) {
            let start = ContinuousClock.now
            fixture.state.apply(delta)
            return ContinuousClock.now - start
        }
        blackHole(fixture.state.time)
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        if nanoseconds > 0 {
            benchmark.measurement(gpuSamplesPerSecond, Int(Double(delta.gpuSamples.count) * 1e9 / nanoseconds))
        }
    } setup: {
        let fixture = Fixture(nodes: 128)
        fixture.model.live = nil  // the state alone is mutated, uniquely referenced
        return fixture
    }

    // (8): the dashboard side of the agents: `ClusterMerger.receive` merging one round of
    // wire deltas, one from each of 16 agents (128 GPU samples, plus links, ports, replicas),
    // each update applied to the one cluster state (as the model does), on the calling thread (one core). The updates are built in
    // setup; decoding from bytes is not included (AgentConnection hands over decoded messages).
    Benchmark(
        "store merge 100k samples",
        configuration: .init(metrics: allMetrics + [.throughput, gpuSamplesPerSecond, allSamplesPerSecond])
    ) { (benchmark, fixture: MergeFixture) in
        let round = fixture.nextRound()
        let now = fixture.now
        let elapsed = measured(benchmark) {
            let start = ContinuousClock.now
            for (agent, update) in round.enumerated() {
                let address = fixture.addresses[agent]
                blackHole(
                    fixture.merged.fold { $0.receive(update, from: address, version: AgentService.version, now: now) })
            }
            return ContinuousClock.now - start
        }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        if nanoseconds > 0 {
            benchmark.measurement(gpuSamplesPerSecond, Int(Double(fixture.gpuSamplesPerRound) * 1e9 / nanoseconds))
            benchmark.measurement(allSamplesPerSecond, Int(Double(fixture.allSamplesPerRound) * 1e9 / nanoseconds))
        }
    } setup: {
        MergeFixture(agents: 16)
    }

    // (9)-(15): the tracing path (OTLP ingest on the agent, bounded span memory); see TracingBenchmarks.swift.
    tracingBenchmarks()

    // (16)-(17): the shard planner; see PlannerBenchmarks.swift.
    plannerBenchmarks()

    // (18)-(19): the Prometheus source and the fleet merger; see PrometheusBenchmarks.swift.
    prometheusBenchmarks()

    // Calibration: an empty measured region, i.e. what the harness itself adds to each metric
    // (its /proc reads allocate, so the malloc counts above include this baseline).
    Benchmark("harness overhead (empty region)") { benchmark in
        measured(benchmark) { blackHole(0) }
    }
}

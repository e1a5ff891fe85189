import Foundation
import InfertopCore

/// A seeded, physically plausible inference cluster on a virtual clock.
///
/// Requests arrive in bursts, a router spreads them over each model's replicas, engines batch
/// them under the memory-bandwidth floor and their KV caches fill and preempt; GPUs heat,
/// throttle and draw power; scripted incidents break things on a repeating timeline with
/// ground truth (`schedule`). `sample()` reads the cluster as the real collectors would;
/// `takeFinishedSpans()` gives each finished request's trace as the router and vLLM would export it.
/// Not thread-safe: one owner drives it.
public final class SimulatedCluster {
    public let config: SimulationConfig
    public let topology: Topology
    /// Every replica where it serves now (a moved replica's new GPUs once its copy takes traffic).
    public internal(set) var replicas: [ReplicaSpec]
    public let schedule: IncidentSchedule
    public private(set) var time: Double = 0

    var engines: [ReplicaEngine]
    var gpus: [[GPUState]]
    var rng: Xoshiro256StarStar
    /// The spare nodes' own noise, so that adding spares leaves every serving node's draws (and a
    /// seed's incidents and timings) as they were.
    var spareRng: Xoshiro256StarStar
    static let spareSeedMask: UInt64 = 0x5350_4152_4553_0001
    var spanBuffer: FinishedSpanBuffer
    private var traffic: [String: TrafficModel] = [:]
    private let models: [String]
    var enginesByModel: [String: [Int]] = [:]
    var enginesOnNode: [[Int]]
    private var nextRequestID: UInt64 = 1
    private var sequence: UInt64 = 0
    private var lastSampleTime: Double = 0
    private var lostNodes = Set<Int>()
    /// Operator actions carried out on the simulated cluster (see `SimulatedCluster+Control`).
    var control = SimulatedControlState()
    private var activeIncident: Incident?
    private var strayTarget: UInt64 = 0
    private var stickyRate = 0.0
    var weights: [[UInt64]]
    var engineIndexOnGPU: [[Int?]]

    public init(config: SimulationConfig) {
        self.config = config
        let topology = ClusterLayout.topology(config)
        let replicas = ClusterLayout.replicas(on: topology)
        self.topology = topology
        self.replicas = replicas
        schedule = IncidentSchedule(
            seed: config.seed, topology: topology, replicas: replicas, enabled: config.incidents)
        var generator = Xoshiro256StarStar(seed: config.seed)
        var spareGenerator = Xoshiro256StarStar(seed: config.seed ^ Self.spareSeedMask)
        var gpuStates: [[GPUState]] = []
        for (n, node) in topology.nodes.enumerated() {
            var row: [GPUState] = []
            for spec in node.gpus {
                if ClusterLayout.isSpare(n) {
                    row.append(GPUState(spec: spec, rng: &spareGenerator))
                } else {
                    row.append(GPUState(spec: spec, rng: &generator))
                }
            }
            gpuStates.append(row)
        }
        rng = generator
        spareRng = spareGenerator
        gpus = gpuStates
        engines = replicas.map { ReplicaEngine(spec: $0, topology: topology) }
        let factory = RequestSpanFactory(
            config: config, topology: topology, replicas: replicas,
            queueTimeoutSeconds: engines.first?.queueTimeoutSeconds ?? 30)
        spanBuffer = FinishedSpanBuffer(capacity: config.spanBufferCapacity, factory: factory)
        for engine in engines { engine.recordsFinished = config.spanBufferCapacity > 0 }
        var onNode = Array(repeating: [Int](), count: topology.nodes.count)
        var names: [String] = []
        for (i, replica) in replicas.enumerated() {
            if !names.contains(replica.model.name) { names.append(replica.model.name) }
            enginesByModel[replica.model.name, default: []].append(i)
            for node in replica.nodes {
                if let n = topology.nodeIndex(of: node) { onNode[n].append(i) }
            }
        }
        enginesOnNode = onNode
        var weightTable = topology.nodes.map { Array(repeating: UInt64(0), count: $0.gpus.count) }
        var engineTable = topology.nodes.map { Array(repeating: Int?.none, count: $0.gpus.count) }
        for (i, replica) in replicas.enumerated() {
            for shard in replica.shards {
                guard let n = topology.nodeIndex(of: shard.gpu.node) else { continue }
                weightTable[n][shard.gpu.index] += shard.weightsBytes
                engineTable[n][shard.gpu.index] = i
            }
        }
        weights = weightTable
        engineIndexOnGPU = engineTable
        models = names
        for name in names {
            let count = Double(enginesByModel[name]?.count ?? 0)
            traffic[name] = TrafficModel(baseRate: count * Self.ratePerReplica(name) * config.load)
        }
        updateCapacities()
    }

    /// Calibrated arrivals per replica: about half the KV cache in use, bursts below 85%.
    static func ratePerReplica(_ model: String) -> Double {
        switch model {
        case ServedModel.llama405B.name: 2.3
        case ServedModel.llama70B.name: 4
        default: 7
        }
    }

    /// Runs the simulation forward to `target` in fixed ticks.
    public func advance(to target: Double) {
        let dt = config.tickSeconds
        while time + dt / 2 <= target {
            tick(dt: dt)
            time += dt
        }
        time = max(time, target)
    }

    /// The incidents of the current cycle, with their ground truth.
    public var currentIncidents: [Incident] {
        schedule.incidents(inCycle: Int((time / IncidentSchedule.cycleSeconds).rounded(.down)))
    }

    // MARK: - One tick

    private func tick(dt: Double) {
        finishLoads()
        applyIncidents()
        routeArrivals(dt: dt)
        for engine in engines { engine.tick(start: time, dt: dt) }
        collectFinished()
        progressDrains()
        stepGPUs(dt: dt)
    }

    /// Moves the requests each engine finished this tick into the span buffer.
    private func collectFinished() {
        for (i, engine) in engines.enumerated() where !engine.finished.isEmpty {
            for var finished in engine.finished {
                finished.replica = i
                spanBuffer.append(finished)
            }
            engine.finished.removeAll(keepingCapacity: true)
        }
    }

    private func stepGPUs(dt: Double) {
        var busy = gpus.map { Array(repeating: (0.0, 0.0), count: $0.count) }
        for engine in engines where !engine.down && !engine.running.isEmpty {
            for shard in engine.spec.shards {
                if let (n, g) = index(of: shard.gpu) { busy[n][g] = (1, engine.computeShare) }
            }
        }
        for n in gpus.indices where !lostNodes.contains(n) {
            let spare = ClusterLayout.isSpare(n)
            for g in gpus[n].indices {
                if spare {
                    gpus[n][g].step(dt: dt, busy: busy[n][g].0, computeShare: busy[n][g].1, rng: &spareRng)
                } else {
                    gpus[n][g].step(dt: dt, busy: busy[n][g].0, computeShare: busy[n][g].1, rng: &rng)
                }
            }
        }
    }

    private func routeArrivals(dt: Double) {
        for model in models {
            guard var process = traffic[model], let pool = enginesByModel[model] else { continue }
            let rate = process.rate(at: time, dt: dt, rng: &rng)
            traffic[model] = process
            let count = rng.poisson(rate * dt)
            for _ in 0..<count {
                let at = time + rng.unit() * dt
                let request = RequestShape.chat.make(id: nextRequestID, at: at, rng: &rng)
                nextRequestID += 1
                if let target = leastLoaded(pool) { engines[target].enqueue(request) }
            }
        }
        if let incident = activeIncident, incident.kind == .kvPressure, let target = incident.replica,
            let e = engines.firstIndex(where: { $0.spec.id == target })
        {
            // A tenant's long-context agent sessions stick to this replica's copy (prefix affinity).
            // Once an operator takes it out of the router (a drain, a relieve), the router has no
            // cached prefix to follow and spreads them over the model's serving replicas.
            let stuck = !engines[e].down && !control.outOfRouter.contains(e)
            guard stuck || control.outOfRouter.contains(e) else { return }
            let pool = enginesByModel[engines[e].spec.model.name] ?? []
            for _ in 0..<rng.poisson(stickyRate * dt) {
                var request = RequestShape.chat.make(id: nextRequestID, at: time + rng.unit() * dt, rng: &rng)
                request = SimRequest(
                    id: request.id, arrival: request.arrival, promptTokens: 24_000 + rng.int(in: 0...8000),
                    cachedTokens: 20_000, outputTokens: request.outputTokens)
                nextRequestID += 1
                if stuck {
                    engines[e].enqueue(request)
                } else if let spread = leastLoaded(pool) {
                    engines[spread].enqueue(request)
                }
            }
        }
    }

    /// The router: least outstanding work per unit of capacity among serving replicas.
    private func leastLoaded(_ pool: [Int]) -> Int? {
        var best: Int?
        var bestScore = Double.infinity
        for i in pool where !engines[i].down && !control.outOfRouter.contains(i) {
            let engine = engines[i]
            let score =
                (Double(engine.running.count) + 2 * Double(engine.waiting.count) + 1)
                * (engine.floorSeconds + 0.01) + rng.unit() * 1e-3
            if score < bestScore {
                bestScore = score
                best = i
            }
        }
        return best
    }

    // MARK: - Incidents

    private func applyIncidents() {
        let incident = schedule.active(at: time)
        if incident != activeIncident {
            if let old = activeIncident { end(old) }
            if let new = incident { begin(new) }
            activeIncident = incident
        }
        if let incident, incident.kind == .kvPressure, let gpu = incident.gpu, let (n, g) = index(of: gpu) {
            // The stray process grows over a few seconds until it takes most of the free KV pool.
            let share = min(1, (time - incident.start) / 3)
            gpus[n][g].strayBytes = UInt64(Double(strayTarget) * share)
        }
        updateCapacities()
    }

    private func begin(_ incident: Incident) {
        switch incident.kind {
        case .kvPressure:
            // The stray process takes the free memory and 60% of the KV pool; the tenant's long
            // sessions then fill what is left (sized to the pool, so every layout feels it).
            if let gpu = incident.gpu, let (n, g) = index(of: gpu), let engine = engineOn(n, g) {
                let weights = weightsOn(n, g)
                let reserved = Double(gpus[n][g].reservedKVBytes(weights: weights))
                strayTarget = unallocated(n, g, weights: weights) + UInt64(reserved * 0.6)
                let leftTokens = reserved * 0.4 / engine.kvBytesPerTokenPerGPU
                stickyRate = max(0.3, leftTokens / 250_000)
            }
        case .straggler:
            if let gpu = incident.gpu, let (n, g) = index(of: gpu) { gpus[n][g].coolingFailed = true }
        case .degradedFabric:
            if let gpu = incident.gpu, let (n, g) = index(of: gpu) {
                gpus[n][g].linksUp = max(1, gpus[n][g].spec.model.fabricLinkCount * 4 / 9)
                gpus[n][g].fabricErrorsPerSecond = 180
            }
        case .portFlap: break
        case .nodeLost:
            guard let n = topology.nodeIndex(of: incident.node) else { return }
            lostNodes.insert(n)
            for e in enginesOnNode[n] {
                _ = engines[e].fail(at: time, node: incident.node)
                engines[e].down = true
            }
        }
    }

    private func end(_ incident: Incident) {
        switch incident.kind {
        case .kvPressure:
            if let gpu = incident.gpu, let (n, g) = index(of: gpu) { gpus[n][g].strayBytes = 0 }
        case .straggler:
            if let gpu = incident.gpu, let (n, g) = index(of: gpu) { gpus[n][g].coolingFailed = false }
        case .degradedFabric:
            if let gpu = incident.gpu, let (n, g) = index(of: gpu) {
                gpus[n][g].linksUp = gpus[n][g].spec.model.fabricLinkCount
                gpus[n][g].fabricErrorsPerSecond = 0
            }
        case .portFlap: break
        case .nodeLost:
            guard let n = topology.nodeIndex(of: incident.node) else { return }
            lostNodes.remove(n)
            for e in enginesOnNode[n] { engines[e].down = control.stopped.contains(e) }
        }
    }

    /// Sets each engine's KV capacity, slowdown and link penalty from its GPUs.
    private func updateCapacities() {
        for engine in engines {
            var capacity = Double.infinity
            var slowdown = 1.0
            var linkPenalty = 0.0
            var hopPenalty = 0.0
            for shard in engine.spec.shards {
                guard let (n, g) = index(of: shard.gpu) else { continue }
                let state = gpus[n][g]
                capacity = min(capacity, Double(state.usableKVBytes(weights: shard.weightsBytes)))
                let clock = Double(state.smClockMHz) / Double(state.spec.model.maxSMClockMHz)
                if state.throttle.contains(.hwThermal) { slowdown = max(slowdown, pow(1 / clock, 0.7)) }
                if state.linksUp < state.spec.model.fabricLinkCount { linkPenalty = 0.006 }
            }
            // A flapping port stalls the pipeline hops that cross it: retransmits on every step.
            if let incident = activeIncident, incident.kind == .portFlap, engine.spec.pipelineParallel > 1,
                engine.spec.nodes.contains(incident.node)
            {
                linkPenalty += 0.015
                hopPenalty = 0.015
            }
            engine.kvCapacityTokens = capacity.isFinite ? capacity / engine.kvBytesPerTokenPerGPU : 0
            engine.slowdown = slowdown
            engine.extraCommSeconds = linkPenalty
            engine.extraHopSeconds = hopPenalty
        }
    }

    // MARK: - Lookups

    func index(of gpu: GPUID) -> (Int, Int)? {
        guard let n = topology.nodeIndex(of: gpu.node), gpus[n].indices.contains(gpu.index) else { return nil }
        return (n, gpu.index)
    }

    func weightsOn(_ n: Int, _ g: Int) -> UInt64 { weights[n][g] }

    /// The engine whose shard sits on a GPU, if any.
    func engineOn(_ n: Int, _ g: Int) -> ReplicaEngine? { engineIndexOnGPU[n][g].map { engines[$0] } }

    private func unallocated(_ n: Int, _ g: Int, weights: UInt64) -> UInt64 {
        let state = gpus[n][g]
        let used = weights + state.reservedKVBytes(weights: weights) + state.activationBytes + state.runtimeBytes
        return state.spec.model.memoryBytes > used ? state.spec.model.memoryBytes - used : 0
    }

    var lostNodeIndexes: Set<Int> { lostNodes }

    func nextSequence() -> UInt64 {
        sequence += 1
        return sequence
    }

    func takeIntervalSeconds() -> Double {
        let seconds = max(time - lastSampleTime, 1e-9)
        lastSampleTime = time
        return seconds
    }
}

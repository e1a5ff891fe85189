import InfertopCore

extension SimulatedCluster {
    /// Reads the whole cluster as its collectors would, as a delta since the last reading.
    ///
    /// A lost node reports nothing at all: the dashboard notices the silence, as it must with
    /// a real agent. Replicas report as the router sees them (a replica on a lost node: down).
    public func sample() -> ClusterDelta {
        let seconds = takeIntervalSeconds()
        let engineSamples = engines.map { $0.takeInterval(time: time, seconds: seconds) }
        // A replica in the middle of a move has two copies: the one it serves from speaks for it.
        let replicaSamples =
            engines.count == replicas.count
            ? engineSamples
            : engineSamples.indices.filter { servingEngine(of: engines[$0].spec.id) == $0 }.map { engineSamples[$0] }
        // Engines and their samples share indexes; GPUs look theirs up by engine, not by search.
        let sampleOfEngine = Dictionary(uniqueKeysWithValues: zip(engines.map { ObjectIdentifier($0) }, engineSamples))
        var gpuSamples: [GPUSample] = []
        var links: [FabricLinkSample] = []
        var ports: [PortSample] = []
        gpuSamples.reserveCapacity(topology.gpuCount)
        let lost = lostNodeIndexes
        for (n, node) in topology.nodes.enumerated() where !lost.contains(n) {
            for g in node.gpus.indices { gpuSamples.append(gpuSample(n, g, samples: sampleOfEngine)) }
            links.append(contentsOf: linkSamples(n))
            ports.append(contentsOf: portSamples(n))
        }
        var delta = ClusterDelta(
            sequence: nextSequence(), time: time, gpuSamples: gpuSamples, fabricLinks: links, ports: ports,
            replicaSamples: replicaSamples)
        delta.lifecycles = takeLifecycleChanges()
        return delta
    }

    /// A fresh dashboard state holding one reading taken now.
    public func snapshot() -> ClusterState {
        var state = ClusterState(topology: topology, replicas: replicas, time: time)
        state.apply(sample())
        return state
    }

    /// Runs a new cluster from zero to `time`, folding one reading per second into a state, as
    /// the dashboard would have seen it. Deterministic: the same config and time give the same state.
    public static func state(config: SimulationConfig, at time: Double, spans: Bool = false) -> ClusterState {
        SimulatedCluster(config: config).run(to: time, spans: spans)
    }

    /// Advances this cluster to `target` one second at a time, folding each reading into a
    /// dashboard state that starts empty (so its history rings fill as a dashboard's would).
    /// With `spans`, the finished requests' spans go in too, as a dashboard would receive them.
    public func run(to target: Double, spans: Bool = false) -> ClusterState {
        var state = ClusterState(topology: topology, replicas: replicas, time: time)
        var t = time
        repeat {
            t = min(target, t + 1)
            advance(to: t)
            var delta = sample()
            if spans { delta.spans = takeFinishedSpans() }
            state.apply(delta)
        } while t < target
        return state
    }

    private func gpuSample(_ n: Int, _ g: Int, samples: [ObjectIdentifier: ReplicaSample]) -> GPUSample {
        let state = gpus[n][g]
        let spec = state.spec
        let weights = weightsOn(n, g)
        let engine = engineOn(n, g)
        var memory = MemoryBreakdown.empty(capacityBytes: spec.model.memoryBytes)
        var preemptions = 0.0
        var running = 0
        var waiting = 0
        if let engine, engine.down, isStopped(engine) {
            // Stopped by a drain: the engine's process is gone and its memory with it.
            memory.otherBytes = state.runtimeBytes + state.strayBytes
        } else if let engine {
            let usable = state.usableKVBytes(weights: weights)
            let used = engine.down ? 0 : UInt64(min(Double(usable), engine.liveTokens * engine.kvBytesPerTokenPerGPU))
            memory.weightsBytes = weights
            memory.kvUsedBytes = used
            memory.kvFreeBytes = usable - used
            memory.activationBytes = state.activationBytes
            memory.otherBytes = state.runtimeBytes + state.strayBytes
            if let sample = samples[ObjectIdentifier(engine)] {
                preemptions = sample.preemptionsPerSecond
                running = sample.runningRequests
                waiting = sample.waitingRequests
            }
        } else {
            // No engine (never, or a moved replica's old GPUs): the driver, and any stray process.
            memory.otherBytes = (512 << 20) + state.strayBytes
        }
        return GPUSample(
            gpu: spec.id, time: time, memory: memory, utilization: max(0, state.utilization),
            temperatureCelsius: state.temperature, powerWatts: state.powerWatts, smClockMHz: state.smClockMHz,
            throttle: state.throttle, preemptionsPerSecond: preemptions, runningRequests: running,
            waitingRequests: waiting)
    }

    private func linkSamples(_ n: Int) -> [FabricLinkSample] {
        let node = topology.nodes[n]
        var out: [FabricLinkSample] = []
        out.reserveCapacity(node.gpus.count * max(0, node.gpus.count - 1))
        for a in node.gpus.indices {
            let state = gpus[n][a]
            let capacity = state.spec.model.fabricBytesPerSecond / 2
            let engine = engineOn(n, a)
            for b in node.gpus.indices where b != a {
                var bytes = 0.0
                if let engine, engineOn(n, b) === engine, engine.spec.tensorParallel > 1, !engine.down {
                    let tp = Double(engine.spec.tensorParallel)
                    let layers = Double(engine.spec.model.layers / engine.spec.pipelineParallel)
                    let perToken = layers * 2 * Double(engine.spec.model.hiddenSize) * 2 * 2 * (tp - 1) / tp
                    bytes = engine.lastTokensProcessedPerSecond * perToken / (tp - 1)
                }
                let peerState = gpus[n][b]
                var errors = 0.0
                if state.fabricErrorsPerSecond > 0 {
                    errors =
                        state.fabricErrorsPerSecond
                        * (b == faultyPeer(n, a) ? 0.6 : 0.4 / Double(max(1, node.gpus.count - 2)))
                }
                if peerState.fabricErrorsPerSecond > 0, faultyPeer(n, b) == a {
                    errors += peerState.fabricErrorsPerSecond * 0.3
                }
                let slowed = state.linksUp < state.spec.model.fabricLinkCount
                out.append(
                    FabricLinkSample(
                        node: node.id, gpu: a, peer: b, time: time,
                        bytesPerSecond: slowed ? bytes * 0.8 : bytes, capacityBytesPerSecond: capacity,
                        linksUp: state.linksUp, linksTotal: state.spec.model.fabricLinkCount,
                        errorsPerSecond: errors))
            }
        }
        return out
    }

    /// The peer named by the running fabric incident for this GPU, if any.
    private func faultyPeer(_ n: Int, _ g: Int) -> Int? {
        guard let incident = schedule.active(at: time), incident.kind == .degradedFabric,
            incident.gpu == GPUID(node: topology.nodes[n].id, index: g)
        else { return nil }
        return incident.peer
    }

    private func portSamples(_ n: Int) -> [PortSample] {
        let node = topology.nodes[n]
        var pipelineBytes = 0.0
        for g in node.gpus.indices {
            guard let engine = engineOn(n, g), engine.spec.pipelineParallel > 1, !engine.down else { continue }
            pipelineBytes +=
                engine.lastTokensProcessedPerSecond * Double(engine.spec.model.hiddenSize) * 2
                / Double(engine.spec.tensorParallel)
        }
        let flapping = schedule.active(at: time).flatMap { $0.kind == .portFlap && $0.node == node.id ? $0.port : nil }
        let spare = ClusterLayout.isSpare(n)
        return node.ports.map { port in
            let background = 2e8 + (spare ? spareRng.unit() : rng.unit()) * 1.2e9
            let tx = background + pipelineBytes / Double(node.ports.count)
            guard port.name == flapping else {
                return PortSample(
                    node: node.id, port: port.name, time: time, state: .active, txBytesPerSecond: tx,
                    rxBytesPerSecond: tx * (0.8 + (spare ? spareRng.unit() : rng.unit()) * 0.4),
                    rateBytesPerSecond: port.rateBytesPerSecond,
                    errorsPerSecond: 0)
            }
            // Down for three seconds, up for three: link_downed and symbol errors climb throughout.
            let down = Int(time.rounded(.down)) % 6 < 3
            return PortSample(
                node: node.id, port: port.name, time: time, state: down ? .down : .active,
                txBytesPerSecond: down ? 0 : tx * 0.3, rxBytesPerSecond: down ? 0 : tx * 0.3,
                rateBytesPerSecond: port.rateBytesPerSecond, errorsPerSecond: 35 + rng.unit() * 20)
        }
    }
}

import InfertopCore

/// Where one copy of a replica stands during a make-before-break move.
public enum ReplicaCopyPhase: String, Sendable, Hashable {
    /// Its weights are loading; it serves nothing yet.
    case loading
    /// Out of the router: a loaded new copy waiting to be added, or an old one whose requests finish.
    /// In the router, taking traffic.
    case serving
    case outOfRouter
    /// Stopped: its memory is freed.
    case stopped
}

/// One copy of a replica (the replica on a set of GPUs) as the simulator shows it.
public struct ReplicaCopyState: Sendable, Hashable {
    public var phase: ReplicaCopyPhase
    /// Requests queued or running on this copy.
    public var inFlight: Int
    public var loadedBytes: UInt64
    public var totalBytes: UInt64
}

/// Why the simulated cluster would not carry out a move step, in words.
extension SimulatedControlError {
    static func noCopy(_ replica: ReplicaID, _ gpus: [GPUID]) -> SimulatedControlError {
        SimulatedControlError(description: "no copy of \(replica) on \(GPURanges.words(gpus)) in the simulated cluster")
    }
}

// MARK: - Make-before-break moves, carried out in simulated time

extension SimulatedCluster {
    /// Starts a new copy of `replica` on `gpus` (in stage, then rank order, as a plan's moves
    /// list them): its weights load at the storage or fabric rate of `source` (`RebalanceOptions`,
    /// DOMAIN.md), taking their memory at once; it is out of the router until `addToRouter`.
    /// Idempotent: a copy already on those GPUs is left as it is.
    public func launch(_ replica: ReplicaID, on gpus: [GPUID], from source: LoadSource) throws {
        if copyIndex(replica, on: gpus) != nil { return }
        guard let base = engines.first(where: { $0.spec.id == replica })?.spec else {
            throw SimulatedControlError(description: "the simulated cluster has no replica \(replica)")
        }
        let ordered = base.shards.sorted { ($0.ppStage, $0.tpRank) < ($1.ppStage, $1.tpRank) }
        guard ordered.count == gpus.count else {
            throw SimulatedControlError(
                description: "\(replica) has \(ordered.count) shards, not \(gpus.count) target GPUs")
        }
        var places: [(Int, Int)] = []
        for gpu in gpus {
            guard let (n, g) = index(of: gpu) else {
                throw SimulatedControlError(description: "the simulated cluster has no \(gpu)")
            }
            if let other = engineIndexOnGPU[n][g], !control.movedOut.contains(other) {
                throw SimulatedControlError(description: "\(gpu) already serves \(engines[other].spec.id)")
            }
            places.append((n, g))
        }
        let shards = zip(ordered, gpus).map { shard, gpu in
            Shard(
                replica: replica, tpRank: shard.tpRank, ppStage: shard.ppStage, gpu: gpu,
                weightsBytes: shard.weightsBytes)
        }
        let spec = ReplicaSpec(
            id: replica, model: base.model, tensorParallel: base.tensorParallel,
            pipelineParallel: base.pipelineParallel,
            shards: shards)
        let engine = ReplicaEngine(spec: spec, topology: topology)
        engine.recordsFinished = config.spanBufferCapacity > 0
        engine.down = true
        let e = engines.count
        engines.append(engine)
        spanBuffer.addEngine(spec)
        enginesByModel[spec.model.name, default: []].append(e)
        for node in spec.nodes { if let n = topology.nodeIndex(of: node) { enginesOnNode[n].append(e) } }
        for (shard, (n, g)) in zip(shards, places) {
            weights[n][g] = shard.weightsBytes
            engineIndexOnGPU[n][g] = e
        }
        control.outOfRouter.insert(e)
        control.loading[e] = LoadProgress(start: time, end: time + Self.loadSeconds(shards, from: source))
    }

    /// Seconds to load: the busiest target node's bytes over its rate (storage, or a serving peer
    /// over the fabric), as the planner estimates it.
    static func loadSeconds(_ shards: [Shard], from source: LoadSource) -> Double {
        let options = RebalanceOptions()
        let rate = source == .storage ? options.storageBytesPerSecond : options.peerBytesPerSecond
        var perNode: [NodeID: UInt64] = [:]
        for shard in shards { perNode[shard.gpu.node, default: 0] += shard.weightsBytes }
        return Double(perNode.values.max() ?? 0) / rate
    }

    /// The copy on `gpus` takes traffic; a moved replica then serves (and is published) from it.
    public func addToRouter(_ replica: ReplicaID, on gpus: [GPUID]) throws {
        guard let e = copyIndex(replica, on: gpus) else { throw SimulatedControlError.noCopy(replica, gpus) }
        guard control.loading[e] == nil, !control.movedOut.contains(e) else {
            throw SimulatedControlError(description: "\(replica) on \(GPURanges.words(gpus)) is not ready to serve")
        }
        control.outOfRouter.remove(e)
        if servingEngine(of: replica) != e {
            control.placement[replica] = e
            publishPlacement()
        }
    }

    /// The copy on `gpus` takes no new requests; those it holds finish.
    public func removeFromRouter(_ replica: ReplicaID, on gpus: [GPUID]) throws {
        guard let e = copyIndex(replica, on: gpus) else { throw SimulatedControlError.noCopy(replica, gpus) }
        control.outOfRouter.insert(e)
    }

    /// Stops the copy on `gpus` and frees its memory. Refused while it holds requests.
    public func stopCopy(_ replica: ReplicaID, on gpus: [GPUID]) throws {
        guard let e = copyIndex(replica, on: gpus) else { throw SimulatedControlError.noCopy(replica, gpus) }
        if control.movedOut.contains(e) { return }
        guard engines[e].waiting.isEmpty && engines[e].running.isEmpty else {
            throw SimulatedControlError(
                description: "\(replica) on \(GPURanges.words(gpus)) still has requests in flight")
        }
        control.outOfRouter.insert(e)
        control.movedOut.insert(e)
        engines[e].down = true
        for shard in engines[e].spec.shards {
            guard let (n, g) = index(of: shard.gpu), engineIndexOnGPU[n][g] == e else { continue }
            weights[n][g] = 0
            engineIndexOnGPU[n][g] = nil
        }
        if servingEngine(of: replica) == e, let other = liveCopy(of: replica, besides: e) {
            control.placement[replica] = other
            publishPlacement()
        }
    }

    /// The copy of `replica` on `gpus`, or nil when there is none.
    public func copy(_ replica: ReplicaID, on gpus: [GPUID]) -> ReplicaCopyState? {
        guard let e = copyIndex(replica, on: gpus) else { return nil }
        let engine = engines[e]
        let total = engine.spec.shards.reduce(UInt64(0)) { $0 + $1.weightsBytes }
        let inFlight = engine.waiting.count + engine.running.count
        if control.movedOut.contains(e) {
            return ReplicaCopyState(phase: .stopped, inFlight: 0, loadedBytes: 0, totalBytes: total)
        }
        if let load = control.loading[e] {
            let share = load.end > load.start ? min(1, max(0, (time - load.start) / (load.end - load.start))) : 1
            return ReplicaCopyState(
                phase: .loading, inFlight: 0, loadedBytes: UInt64(Double(total) * share), totalBytes: total)
        }
        let phase: ReplicaCopyPhase = control.outOfRouter.contains(e) ? .outOfRouter : .serving
        return ReplicaCopyState(phase: phase, inFlight: inFlight, loadedBytes: total, totalBytes: total)
    }

    /// Whether the published placement changed since the last call (the agents then send a new
    /// snapshot of their replicas).
    public func takePlacementChange() -> Bool {
        defer { control.placementChanged = false }
        return control.placementChanged
    }

    // MARK: - Internals

    /// Loads that have finished: their copies are ready (still out of the router).
    func finishLoads() {
        for (e, load) in control.loading where time >= load.end {
            control.loading[e] = nil
            engines[e].down = false
        }
    }

    /// The engine a replica serves from now.
    func servingEngine(of replica: ReplicaID) -> Int? {
        if let e = control.placement[replica] { return e }
        return engines.firstIndex { $0.spec.id == replica }
    }

    private func liveCopy(of replica: ReplicaID, besides e: Int) -> Int? {
        engines.indices.first { $0 != e && engines[$0].spec.id == replica && !control.movedOut.contains($0) }
    }

    private func copyIndex(_ replica: ReplicaID, on gpus: [GPUID]) -> Int? {
        let wanted = Set(gpus)
        return engines.indices.last {
            engines[$0].spec.id == replica && Set(engines[$0].spec.shards.map(\.gpu)) == wanted
        }
    }

    /// `replicas` from each replica's serving copy, in their first order.
    private func publishPlacement() {
        replicas = replicas.map { spec in servingEngine(of: spec.id).map { engines[$0].spec } ?? spec }
        control.placementChanged = true
    }
}

import InfertopCore

/// The repeating incident timeline: every cycle runs each kind once, on targets drawn from the
/// seed and the cycle number, so the same seed always breaks the same GPUs at the same times.
public struct IncidentSchedule: Sendable {
    public static let cycleSeconds = 600.0
    /// Offsets and durations of each kind inside a cycle; they never overlap.
    public static let slots: [(IncidentKind, start: Double, duration: Double)] = [
        (.kvPressure, 60, 90), (.straggler, 200, 90), (.degradedFabric, 330, 80), (.nodeLost, 450, 60),
        (.portFlap, 530, 50)
    ]

    let seed: UInt64
    let topology: Topology
    let replicas: [ReplicaSpec]
    let enabled: Bool

    init(seed: UInt64, topology: Topology, replicas: [ReplicaSpec], enabled: Bool) {
        self.seed = seed
        self.topology = topology
        self.replicas = replicas
        self.enabled = enabled
    }

    /// The incidents of cycle `cycle` (0 for the first ten minutes).
    public func incidents(inCycle cycle: Int) -> [Incident] {
        guard enabled, !replicas.isEmpty else { return [] }
        let base = Double(cycle) * Self.cycleSeconds
        return Self.slots.compactMap { kind, start, duration in
            var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(cycle) << 8 | UInt64(kind.hashIndex))
            return make(kind, start: base + start, end: base + start + duration, rng: &rng)
        }
    }

    /// The incident running at `time`, if any.
    public func active(at time: Double) -> Incident? {
        let cycle = Int((time / Self.cycleSeconds).rounded(.down))
        return incidents(inCycle: max(0, cycle)).first { $0.isActive(at: time) }
    }

    private func make(_ kind: IncidentKind, start: Double, end: Double, rng: inout Xoshiro256StarStar) -> Incident? {
        let big = replicas.filter { $0.model.name == ServedModel.llama405B.name }
        let grouped = replicas.filter { $0.tensorParallel > 1 }
        switch kind {
        case .kvPressure:
            guard let replica = pick(big.isEmpty ? replicas : big, &rng) else { return nil }
            let shard = replica.shards[rng.int(in: 0...(replica.shards.count - 1))]
            return Incident(
                kind: kind, start: start, end: end, node: shard.gpu.node, gpu: shard.gpu, peer: nil, replica: replica.id
            )
        case .straggler:
            guard let replica = pick(grouped.isEmpty ? replicas : grouped, &rng) else { return nil }
            let shard = replica.shards[rng.int(in: 0...(replica.shards.count - 1))]
            return Incident(
                kind: kind, start: start, end: end, node: shard.gpu.node, gpu: shard.gpu, peer: nil, replica: replica.id
            )
        case .degradedFabric:
            guard let replica = pick(grouped, &rng) else { return nil }
            let stageIndex = rng.int(in: 0...(replica.pipelineParallel - 1))
            let stage = replica.shards.filter { $0.ppStage == stageIndex }
            let a = rng.int(in: 0...(stage.count - 1))
            var b = rng.int(in: 0...(stage.count - 2))
            if b >= a { b += 1 }
            return Incident(
                kind: kind, start: start, end: end, node: stage[a].gpu.node, gpu: stage[a].gpu,
                peer: stage[b].gpu.index, replica: replica.id)
        case .portFlap:
            // A port of a node whose replica spans nodes: its pipeline hop crosses the fabric.
            let spanning = replicas.filter { $0.nodes.count > 1 }
            guard let replica = pick(spanning.isEmpty ? replicas : spanning, &rng) else { return nil }
            let node = replica.nodes[rng.int(in: 0...(replica.nodes.count - 1))]
            guard let ports = topology.node(node)?.ports, !ports.isEmpty else { return nil }
            let port = ports[rng.int(in: 0...(ports.count - 1))].name
            return Incident(
                kind: kind, start: start, end: end, node: node, gpu: nil, peer: nil, replica: replica.id, port: port)
        case .nodeLost:
            guard let replica = pick(big.isEmpty ? replicas : big, &rng) else { return nil }
            let nodes = replica.nodes
            let node = nodes[rng.int(in: 0...(nodes.count - 1))]
            return Incident(kind: kind, start: start, end: end, node: node, gpu: nil, peer: nil, replica: replica.id)
        }
    }

    private func pick(_ list: [ReplicaSpec], _ rng: inout Xoshiro256StarStar) -> ReplicaSpec? {
        list.isEmpty ? nil : list[rng.int(in: 0...(list.count - 1))]
    }
}

extension IncidentKind {
    var hashIndex: Int { IncidentKind.allCases.firstIndex(of: self) ?? 0 }
}

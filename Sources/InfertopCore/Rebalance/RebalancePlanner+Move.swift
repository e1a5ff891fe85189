extension RebalancePlanner {
    /// The move of `replica` to its assigned GPUs: shards in stage/rank order, steps, load source and time.
    func move(
        _ replica: ReplicaSpec, _ assignments: [ShardAssignment], ledger: FleetLedger, relieve: Bool
    ) -> ReplicaMove {
        let shards = assignments.map {
            ShardMove(
                tpRank: $0.shard.tpRank, ppStage: $0.shard.ppStage, from: $0.shard.gpu, to: ledger.gpuID($0.to),
                weightsBytes: $0.shard.weightsBytes)
        }.sorted { ($0.ppStage, $0.tpRank) < ($1.ppStage, $1.tpRank) }
        let from = shards.map(\.from)
        let to = shards.map(\.to)
        let id = replica.id
        let source = loadSource(for: id, targets: Set(to.map(\.node)))
        let shift = relieve && input.isServing(id) && hasServingPeer(id)
        var steps: [MoveStep] = shift ? [.shiftTraffic(off: id, on: from)] : []
        steps += [
            .reserve(to), .launchAndLoad(id, on: to, from: source), .waitReady(id, on: to), .addToRouter(id, on: to),
            .removeFromRouter(id, on: from), .waitInFlight(id, on: from), .stop(id, on: from), .confirmFreed(from)
        ]
        if shift { steps.append(.restoreTraffic(to: id, on: to)) }
        var bytesPerNode: [NodeID: UInt64] = [:]
        for shard in shards { bytesPerNode[shard.to.node, default: 0] += shard.weightsBytes }
        let rate = source == .storage ? input.options.storageBytesPerSecond : input.options.peerBytesPerSecond
        let seconds = rate > 0 ? Double(bytesPerNode.values.max() ?? 0) / rate : .infinity
        return ReplicaMove(
            replica: id, shards: shards, steps: steps, loadSource: source,
            weightsBytes: shards.reduce(0) { $0 + $1.weightsBytes }, estimatedSeconds: seconds)
    }

    /// Another serving replica of the same model exists to take the traffic.
    func hasServingPeer(_ id: ReplicaID) -> Bool {
        input.replicas.contains { $0.id != id && $0.id.model == id.model && input.isServing($0.id) }
    }

    /// The lowest-numbered serving peer of the same model reachable over the fabric, else storage.
    ///
    /// A peer copies at fabric speed when it and every target node have a network port (or it sits
    /// on the single target node itself), and none of its nodes is unreachable.
    func loadSource(for id: ReplicaID, targets: Set<NodeID>) -> LoadSource {
        let targetsOnFabric = targets.allSatisfy { !(input.topology.node($0)?.ports.isEmpty ?? true) }
        let peers = input.replicas.filter { $0.id != id && $0.id.model == id.model && input.isServing($0.id) }
        for peer in peers.sorted(by: { $0.id < $1.id }) {
            let nodes = Set(peer.shards.map(\.gpu.node))
            guard nodes.allSatisfy({ !input.unreachableNodes.contains($0) }) else { continue }
            let peerOnFabric = nodes.allSatisfy { !(input.topology.node($0)?.ports.isEmpty ?? true) }
            if (peerOnFabric && targetsOnFabric) || (targets.count == 1 && nodes == targets) { return .peer(peer.id) }
        }
        return .storage
    }
}

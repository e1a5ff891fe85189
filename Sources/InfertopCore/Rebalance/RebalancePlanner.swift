/// Plans a rebalance: which replicas move where, in make-before-break steps, without breaking a constraint.
///
/// Pure and deterministic: the same input gives the same plan in any process. Constraints kept on
/// every target: weights + KV headroom fit the GPU's free memory (counting earlier moves of the same
/// plan; memory a move frees is not reused within the plan, so any prefix of the plan is safe to
/// run); a TP group stays in one island of one node; PP stages span only fabric-connected nodes;
/// targets are ACTIVE, reachable, healthy, not the evacuated node and not the replica's own GPUs.
public struct RebalancePlanner: Sendable {
    public let input: RebalanceInput

    public init(_ input: RebalanceInput) { self.input = input }

    public func plan(_ goal: RebalanceGoal) -> Result<RebalancePlan, RebalanceRefusal> {
        let selection: (replicas: [ReplicaSpec], source: NodeID?)
        switch resolve(goal) {
        case .success(let resolved): selection = resolved
        case .failure(let refusal): return .failure(refusal)
        }
        let ledger = FleetLedger(input)
        let source = selection.source.flatMap { input.topology.nodeIndex(of: $0) }
        var placer = ReplicaPlacer(ledger: ledger, sourceNode: source)
        var moves: [ReplicaMove] = []
        var unplaced: [UnplacedReplica] = []
        for replica in selection.replicas {
            switch placer.place(replica) {
            case .success(let assignments):
                moves.append(move(replica, assignments, ledger: placer.ledger, relieve: isRelieve(goal)))
            case .failure(let failure):
                let reason = failure.reason(for: replica.id, headroomFraction: input.options.kvHeadroomFraction)
                unplaced.append(UnplacedReplica(replica: replica.id, reason: reason))
            }
        }
        let impact = PlanImpact(moves: moves, ledger: ledger, input: input)
        return .success(
            RebalancePlan(goal: goal, madeFrom: input.fingerprint, moves: moves, unplaced: unplaced, impact: impact))
    }

    /// The replicas a goal moves, in the order they run, and the node nothing may land on.
    func resolve(_ goal: RebalanceGoal) -> Result<(replicas: [ReplicaSpec], source: NodeID?), RebalanceRefusal> {
        switch goal {
        case .evacuate(let node):
            guard input.topology.node(node) != nil else { return .failure(.unknownNode(node)) }
            let onNode = input.replicas.filter { $0.shards.contains { $0.gpu.node == node } }
            let ordered = onNode.sorted { a, b in
                let wa = a.shards.reduce(0) { $0 + $1.weightsBytes }
                let wb = b.shards.reduce(0) { $0 + $1.weightsBytes }
                return wa != wb ? wa > wb : a.id < b.id
            }
            return .success((ordered, node))
        case .relieve(let gpu):
            guard input.topology.gpu(gpu) != nil else { return .failure(.unknownGPU(gpu)) }
            let candidates = input.replicas.compactMap { replica -> (bytes: UInt64, replica: ReplicaSpec)? in
                let here = replica.shards.filter { $0.gpu == gpu }
                return here.isEmpty ? nil : (here.reduce(0) { $0 + $1.weightsBytes }, replica)
            }
            let best = candidates.min { a, b in a.bytes != b.bytes ? a.bytes > b.bytes : a.replica.id < b.replica.id }
            guard let chosen = best?.replica else { return .failure(.nothingOnGPU(gpu)) }
            return .success(([chosen], nil))
        case .move(let id):
            guard let replica = input.replicas.first(where: { $0.id == id }) else {
                return .failure(.unknownReplica(id))
            }
            return .success(([replica], nil))
        }
    }

    private func isRelieve(_ goal: RebalanceGoal) -> Bool {
        if case .relieve = goal { return true }
        return false
    }
}

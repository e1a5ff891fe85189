extension PlanImpact {
    /// The impact of `moves` run in order over the memory in `ledger` (before any reservation).
    init(moves: [ReplicaMove], ledger: FleetLedger, input: RebalanceInput) {
        var after: [Int: UInt64] = [:]
        for move in moves {
            for shard in move.shards {
                guard let to = ledger.flat(shard.to) else { continue }
                after[to, default: ledger.initialUsed[to]] += shard.weightsBytes + ledger.headroom[to]
            }
            for shard in move.shards {
                guard let from = ledger.flat(shard.from) else { continue }
                let current = after[from] ?? ledger.initialUsed[from]
                after[from] = current - min(current, shard.weightsBytes + ledger.headroom[from])
            }
        }
        memory = after.keys.sorted().map { flat in
            GPUMemoryChange(
                gpu: ledger.gpuID(flat), capacityBytes: ledger.capacity[flat], beforeBytes: ledger.initialUsed[flat],
                afterBytes: after[flat] ?? ledger.initialUsed[flat])
        }
        bytesToLoad = moves.reduce(0) { $0 + $1.weightsBytes }
        estimatedSeconds = moves.reduce(0) { $0 + $1.estimatedSeconds }
        capacity = Self.capacity(moves: moves, input: input)
        replicasAffected = moves.map(\.replica).sorted()
    }

    /// Walks every step, counting per model the copies the router sends to; keeps the lowest count.
    static func capacity(moves: [ReplicaMove], input: RebalanceInput) -> [ModelCapacity] {
        struct Copy: Hashable {
            let replica: ReplicaID
            let gpus: [GPUID]
        }
        let models = Set(moves.map(\.replica.model))
        var now: [String: Int] = [:]
        for replica in input.replicas where models.contains(replica.id.model) && input.isServing(replica.id) {
            now[replica.id.model, default: 0] += 1
        }
        var inRouter = Set(
            moves.filter { input.isServing($0.replica) }.map { Copy(replica: $0.replica, gpus: $0.fromGPUs) })
        var count = now
        var worst = now
        for move in moves {
            for step in move.steps {
                switch step {
                case .shiftTraffic(let replica, let gpus), .removeFromRouter(let replica, let gpus):
                    if inRouter.remove(Copy(replica: replica, gpus: gpus)) != nil {
                        count[replica.model, default: 0] -= 1
                    }
                case .addToRouter(let replica, let gpus), .restoreTraffic(let replica, let gpus):
                    if inRouter.insert(Copy(replica: replica, gpus: gpus)).inserted {
                        count[replica.model, default: 0] += 1
                    }
                default:
                    continue
                }
                let model = move.replica.model
                worst[model] = min(worst[model] ?? 0, count[model] ?? 0)
            }
        }
        return models.sorted().map {
            ModelCapacity(model: $0, servingNow: now[$0] ?? 0, servingAtWorst: worst[$0] ?? 0)
        }
    }
}

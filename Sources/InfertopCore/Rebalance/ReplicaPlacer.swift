/// One shard's new home, as flat GPU indexes.
struct ShardAssignment {
    let shard: Shard
    let to: Int
}

/// What the first stage that found no island was missing, for the reason sentence.
struct PlacementFailure: Error {
    let stage: Int
    let stages: Int
    let gpusNeeded: Int
    let largestShardBytes: UInt64
    let fabricOnly: Bool
    /// Some allowed node had an eligible GPU at all.
    let anyEligibleGPU: Bool
    /// Some allowed island had enough eligible GPUs, memory aside.
    let anyIslandLargeEnough: Bool
}

/// Places one replica's stages into islands, reserving memory in the ledger as it goes.
///
/// A stage (one TP group) takes the island whose chosen GPUs keep the most room afterwards (ties to
/// the lower node, then island). Several stages may span nodes only where every node is on the
/// fabric; failing that, all stages may share one node off the fabric. On failure nothing stays reserved.
struct ReplicaPlacer {
    var ledger: FleetLedger
    /// The evacuated node's index: never a target.
    let sourceNode: Int?

    /// The new GPU of every shard, or what was missing; reservations stay in `ledger` on success.
    mutating func place(_ replica: ReplicaSpec) -> Result<[ShardAssignment], PlacementFailure> {
        let excluded = Set(replica.shards.compactMap { ledger.flat($0.gpu) })
        let stages = Dictionary(grouping: replica.shards, by: \.ppStage).sorted { $0.key < $1.key }.map {
            $0.value.sorted { ($1.weightsBytes, $0.tpRank) < ($0.weightsBytes, $1.tpRank) }
        }
        let onFabric = ledger.onFabric
        let spanning = placeStages(stages, excluded: excluded, fabricOnly: stages.count > 1) {
            stages.count == 1 || onFabric[$0]
        }
        guard case .failure(let failure) = spanning, stages.count > 1 else { return spanning }
        for n in ledger.topology.nodes.indices where !onFabric[n] && n != sourceNode {
            let together = placeStages(stages, excluded: excluded, fabricOnly: false) { $0 == n }
            if case .success(let placed) = together { return .success(placed) }
        }
        return .failure(failure)
    }

    /// Places each stage in turn on an island of a node that `allow` accepts (by node index); a GPU
    /// takes at most one shard of the replica. On failure, releases what the earlier stages reserved.
    private mutating func placeStages(
        _ stages: [[Shard]], excluded: Set<Int>, fabricOnly: Bool, allow: (Int) -> Bool
    ) -> Result<[ShardAssignment], PlacementFailure> {
        var placed: [ShardAssignment] = []
        var taken = excluded
        for (s, stage) in stages.enumerated() {
            guard let chosen = bestIsland(for: stage, excluded: taken, allow: allow) else {
                for assignment in placed { ledger.release(need(assignment), on: assignment.to) }
                return .failure(failure(stage: s, of: stages, excluded: taken, fabricOnly: fabricOnly, allow: allow))
            }
            for assignment in chosen {
                ledger.reserve(need(assignment), on: assignment.to)
                taken.insert(assignment.to)
                placed.append(assignment)
            }
        }
        return .success(placed)
    }

    /// Weights plus the target's headroom: what one assignment reserves.
    func need(_ assignment: ShardAssignment) -> UInt64 {
        assignment.shard.weightsBytes + ledger.headroom[assignment.to]
    }

    /// `stage` is sorted largest shard first. Returns the assignment on the best island, or nil.
    private func bestIsland(for stage: [Shard], excluded: Set<Int>, allow: (Int) -> Bool) -> [ShardAssignment]? {
        let t = stage.count
        var best: (score: Int64, gpus: [Int])?
        for (i, island) in ledger.islands.enumerated() {
            let ranked = ledger.ranked[i]
            guard ranked.count >= t, island.node != sourceNode, allow(island.node) else { continue }
            var gpus: [Int] = []
            gpus.reserveCapacity(t)
            var score = Int64.max
            for flat in ranked where !excluded.contains(flat) {
                let spare = ledger.room(flat) - Int64(clamping: stage[gpus.count].weightsBytes)
                if spare < 0 { break }
                score = min(score, spare)
                gpus.append(flat)
                if gpus.count == t { break }
            }
            guard gpus.count == t else { continue }
            if best.map({ score > $0.score }) ?? true { best = (score, gpus) }
        }
        guard let gpus = best?.gpus else { return nil }
        return assign(stage, to: gpus)
    }

    /// Ranks in order onto GPUs in index order when that fits, else largest shard to most room.
    private func assign(_ stage: [Shard], to gpus: [Int]) -> [ShardAssignment] {
        let byRank = stage.sorted { $0.tpRank < $1.tpRank }
        let byIndex = gpus.sorted()
        let inOrder = zip(byRank, byIndex).allSatisfy { ledger.room($1) >= Int64(clamping: $0.weightsBytes) }
        if inOrder { return zip(byRank, byIndex).map { ShardAssignment(shard: $0, to: $1) } }
        return zip(stage, gpus).map { ShardAssignment(shard: $0, to: $1) }
    }

    private func failure(
        stage s: Int, of stages: [[Shard]], excluded: Set<Int>, fabricOnly: Bool, allow: (Int) -> Bool
    ) -> PlacementFailure {
        let t = stages[s].count
        var anyGPU = false
        var anyIsland = false
        for (i, island) in ledger.islands.enumerated() where island.node != sourceNode && allow(island.node) {
            let usable = ledger.ranked[i].filter { !excluded.contains($0) }.count
            anyGPU = anyGPU || usable > 0
            anyIsland = anyIsland || usable >= t
        }
        return PlacementFailure(
            stage: s, stages: stages.count, gpusNeeded: t, largestShardBytes: stages[s].first?.weightsBytes ?? 0,
            fabricOnly: fabricOnly, anyEligibleGPU: anyGPU, anyIslandLargeEnough: anyIsland)
    }
}

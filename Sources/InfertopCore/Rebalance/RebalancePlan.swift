/// A dry-run rebalance: the moves, what could not be placed, the impact, and the state it was made from.
///
/// Nothing happens when a plan is made; it is shown first, and applying it against a cluster whose
/// fingerprint has changed is refused (`validate(against:)`), so a plan never acts on a stale view.
public struct RebalancePlan: Hashable, Sendable {
    public let goal: RebalanceGoal
    public let madeFrom: StateFingerprint
    /// In the order they run: one move at a time, so at most one extra replica is in flight.
    public let moves: [ReplicaMove]
    public let unplaced: [UnplacedReplica]
    public let impact: PlanImpact

    /// Whether every replica the goal touches found a place.
    public var isComplete: Bool { unplaced.isEmpty }

    /// Success when the cluster is still in the state the plan was made from.
    public func validate(against current: StateFingerprint) -> Result<Void, LifecycleRefusal> {
        current == madeFrom ? .success(()) : .failure(.stalePlan(madeFrom: madeFrom, current: current))
    }
}

/// One shard's move: same TP rank and PP stage, from one GPU to another.
///
/// The rank and stage are kept so the new copy loads exactly the weights the old one served.
public struct ShardMove: Hashable, Sendable {
    public let tpRank: Int
    public let ppStage: Int
    public let from: GPUID
    public let to: GPUID
    public let weightsBytes: UInt64
}

/// Where a new copy's weights come from, which sets the load time.
///
/// A serving peer of the same model on the fabric copies at fabric speed; otherwise storage.
public enum LoadSource: Hashable, Sendable, CustomStringConvertible {
    case storage
    case peer(ReplicaID)

    public var description: String {
        switch self {
        case .storage: "storage"
        case .peer(let replica): "peer \(replica)"
        }
    }
}

/// One replica's make-before-break move: its shards, the steps as data, and its load estimate.
///
/// The steps are what an executor carries out in order; a failed step rolls back this move only.
public struct ReplicaMove: Hashable, Sendable {
    public let replica: ReplicaID
    /// Sorted by PP stage, then TP rank.
    public let shards: [ShardMove]
    public let steps: [MoveStep]
    public let loadSource: LoadSource
    public let weightsBytes: UInt64
    /// Bytes landing on the busiest target node over that node's load rate.
    public let estimatedSeconds: Double

    public var fromGPUs: [GPUID] { shards.map(\.from) }
    public var toGPUs: [GPUID] { shards.map(\.to) }
}

/// A replica the plan could not place, with the sentence that says why.
///
/// Reasons name the replica and the unmet need, e.g. `llama-405b/3: no eligible node has an
/// NVLink/xGMI island of 8 GPUs with 50.0 GiB free each beyond the 20% KV headroom.`
public struct UnplacedReplica: Hashable, Sendable {
    public let replica: ReplicaID
    public let reason: String
}

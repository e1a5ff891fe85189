/// What a plan does to the cluster, for the preview an operator confirms before anything happens.
///
/// Memory is planned memory (weights plus the KV headroom reserved on targets, the same freed on
/// sources), so before/after show what the planner reasoned with, not a forecast of the KV pool.
public struct PlanImpact: Hashable, Sendable {
    /// Every GPU a move reserves on or frees, sorted by node and index.
    public let memory: [GPUMemoryChange]
    public let bytesToLoad: UInt64
    /// Moves run one after the other; each takes its busiest target node's load time.
    public let estimatedSeconds: Double
    /// Per model touched by a move, sorted by model name.
    public let capacity: [ModelCapacity]
    public let replicasAffected: [ReplicaID]
}

/// One GPU's planned memory before and after the plan.
///
/// Bytes, with the capacity beside them so a view can draw the bar without the topology.
public struct GPUMemoryChange: Hashable, Sendable {
    public let gpu: GPUID
    public let capacityBytes: UInt64
    public let beforeBytes: UInt64
    public let afterBytes: UInt64
}

/// How many replicas of a model serve now and at the plan's worst step.
///
/// Make-before-break keeps `servingAtWorst` at `servingNow`; relieve's traffic shift takes one off
/// on purpose for the length of the move.
public struct ModelCapacity: Hashable, Sendable {
    public let model: String
    public let servingNow: Int
    public let servingAtWorst: Int
}

/// What an operator asks a rebalance to achieve.
///
/// Every goal moves whole replicas (all TP x PP shards together, make-before-break), because a
/// serving engine cannot run with part of its shards elsewhere while the rest stay put.
public enum RebalanceGoal: Hashable, Sendable, CustomStringConvertible {
    /// Place every replica with a shard on the node elsewhere, so the node can be emptied.
    case evacuate(NodeID)
    /// Move the replica holding the most weights on a hot GPU, shifting its traffic to peers first.
    case relieve(GPUID)
    /// Move one replica elsewhere.
    case move(ReplicaID)

    public var description: String {
        switch self {
        case .evacuate(let node): "evacuate \(node)"
        case .relieve(let gpu): "relieve \(gpu)"
        case .move(let replica): "move \(replica)"
        }
    }
}

/// The planner's tunables: KV headroom kept on targets and the load rates for the time estimate.
///
/// The rates follow DOMAIN.md: loading from local NVMe or object storage is "a few GB/s per node"
/// (2 GB/s here, the cautious end); copying from a peer replica of the same model rides NVLink or
/// InfiniBand, and 25 GB/s per node is half an NDR port (50 GB/s), what a transfer sustains next to
/// serving traffic on the same fabric.
public struct RebalanceOptions: Hashable, Sendable {
    /// Share of each target GPU's memory kept free beyond the weights, for KV cache and workspace.
    public var kvHeadroomFraction: Double
    /// Per-node load rate from storage, bytes per second.
    public var storageBytesPerSecond: Double
    /// Per-node load rate when copying from a serving peer over the fabric, bytes per second.
    public var peerBytesPerSecond: Double

    public init(
        kvHeadroomFraction: Double = 0.2, storageBytesPerSecond: Double = 2e9, peerBytesPerSecond: Double = 25e9
    ) {
        self.kvHeadroomFraction = kvHeadroomFraction
        self.storageBytesPerSecond = storageBytesPerSecond
        self.peerBytesPerSecond = peerBytesPerSecond
    }

    /// The bytes kept free on a GPU of `model` beyond the weights placed there.
    public func headroomBytes(for model: GPUModel) -> UInt64 {
        let fraction = min(max(kvHeadroomFraction, 0), 1)
        return UInt64((Double(model.memoryBytes) * fraction).rounded(.up))
    }
}

/// Why the planner cannot start on a goal at all (as opposed to a replica it cannot place).
///
/// Each `description` is one sentence naming what was asked and how to fix the request.
public enum RebalanceRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownNode(NodeID)
    case unknownGPU(GPUID)
    case unknownReplica(ReplicaID)
    case nothingOnGPU(GPUID)

    public var description: String {
        switch self {
        case .unknownNode(let node): "\(node) is not in the cluster: check the node name against the overview."
        case .unknownGPU(let gpu): "\(gpu) is not in the cluster: check the node name and GPU index."
        case .unknownReplica(let replica): "Replica \(replica) is not placed anywhere: check the model name and index."
        case .nothingOnGPU(let gpu):
            "\(gpu) holds no shard, so there is nothing to move off it: pick a GPU that serves."
        }
    }
}

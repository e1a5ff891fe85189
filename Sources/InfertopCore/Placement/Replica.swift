/// One replica of a served model, written `llama-405b/2`.
public struct ReplicaID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let model: String
    public let index: Int

    public init(model: String, index: Int) {
        self.model = model
        self.index = index
    }

    public var description: String { "\(model)/\(index)" }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool {
        lhs.model == rhs.model ? lhs.index < rhs.index : lhs.model < rhs.model
    }
}

/// One model part placed on one GPU.
public struct Shard: Hashable, Sendable {
    public let replica: ReplicaID
    public let tpRank: Int
    public let ppStage: Int
    public let gpu: GPUID
    public let weightsBytes: UInt64

    public init(replica: ReplicaID, tpRank: Int, ppStage: Int, gpu: GPUID, weightsBytes: UInt64) {
        self.replica = replica
        self.tpRank = tpRank
        self.ppStage = ppStage
        self.gpu = gpu
        self.weightsBytes = weightsBytes
    }
}

/// A replica: which model, how it is split (TP x PP) and where its shards sit.
public struct ReplicaSpec: Hashable, Sendable {
    public let id: ReplicaID
    public let model: ServedModel
    public let tensorParallel: Int
    public let pipelineParallel: Int
    public let shards: [Shard]

    public init(id: ReplicaID, model: ServedModel, tensorParallel: Int, pipelineParallel: Int, shards: [Shard]) {
        self.id = id
        self.model = model
        self.tensorParallel = tensorParallel
        self.pipelineParallel = pipelineParallel
        self.shards = shards
    }

    /// Nodes the replica spans, in order.
    public var nodes: [NodeID] {
        var seen: [NodeID] = []
        for shard in shards where !seen.contains(shard.gpu.node) { seen.append(shard.gpu.node) }
        return seen
    }

    public var gpus: [GPUID] { shards.map(\.gpu) }

    /// `TP8xPP2`, the layout as operators write it.
    public var layout: String {
        pipelineParallel > 1 ? "TP\(tensorParallel)xPP\(pipelineParallel)" : "TP\(tensorParallel)"
    }

    /// The decode floor: per pipeline stage, the weights each GPU must read over its HBM bandwidth
    /// (the slowest GPU of the stage), summed over the stages a token passes in turn.
    public func decodeFloorSeconds(in topology: Topology) -> Double {
        var total = 0.0
        for stage in 0..<pipelineParallel {
            var worst = 0.0
            for shard in shards where shard.ppStage == stage {
                guard let gpu = topology.gpu(shard.gpu) else { continue }
                worst = max(worst, Double(shard.weightsBytes) / gpu.model.memoryBandwidthBytesPerSecond)
            }
            total += worst
        }
        return total
    }
}

/// Whether a replica takes traffic.
public enum ReplicaStatus: String, Sendable, Hashable {
    case serving, down
}

/// One reading of a replica's serving performance over the recent window.
public struct ReplicaSample: Hashable, Sendable {
    public var replica: ReplicaID
    public var time: Double
    public var status: ReplicaStatus
    public var tokensPerSecond: Double
    public var requestsPerSecond: Double
    public var runningRequests: Int
    public var waitingRequests: Int
    public var preemptionsPerSecond: Double
    public var ttftP50Seconds: Double
    public var ttftP99Seconds: Double
    public var itlP50Seconds: Double
    public var itlP99Seconds: Double
    /// Mean decode step time over the last interval.
    public var stepSeconds: Double
    /// The physical floor of one decode step for this replica.
    public var floorSeconds: Double

    public init(
        replica: ReplicaID, time: Double, status: ReplicaStatus, tokensPerSecond: Double,
        requestsPerSecond: Double, runningRequests: Int, waitingRequests: Int, preemptionsPerSecond: Double,
        ttftP50Seconds: Double, ttftP99Seconds: Double, itlP50Seconds: Double, itlP99Seconds: Double,
        stepSeconds: Double, floorSeconds: Double
    ) {
        self.replica = replica
        self.time = time
        self.status = status
        self.tokensPerSecond = tokensPerSecond
        self.requestsPerSecond = requestsPerSecond
        self.runningRequests = runningRequests
        self.waitingRequests = waitingRequests
        self.preemptionsPerSecond = preemptionsPerSecond
        self.ttftP50Seconds = ttftP50Seconds
        self.ttftP99Seconds = ttftP99Seconds
        self.itlP50Seconds = itlP50Seconds
        self.itlP99Seconds = itlP99Seconds
        self.stepSeconds = stepSeconds
        self.floorSeconds = floorSeconds
    }
}

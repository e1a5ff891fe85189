/// Everything the dashboard knows about the cluster at one moment.
///
/// Per-node and per-GPU values sit in arrays parallel to `topology.nodes`, so views over
/// thousands of GPUs read them by index. Built from a snapshot and advanced by deltas
/// (`applying(_:)`); keeps bounded history rings for sparklines.
public struct ClusterState: Sendable {
    public private(set) var topology: Topology
    public private(set) var replicas: [ReplicaSpec]
    public private(set) var placement: PlacementIndex
    public var time: Double
    /// `gpuSamples[node][gpu]`; nil until the first sample arrives.
    public var gpuSamples: [[GPUSample?]]
    public var nodeStatus: [NodeStatus]
    /// `fabricLinks[node]`: the node's GPU-to-GPU link samples.
    public var fabricLinks: [[FabricLinkSample]]
    /// `ports[node]`: the node's network port samples.
    public var ports: [[PortSample]]
    public var replicaSamples: [ReplicaID: ReplicaSample]
    /// KV-cache usage per GPU over time, `kvHistory[node][gpu]`.
    public var kvHistory: [[HistoryRing<Float>]]
    /// Cluster tokens per second over time.
    public var tokensHistory: HistoryRing<Float>
    /// Each port's utilisation (busier direction over its rate) over time, `portHistory[node][port]`,
    /// in the order of the node's ports in the topology.
    public var portHistory: [[HistoryRing<Float>]]
    /// The agents this state comes from, by address (empty for an in-process source).
    public var sources: [String: SourceStatus] = [:]
    /// The newest time the sources reported on their own clocks (virtual time when simulated);
    /// `time` is the receiver's clock, which liveness is judged by.
    public var reportedTime: Double?
    /// What each node's agent could not read on its last pass (stale scrapes, failed collectors).
    public var problems: [NodeID: [String]] = [:]
    /// Recent requests as span trees, with latency percentiles (bounded, copy-on-write).
    public var requests = RequestStore()
    /// Each agent's span storage: what it holds and what it dropped.
    public var spanStorage: [NodeID: SpanStorageStatus] = [:]

    public static let historyLength = 120

    /// No nodes yet: what a receiver starts from before a feed's first update.
    public static var empty: ClusterState { ClusterState(topology: Topology(nodes: []), replicas: []) }

    public init(topology: Topology, replicas: [ReplicaSpec], time: Double = 0) {
        self.topology = topology
        self.replicas = replicas
        self.placement = PlacementIndex(topology: topology, replicas: replicas)
        self.time = time
        gpuSamples = topology.nodes.map { Array(repeating: nil, count: $0.gpus.count) }
        nodeStatus = Array(repeating: NodeStatus(), count: topology.nodes.count)
        fabricLinks = Array(repeating: [], count: topology.nodes.count)
        ports = Array(repeating: [], count: topology.nodes.count)
        replicaSamples = [:]
        kvHistory = topology.nodes.map {
            Array(repeating: HistoryRing<Float>(capacity: Self.historyLength), count: $0.gpus.count)
        }
        tokensHistory = HistoryRing(capacity: Self.historyLength)
        portHistory = topology.nodes.map {
            Array(repeating: HistoryRing<Float>(capacity: Self.historyLength), count: $0.ports.count)
        }
    }

    public func sample(_ gpu: GPUID) -> GPUSample? {
        guard let n = topology.nodeIndex(of: gpu.node), gpuSamples[n].indices.contains(gpu.index) else { return nil }
        return gpuSamples[n][gpu.index]
    }

    public func status(_ node: NodeID) -> NodeStatus? {
        topology.nodeIndex(of: node).map { nodeStatus[$0] }
    }

    public func replica(_ id: ReplicaID) -> ReplicaSpec? { placement.replicaIndex[id].map { replicas[$0] } }

    /// The agent serving a node, if the state comes from agents.
    public func source(of node: NodeID) -> SourceStatus? { sources.values.first { $0.node == node } }

    /// The same state over a new topology and placement (a node joined or changed): values of
    /// nodes that remain are kept, by name; new nodes start empty.
    public func rebuilt(topology newTopology: Topology, replicas newReplicas: [ReplicaSpec]) -> ClusterState {
        var next = ClusterState(topology: newTopology, replicas: newReplicas, time: time)
        for (n, node) in newTopology.nodes.enumerated() {
            guard let old = topology.nodeIndex(of: node.id) else { continue }
            if gpuSamples[old].count == node.gpus.count {
                next.gpuSamples[n] = gpuSamples[old]
                next.kvHistory[n] = kvHistory[old]
            }
            next.nodeStatus[n] = nodeStatus[old]
            next.fabricLinks[n] = fabricLinks[old]
            next.ports[n] = ports[old]
            if portHistory[old].count == node.ports.count { next.portHistory[n] = portHistory[old] }
        }
        next.replicaSamples = replicaSamples.filter { next.placement.replicaIndex[$0.key] != nil }
        next.tokensHistory = tokensHistory
        next.sources = sources
        next.reportedTime = reportedTime
        next.problems = problems
        next.requests = requests
        next.spanStorage = spanStorage
        return next
    }
}

/// Which replicas sit on which GPU, computed once per placement.
public struct PlacementIndex: Sendable {
    /// `replicasOnGPU[node][gpu]`: indexes into the replica list.
    public let replicasOnGPU: [[[Int]]]
    public let replicaIndex: [ReplicaID: Int]

    public init(topology: Topology, replicas: [ReplicaSpec]) {
        var onGPU = topology.nodes.map { Array(repeating: [Int](), count: $0.gpus.count) }
        var index: [ReplicaID: Int] = [:]
        for (r, replica) in replicas.enumerated() {
            index[replica.id] = r
            for shard in replica.shards {
                guard let n = topology.nodeIndex(of: shard.gpu.node), onGPU[n].indices.contains(shard.gpu.index)
                else { continue }
                if !onGPU[n][shard.gpu.index].contains(r) { onGPU[n][shard.gpu.index].append(r) }
            }
        }
        replicasOnGPU = onGPU
        replicaIndex = index
    }
}

/// Everything the shard planner reads: hardware, placement, memory in use and which targets are allowed.
///
/// A plain value so the planner is a pure function; `init(_ state:)` builds it from the dashboard's
/// state. Memory in use comes from the latest samples where there are any (an engine reserves its KV
/// pool up front, so a serving GPU shows most of its memory used); elsewhere the planner counts the
/// weights of the shards placed on the GPU.
public struct RebalanceInput: Sendable {
    public var topology: Topology
    public var replicas: [ReplicaSpec]
    /// Bytes in use per GPU from samples; GPUs not listed count the weights of their shards.
    public var usedBytes: [GPUID: UInt64]
    /// Lifecycle per node; nodes not listed are ACTIVE.
    public var nodeStates: [NodeID: NodeLifecycleState]
    public var unhealthyGPUs: Set<GPUID>
    public var unreachableNodes: Set<NodeID>
    /// Replicas taking traffic now; nil means all of them.
    public var serving: Set<ReplicaID>?
    public var options: RebalanceOptions

    public init(
        topology: Topology, replicas: [ReplicaSpec], usedBytes: [GPUID: UInt64] = [:],
        nodeStates: [NodeID: NodeLifecycleState] = [:], unhealthyGPUs: Set<GPUID> = [],
        unreachableNodes: Set<NodeID> = [], serving: Set<ReplicaID>? = nil,
        options: RebalanceOptions = RebalanceOptions()
    ) {
        self.topology = topology
        self.replicas = replicas
        self.usedBytes = usedBytes
        self.nodeStates = nodeStates
        self.unhealthyGPUs = unhealthyGPUs
        self.unreachableNodes = unreachableNodes
        self.serving = serving
        self.options = options
    }

    /// The fingerprint a plan made from this input carries.
    public var fingerprint: StateFingerprint { StateFingerprint(replicas: replicas, states: nodeStates) }

    public func isServing(_ replica: ReplicaID) -> Bool { serving?.contains(replica) ?? true }
}

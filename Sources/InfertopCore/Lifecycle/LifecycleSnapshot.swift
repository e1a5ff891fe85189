/// What the lifecycle safety checks read about the cluster at one moment.
///
/// A plain value rather than `ClusterState`, so the checks are testable with a few replicas and
/// the agent can build it from its journal; `init(_ state:)` builds it from the dashboard's state.
public struct LifecycleSnapshot: Sendable {
    public var topology: Topology
    public var replicas: [ReplicaSpec]
    /// Lifecycle per node; nodes not listed are ACTIVE.
    public var states: [NodeID: NodeLifecycleState]
    public var unreachable: Set<NodeID>
    /// Replicas taking traffic now.
    public var serving: Set<ReplicaID>

    public init(
        topology: Topology, replicas: [ReplicaSpec], states: [NodeID: NodeLifecycleState] = [:],
        unreachable: Set<NodeID> = [], serving: Set<ReplicaID>? = nil
    ) {
        self.topology = topology
        self.replicas = replicas
        self.states = states
        self.unreachable = unreachable
        self.serving = serving ?? Set(replicas.map(\.id))
    }

    public func state(of node: NodeID) -> NodeLifecycleState { states[node] ?? .active }

    /// The fingerprint of this placement and these lifecycle states.
    public var fingerprint: StateFingerprint { StateFingerprint(replicas: replicas, states: states) }

    /// The fingerprint of what an action on `nodes` depends on: the replicas with a shard there and
    /// those nodes' lifecycles. A dashboard subscribed to part of the cluster and the coordinator
    /// that sees all of it agree on it, and it changes only when something the preview showed does.
    public func fingerprint(scope nodes: [NodeID]) -> StateFingerprint {
        let scope = Set(nodes)
        return StateFingerprint(
            replicas: replicas.filter { $0.shards.contains { scope.contains($0.gpu.node) } },
            states: states.filter { scope.contains($0.key) })
    }
}

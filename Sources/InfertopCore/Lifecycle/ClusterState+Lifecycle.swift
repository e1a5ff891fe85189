extension LifecycleSnapshot {
    /// The snapshot of a dashboard state: lifecycles from `nodeStatus`, unreachable = lost nodes.
    ///
    /// `NodeStatus` carries no drain deadline, so a DRAINING node takes its deadline from
    /// `deadlines` (infinity when absent). A replica serves when its last sample says so; with no
    /// sample yet, when none of its nodes is lost.
    public init(_ state: ClusterState, deadlines: [NodeID: Double] = [:]) {
        var states: [NodeID: NodeLifecycleState] = [:]
        var lost = Set<NodeID>()
        for (n, node) in state.topology.nodes.enumerated() {
            let status = state.nodeStatus[n]
            if status.lifecycle != .active {
                states[node.id] = NodeLifecycleState(phase: status.lifecycle, deadline: deadlines[node.id] ?? .infinity)
            }
            if status.reachability == .lost { lost.insert(node.id) }
        }
        var serving = Set<ReplicaID>()
        for replica in state.replicas {
            if let sample = state.replicaSamples[replica.id] {
                if sample.status == .serving { serving.insert(replica.id) }
            } else if !replica.shards.contains(where: { lost.contains($0.gpu.node) }) {
                serving.insert(replica.id)
            }
        }
        self.init(
            topology: state.topology, replicas: state.replicas, states: states, unreachable: lost, serving: serving)
    }
}

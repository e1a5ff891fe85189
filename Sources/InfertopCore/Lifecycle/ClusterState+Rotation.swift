extension ClusterState {
    /// Replicas with a shard on a node that is DRAINING, DRAINED or STALLED: out of the router by
    /// an operator's hand, so triage does not count them against the cluster.
    public var replicasOutOfRotation: Set<ReplicaID> {
        var out = Set<ReplicaID>()
        for (n, status) in nodeStatus.enumerated() where [.draining, .drained, .stalled].contains(status.lifecycle) {
            let node = topology.nodes[n].id
            for replica in replicas where replica.nodes.contains(node) { out.insert(replica.id) }
        }
        return out
    }
}

import InfertopCore

/// Facts that reach `update`: a key, a new size, a cluster update.
public enum Msg: Sendable {
    case key(Key)
    case resized(Size)
    case cluster(ClusterUpdate)
    /// Everything that arrived between two frames, folded in before culprits are ranked once.
    case clusterBatch([ClusterUpdate])
}

/// Verbs `update` asks the runner to carry out.
public enum Effect: Sendable, Hashable {
    case quit
}

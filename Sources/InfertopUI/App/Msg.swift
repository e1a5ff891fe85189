import InfertopCore

/// Facts that reach `update`: a key, a new size, a cluster update.
public enum Msg: Sendable {
    case key(Key)
    case resized(Size)
    case cluster(ClusterUpdate)
}

/// Verbs `update` asks the runner to carry out.
public enum Effect: Sendable, Hashable {
    case quit
}

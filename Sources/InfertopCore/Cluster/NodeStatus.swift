/// Where a node stands in the drain state machine (ARCHITECTURE.md, "Node lifecycle").
public enum NodeLifecycle: String, Sendable, Hashable, CaseIterable {
    case active = "ACTIVE"
    case cordoned = "CORDONED"
    case draining = "DRAINING"
    case drained = "DRAINED"
    case stalled = "STALLED"
}

/// Whether the dashboard hears from a node.
public enum Reachability: String, Sendable, Hashable {
    /// Samples arrive on time.
    case live
    /// Samples are late: the last values are shown, marked stale.
    case stale
    /// The node is gone: its replicas are down.
    case lost
}

/// What is known about one node besides its samples.
public struct NodeStatus: Hashable, Sendable {
    public var lifecycle: NodeLifecycle
    public var reachability: Reachability
    /// Cluster time of the last sample from this node.
    public var lastSampleTime: Double

    public init(lifecycle: NodeLifecycle = .active, reachability: Reachability = .live, lastSampleTime: Double = 0) {
        self.lifecycle = lifecycle
        self.reachability = reachability
        self.lastSampleTime = lastSampleTime
    }
}

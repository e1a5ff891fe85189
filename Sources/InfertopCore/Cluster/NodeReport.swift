/// What one source says about one node, in Core terms: every source (an agent's stream, a
/// Prometheus server, a recording) turns what it receives into these at its edge, and one
/// `ClusterMerger` folds them into the one cluster state.
///
/// The values ride in a `ClusterDelta` whose sequence and time the merger sets: every sample is
/// stamped with the receiver's clock, so liveness compares like with like across sources.
public struct NodeReport: Sendable {
    /// What the report carries.
    public enum Content: Sendable {
        /// The node's full picture: its topology, the replicas it hosts, and their values.
        case full(node: NodeSpec, replicas: [ReplicaSpec], values: ClusterDelta)
        /// Values only, for the node the source already described (empty when it has not yet).
        case values(ClusterDelta)
        /// A sign of life with no data.
        case heartbeat
    }

    public var content: Content
    /// The time on the source's own clock, when it has one.
    public var reportedTime: Double?
    /// Spans the connection lost before they reached us (a slow reader), cumulative per source.
    public var spansDroppedInTransit: UInt64
    /// Seconds since the source last had fresh data of this node: 0 for a live report; a fleet
    /// source sets it for a node whose series went stale, so the node turns stale on screen.
    public var age: Double

    public init(_ content: Content, reportedTime: Double? = nil, spansDroppedInTransit: UInt64 = 0, age: Double = 0) {
        self.content = content
        self.age = age
        self.reportedTime = reportedTime
        self.spansDroppedInTransit = spansDroppedInTransit
    }

    /// The node this report describes, when it says so itself (a full report).
    public var node: NodeID? {
        if case .full(let spec, _, _) = content { return spec.id }
        return nil
    }
}

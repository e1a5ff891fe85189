/// What a culprit points at, so that the dashboard can jump to it.
public enum CulpritSubject: Hashable, Sendable {
    case gpu(GPUID)
    case link(GPUID, peer: Int)
    case node(NodeID)
    case port(NodeID, port: String)
    case replica(ReplicaID)

    /// The node the subject lives on, where it has one.
    public var node: NodeID? {
        switch self {
        case .gpu(let g), .link(let g, _): g.node
        case .node(let n), .port(let n, _): n
        case .replica: nil
        }
    }

    /// The GPU the subject is, or sits on.
    public var gpu: GPUID? {
        switch self {
        case .gpu(let g), .link(let g, _): g
        default: nil
        }
    }
}

/// What kind of trouble a culprit is.
public enum CulpritKind: String, Sendable, Hashable, CaseIterable {
    case nodeLost, nodeStale, kvPressure, straggler, fabricDegraded, portDown, latencyOutlier, requestFailures,
        sourceProblem
}

/// One likely cause of trouble, with its reason in the words an operator uses.
public struct Culprit: Hashable, Sendable {
    public let subject: CulpritSubject
    public let kind: CulpritKind
    public let severity: Severity
    /// Higher is more likely to be what hurts the cluster now.
    public let score: Double
    /// `node-07 gpu5: KV cache 99% · 41 preemptions/s · replica llama-405b/2 p99 TTFT x3.1`
    public let reason: String
    /// The replica it hurts most, where one is known.
    public let replica: ReplicaID?

    public init(
        subject: CulpritSubject, kind: CulpritKind, severity: Severity, score: Double, reason: String,
        replica: ReplicaID?
    ) {
        self.subject = subject
        self.kind = kind
        self.severity = severity
        self.score = score
        self.reason = reason
        self.replica = replica
    }
}

import InfertopCore

/// The kinds of trouble the simulator scripts, each with its physical cause.
public enum IncidentKind: String, Sendable, Hashable, CaseIterable {
    /// A stray process grows on one GPU and squeezes its KV cache: the replica preempts.
    case kvPressure
    /// A GPU loses cooling, throttles, and slows its whole tensor-parallel group.
    case straggler
    /// NVLink/xGMI lanes of one GPU go down with CRC errors: all-reduces of its group slow.
    case degradedFabric
    /// A node stops answering: its replicas are down.
    case nodeLost
    /// An InfiniBand/RoCE port flaps, down and up every few seconds with link errors; the
    /// pipeline traffic over it stalls.
    case portFlap
}

/// One scripted incident with its ground truth: what a correct triage must name.
public struct Incident: Sendable, Hashable {
    public let kind: IncidentKind
    public let start: Double
    public let end: Double
    public let node: NodeID
    public let gpu: GPUID?
    public let peer: Int?
    public let replica: ReplicaID?
    /// The port of a port incident, e.g. `mlx5_2`.
    public var port: String? = nil

    public func isActive(at time: Double) -> Bool { time >= start && time < end }

    /// What the triage headline must point at.
    public var expectedSubject: CulpritSubject {
        switch kind {
        case .nodeLost: .node(node)
        case .portFlap: .port(node, port: port ?? "")
        case .degradedFabric: .link(gpu ?? GPUID(node: node, index: 0), peer: peer ?? 0)
        case .kvPressure, .straggler: .gpu(gpu ?? GPUID(node: node, index: 0))
        }
    }

    /// The words the headline must contain to name the culprit (`node-07 gpu5` or `node-12`).
    public var expectedName: String {
        if let port { return "\(node.name) \(port)" }
        return gpu?.description ?? node.name
    }
}

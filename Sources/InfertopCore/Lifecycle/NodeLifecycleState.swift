/// Where a node stands in the drain state machine, with the deadline its drain runs against.
///
/// `NodeLifecycle` (beside `NodeStatus`) names the phase as the wire and the screen show it; this
/// type adds what the transitions need (the drain deadline, in cluster seconds), so the rules of
/// ARCHITECTURE.md "Node lifecycle" can be pure functions over values.
public enum NodeLifecycleState: Hashable, Sendable, CustomStringConvertible {
    /// Takes placements and traffic.
    case active
    /// Takes no new placements; its replicas keep serving.
    case cordoned
    /// Its replicas are out of the router; in-flight requests finish before `deadline`.
    case draining(deadline: Double)
    /// In-flight work is done and the node's replicas are stopped.
    case drained
    /// A drain whose deadline passed with requests still in flight.
    case stalled

    /// The same state from a phase; a draining node without a known deadline gets `deadline`.
    public init(phase: NodeLifecycle, deadline: Double = .infinity) {
        switch phase {
        case .active: self = .active
        case .cordoned: self = .cordoned
        case .draining: self = .draining(deadline: deadline)
        case .drained: self = .drained
        case .stalled: self = .stalled
        }
    }

    /// The phase without its deadline, as `NodeStatus` carries it.
    public var phase: NodeLifecycle {
        switch self {
        case .active: .active
        case .cordoned: .cordoned
        case .draining: .draining
        case .drained: .drained
        case .stalled: .stalled
        }
    }

    /// `DRAINING`: the words the screen shows.
    public var description: String { phase.rawValue }

    /// Whether new replicas may be placed on the node: only an ACTIVE node takes them.
    public var acceptsPlacements: Bool { self == .active }

    /// Whether the node counts against max_unavailable: its replicas are out of the router or stopped.
    public var isUnavailable: Bool {
        switch self {
        case .draining, .drained, .stalled: true
        case .active, .cordoned: false
        }
    }

    /// The drain deadline, for a draining node.
    public var deadline: Double? {
        if case .draining(let deadline) = self { return deadline }
        return nil
    }
}

/// An operator's action on a node, as the lifecycle rules and the refusals name it.
///
/// Kept apart from the resulting state so a refusal can say what was asked as well as where the
/// node stands.
public enum NodeOperation: Hashable, Sendable, CustomStringConvertible {
    case cordon
    case uncordon
    case drain(deadline: Double)
    case cancelDrain
    /// Ends a drain now: replicas stop with requests still in flight.
    case forceDrain

    /// `cancel the drain of`: the verb as it reads before a node name.
    public var description: String {
        switch self {
        case .cordon: "cordon"
        case .uncordon: "uncordon"
        case .drain: "drain"
        case .cancelDrain: "cancel the drain of"
        case .forceDrain: "force the drain of"
        }
    }

    /// Whether the action needs an operator's reason in the journal.
    public var needsReason: Bool {
        switch self {
        case .drain, .forceDrain: true
        case .cordon, .uncordon, .cancelDrain: false
        }
    }
}

import InfertopCore

/// One control call as the coordinating agent receives it, whatever carried it (gRPC, the
/// demo's in-process dashboard, `infertop ctl`).
public struct ControlCall: Sendable, Hashable {
    /// Chosen by the caller; a retry with the same id returns the first result.
    public var id: OperationID
    public var kind: OperationKind
    public var nodes: [NodeID]
    public var reason: String
    /// The state the operator previewed; a call made from a state since left is refused.
    public var madeFrom: StateFingerprint?
    /// For a rebalance: what the plan is to achieve (the coordinator makes the plan again).
    public var goal: RebalanceGoal?

    /// `drain node-07 node-08`: the call as the audit log writes it.
    public var words: String { ([kind.description] + nodes.map(\.name)).joined(separator: " ") }

    var force: Bool { if case .drain(_, let force) = kind { force } else { false } }
}

/// Who is calling: the name and role of the token the call came with.
public struct ControlCaller: Sendable, Hashable {
    public var name: String
    public var role: Role
    /// False when the agent has no tokens (loopback) and the name is only what the client said.
    public var hasToken: Bool

    public init(name: String, role: Role, hasToken: Bool = true) {
        self.name = name
        self.role = role
        self.hasToken = hasToken
    }
}

/// Why a control call did nothing, and how the wire should say it.
public enum ControlRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The caller's token may not mutate (gRPC PERMISSION_DENIED).
    case permissionDenied(String)
    /// The safety rules or the lifecycle refuse it (gRPC FAILED_PRECONDITION).
    case refused(LifecycleRefusal)
    /// Another operation already acts on the node (gRPC ALREADY_EXISTS).
    case conflict(String)
    /// The call itself is malformed (gRPC INVALID_ARGUMENT).
    case invalid(String)
    /// A plan that cannot be carried out as asked: a replica it cannot place, an executor that
    /// cannot move replicas (gRPC FAILED_PRECONDITION).
    case cannotApply(String)
    /// The agent could not record it (gRPC UNAVAILABLE).
    case unavailable(String)

    public var description: String {
        switch self {
        case .permissionDenied(let s), .conflict(let s), .invalid(let s), .unavailable(let s), .cannotApply(let s): s
        case .refused(let refusal): refusal.description
        }
    }
}

/// What an operator asked for, as the journal, the audit log and the screen name it.
public enum OperationKind: Hashable, Sendable, CustomStringConvertible, Codable {
    case cordon
    case uncordon
    /// Take the nodes out of service: out of the router, in-flight requests finish, replicas stop.
    /// `evacuate` first places the nodes' replicas elsewhere; `force` drains an unreachable node.
    case drain(evacuate: Bool, force: Bool)
    /// Stop a running operation where it stands (a drain goes back to CORDONED).
    case cancel(OperationID)
    /// Carry out a rebalance plan (its goal in words, such as `relieve node-10 gpu6`).
    case applyPlan(goal: String)

    /// `drain --evacuate`: the verb as an operator types it.
    public var description: String {
        switch self {
        case .cordon: "cordon"
        case .uncordon: "uncordon"
        case .drain(let evacuate, let force): "drain" + (evacuate ? " --evacuate" : "") + (force ? " --force" : "")
        case .cancel(let id): "cancel \(id)"
        case .applyPlan(let goal): "rebalance \(goal)"
        }
    }

    /// Whether the call changes the cluster; every kind does today, and a viewer may call none.
    public var isMutating: Bool { true }
}

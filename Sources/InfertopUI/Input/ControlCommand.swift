import InfertopCore

/// A `:` command that changes the cluster, as typed: what to do, to which nodes, and why.
///
/// Nodes left empty mean "the marked nodes, else the selected one"; `update` resolves them against
/// the screen, checks them with `DrainPolicy` and opens the confirmation dialog. Nothing here runs.
public enum ControlCommand: Sendable, Hashable {
    case cordon(nodes: [NodeID], reason: String)
    case uncordon(nodes: [NodeID], reason: String)
    case drain(nodes: [NodeID], reason: String, evacuate: Bool, force: Bool)
    case rebalance(RebalanceTarget, reason: String)
    case cancel(OperationID, reason: String)

    /// The action the command carries out, the same one a remapped key would name.
    public var action: Action {
        switch self {
        case .cordon: .cordon
        case .uncordon: .uncordon
        case .drain: .drain
        case .rebalance: .rebalance
        case .cancel: .cancel
        }
    }
}

/// What a `:rebalance` asks for; a missing subject means the marked or selected one.
///
/// `--relieve node-10:6` names a GPU as NODE:GPU-INDEX (a colon, because node names carry dashes
/// and replicas already use the slash: `--move llama-405b/5`).
public enum RebalanceTarget: Sendable, Hashable {
    case relieve(GPUID?)
    case evacuate(NodeID?)
    case move(ReplicaID?)
}

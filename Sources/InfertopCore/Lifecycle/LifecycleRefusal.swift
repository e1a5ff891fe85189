/// Why an operator's action was refused, as one plain sentence the operator can act on.
///
/// Refusals are values, not log lines: the screen shows `description`, tests check its words, and
/// the journal keeps the case. Each sentence says what is wrong and what to do about it.
public enum LifecycleRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// A drain was asked without a reason for the journal.
    case missingReason
    /// The nodes' replicas leaving would drop `model` below its min_available serving replicas.
    case belowMinAvailable(model: String, remaining: Int, minAvailable: Int, nodes: [NodeID])
    /// Too many nodes would be out of service at once.
    case tooManyUnavailable(requested: [NodeID], alreadyUnavailable: [NodeID], maxUnavailable: Int)
    /// The node does not answer, so the drain cannot be carried out or confirmed.
    case unreachable(NodeID)
    /// The plan or preview was made from a state the cluster has since left.
    case stalePlan(madeFrom: StateFingerprint, current: StateFingerprint)
    /// The node's state does not allow the operation.
    case invalidNodeTransition(node: NodeID, operation: NodeOperation, state: NodeLifecycleState)
    /// The replica copy's state does not allow the action.
    case invalidReplicaTransition(replica: ReplicaID, action: ReplicaAction, state: ReplicaLifecycle)
    /// Stopping the replica copy would cut requests still in flight.
    case requestsInFlight(replica: ReplicaID, count: Int)
    /// The node is not in the cluster.
    case unknownNode(NodeID)
    /// The request names no node.
    case noNodes

    public var description: String {
        switch self {
        case .missingReason:
            return "A drain needs a reason: add --reason \"...\" so the journal says why."
        case .belowMinAvailable(let model, let remaining, let minAvailable, let nodes):
            let replicas = remaining == 1 ? "1 serving replica" : "\(remaining) serving replicas"
            return "Draining \(Self.list(nodes)) would leave \(model) with \(replicas), below its min_available of "
                + "\(minAvailable): start another \(model) replica elsewhere first, or use --force."
        case .tooManyUnavailable(let requested, let already, let maxUnavailable):
            let total = requested.count + already.count
            let out =
                already.isEmpty
                ? "" : " (\(Self.list(already)) \(already.count == 1 ? "is" : "are") already out of service)"
            return "Draining \(Self.list(requested)) would take \(total) nodes out of service at once\(out), above "
                + "max_unavailable of \(maxUnavailable): bring a node back first, or use --force."
        case .unreachable(let node):
            return "\(node) is unreachable, so its drain cannot be carried out or confirmed: "
                + "retry with --force to mark it drained anyway."
        case .stalePlan(let madeFrom, let current):
            return "This plan was made from cluster state \(madeFrom), but the cluster has changed since (now "
                + "\(current)): preview it again and apply the new plan."
        case .invalidNodeTransition(let node, let operation, let state):
            return Self.nodeTransitionSentence(node: node, operation: operation, state: state)
        case .invalidReplicaTransition(let replica, let action, let state):
            let allowed = Self.list(action.allowedFrom.map(\.words), joiner: "or")
            return "Replica \(replica) is \(state.words), so it cannot \(action.words): only a replica that is "
                + "\(allowed) can."
        case .requestsInFlight(let replica, let count):
            let requests = count == 1 ? "1 request" : "\(count) requests"
            return "Replica \(replica) still has \(requests) in flight: wait for them to finish, "
                + "or stop it with --force."
        case .unknownNode(let node):
            return "\(node) is not in the cluster: check the node name against the overview."
        case .noNodes:
            return "The request names no node: say which node to act on."
        }
    }

    static func nodeTransitionSentence(node: NodeID, operation: NodeOperation, state: NodeLifecycleState) -> String {
        let head = "\(node) is \(state)"
        switch (operation, state) {
        case (.cordon, .cordoned):
            return "\(head) already: there is nothing to cordon."
        case (.cordon, _):
            return "\(head) and takes no new placements already: there is nothing to cordon."
        case (.uncordon, .active):
            return "\(head), not cordoned: there is nothing to uncordon."
        case (.uncordon, _):
            return "\(head): cancel the drain before you uncordon it."
        case (.drain, .draining(let deadline)):
            return "\(head) already (deadline \(Format.clock(deadline))): wait for it, or cancel the drain "
                + "and drain again to set a new deadline."
        case (.drain, _):
            return "\(head) already: uncordon it to bring it back into service."
        case (.cancelDrain, .drained):
            return "\(head) and its drain has finished: uncordon it instead of cancelling."
        case (.cancelDrain, _):
            return "\(head) and has no drain in progress: there is no drain to cancel."
        case (.forceDrain, _):
            return "\(head) and has no drain in progress: there is no drain to force."
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String], joiner: String = "and") -> String {
        guard let last = items.last else { return "" }
        guard items.count > 1 else { return last }
        return items.dropLast().joined(separator: ", ") + " \(joiner) " + last
    }

    static func list(_ nodes: [NodeID]) -> String { list(nodes.map(\.name)) }
}

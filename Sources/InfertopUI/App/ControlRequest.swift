import InfertopCore

/// A confirmed operator action that `update` hands to the runner: one control call to the agents.
///
/// Built only when the dialog's typed confirmation matched, so holding one means the operator saw the
/// impact. `id` is deterministic (`op-1`, `op-2`... from a counter in the model) so tests are stable;
/// the runner may replace it with a globally unique one before it calls, and must answer with
/// `Msg.controlFinished` under the id it used. `madeFrom` is the fingerprint of the state the
/// operator previewed: the agent refuses the call if its cluster no longer has it.
public struct ControlRequest: Sendable, Hashable {
    public var id: OperationID
    public let kind: OperationKind
    public let targets: [NodeID]
    public let reason: String
    public let force: Bool
    /// The plan to apply, for `rebalance` and `drain --evacuate`.
    public let plan: RebalancePlan?
    public let madeFrom: StateFingerprint

    public init(
        id: OperationID, kind: OperationKind, targets: [NodeID], reason: String, force: Bool = false,
        plan: RebalancePlan? = nil, madeFrom: StateFingerprint
    ) {
        self.id = id
        self.kind = kind
        self.targets = targets
        self.reason = reason
        self.force = force
        self.plan = plan
        self.madeFrom = madeFrom
    }

    /// `drain --evacuate node-07`: the call as the audit log writes it.
    public var call: String {
        let names = targets.map(\.name).joined(separator: " ")
        switch kind {
        case .cancel, .applyPlan: return kind.description
        default: return names.isEmpty ? kind.description : "\(kind) \(names)"
        }
    }
}

/// Why a control call did not come back with a journal entry: the agent refused it, the connection
/// failed, or the runner cannot send it. The message is shown as it is, so it should be a sentence.
public struct ControlFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

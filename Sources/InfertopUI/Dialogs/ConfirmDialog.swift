import InfertopCore

/// The open confirmation of a mutating command: the request it would send, its impact, and what the
/// operator has typed so far.
///
/// The request is complete before the dialog opens, so confirming only hands it over; the impact
/// is computed once (by `DrainPolicy` and the planner), and the view only lays it out.
/// Golden files: `__Snapshots__/ControlGoldenTests/dialog_*.txt`.
public struct ConfirmDialog: Sendable, Hashable {
    /// Which control has the focus; it starts on Cancel so a stray Enter sends nothing.
    public enum Focus: Sendable, Hashable {
        case cancel, confirm
    }

    public let request: ControlRequest
    /// `DRAIN node-07`, `REBALANCE relieve node-10 gpu6`.
    public let title: String
    public let sections: [DialogSection]
    /// What the operator types to confirm: the node, `3 nodes`, `rebalance`, or the operation id.
    public let expected: String
    public var typed = ""
    public var focus = Focus.cancel

    public var isConfirmed: Bool { typed == expected }
}

/// A part of a dialog's impact: an optional heading, then items, one per line (wrapped) or packed
/// several to a line when they are short (`node-07 gpu0 71.2→8.0`).
public struct DialogSection: Sendable, Hashable {
    public let title: String?
    public let items: [String]
    public let packed: Bool
    public let role: StyleRole

    public init(_ title: String?, _ items: [String], packed: Bool = false, role: StyleRole = .text) {
        self.title = title
        self.items = items
        self.packed = packed
        self.role = role
    }
}

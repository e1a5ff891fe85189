extension NodeLifecycle {
    /// Where a node stands after the operations a coordinator journaled for it (oldest first):
    /// the latest one that touched it decides. ACTIVE when none did.
    public static func from(operations: [OperationRecord], node: NodeID) -> NodeLifecycle {
        guard let last = operations.last(where: { $0.targets.contains(node) }) else { return .active }
        switch (last.kind, last.status) {
        case (.cordon, .succeeded): return .cordoned
        case (.cordon, _): return .active
        case (.uncordon, .succeeded): return .active
        case (.uncordon, _): return .cordoned
        case (.drain, .succeeded): return .drained
        case (.drain, .stalled): return .stalled
        case (.drain, .failed), (.drain, .cancelled): return .cordoned
        case (.drain, _): return .draining
        case (.cancel, _): return .cordoned
        case (.applyPlan, _): return .active
        }
    }
}

extension NodeLifecycle {
    /// Where a node stands after the operations a coordinator journaled for it (oldest first):
    /// the latest one that touched it decides. ACTIVE when none did.
    public static func from(operations: [OperationRecord], node: NodeID) -> NodeLifecycle {
        // A rebalance (and the cancel of one) moves replicas, not nodes: it leaves lifecycles alone.
        let plans = Set(operations.filter { if case .applyPlan = $0.kind { true } else { false } }.map(\.id))
        let touching = operations.filter { record in
            guard record.targets.contains(node), !plans.contains(record.id) else { return false }
            if case .cancel(let target) = record.kind, plans.contains(target) { return false }
            return true
        }
        guard let last = touching.last else { return .active }
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

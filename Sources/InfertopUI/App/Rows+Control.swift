import InfertopCore

/// One line of view 6: an operation from the journal or a call from the audit log.
public struct EventRow: Sendable, Hashable {
    /// Journal lines say where an operation stands now; audit lines say what a call got.
    public enum Source: Sendable, Hashable {
        case journal, audit
    }

    public let source: Source
    public let time: Double
    public let operation: OperationID?
    public let who: String
    public let what: String
    public let why: String
    public let result: String
    /// `.crit` for refused, denied and failed, `.warn` while running or stalled, `.ok` when done.
    public let role: StyleRole
}

extension Rows {
    /// View 5's replicas, filtered by model, replica or node: those an unfinished operation touches
    /// or on a node that is not ACTIVE and live first, then by model and index.
    public static func replicas(_ model: Model) -> [ReplicaSpec] {
        guard let state = model.shown else { return [] }
        let busy = Set(model.operations.filter { !$0.status.isFinished }.flatMap(\.targets))
        func attention(_ replica: ReplicaSpec) -> Bool {
            replica.nodes.contains { node in
                guard !busy.contains(node) else { return true }
                let status = state.status(node)
                return status?.lifecycle != .active || status?.reachability != .live
            }
        }
        let shown = state.replicas.filter { replica in
            model.filter.isEmpty || model.filter.matches([replica.id.description] + replica.nodes.map(\.name))
        }
        let keyed: [(first: Bool, replica: ReplicaSpec)] = shown.map { (attention($0), $0) }
        return keyed.sorted { a, b in a.first != b.first ? a.first : a.replica.id < b.replica.id }.map(\.replica)
    }

    /// View 6's lines: the journal's operations and the audit log's calls, newest first.
    public static func events(_ model: Model) -> [EventRow] {
        var rows = model.operations.map { op -> EventRow in
            var result = op.status.description
            if !op.status.isFinished, let step = op.currentStep { result += ": " + step.name }
            let role: StyleRole
            switch op.status {
            case .succeeded: role = .ok
            case .failed: role = .crit
            case .running, .pending, .stalled: role = .warn
            case .cancelled: role = .dim
            }
            let targets = op.targets.map(\.name).joined(separator: " ")
            let what: String
            switch op.kind {
            case .cancel, .applyPlan: what = op.kind.description
            default: what = targets.isEmpty ? op.kind.description : "\(op.kind) \(targets)"
            }
            return EventRow(
                source: .journal, time: op.createdAt, operation: op.id, who: op.requestedBy, what: what,
                why: op.reason, result: result, role: role)
        }
        rows += model.audit.map { record in
            let bad =
                record.result.hasPrefix("refused") || record.result.hasPrefix("denied")
                || record.result.hasPrefix("failed")
            // "operator, no token" (an agent without tokens) reads as the operator: the WHO column
            // has room for a name and a viewer's mark, and the audit file keeps the whole role.
            let role = record.role.split(separator: ",").first.map(String.init) ?? record.role
            let who = role == "operator" ? record.requestedBy : "\(record.requestedBy) (\(role))"
            return EventRow(
                source: .audit, time: record.time, operation: record.operation, who: who, what: record.call,
                why: record.reason, result: record.result, role: bad ? .crit : .text)
        }
        if !model.filter.isEmpty {
            rows = rows.filter {
                model.filter.matches([$0.who, $0.what, $0.why, $0.result, $0.operation?.rawValue ?? ""])
            }
        }
        return rows.sorted { a, b in
            if a.time != b.time { return a.time > b.time }
            if a.source != b.source { return a.source == .journal }
            return (a.operation?.rawValue ?? "") > (b.operation?.rawValue ?? "")
        }
    }
}

import InfertopCore

extension OperationRecord {
    /// The record as `Control` replies carry it.
    public var wire: Infertop_V1_Operation {
        var m = Infertop_V1_Operation()
        m.id = id.rawValue
        m.targets = targets.map(\.name)
        m.requestedBy = requestedBy
        m.reason = reason
        m.createdAt = createdAt
        switch kind {
        case .cordon: m.kind = "cordon"
        case .uncordon: m.kind = "uncordon"
        case .drain(let evacuate, let force):
            m.kind = "drain"
            m.evacuate = evacuate
            m.force = force
        case .cancel(let target):
            m.kind = "cancel"
            m.argument = target.rawValue
        case .applyPlan(let goal):
            m.kind = "rebalance"
            m.argument = goal
        }
        switch status {
        case .pending: m.state = .pending
        case .running: m.state = .running
        case .succeeded: m.state = .succeeded
        case .failed(let why):
            m.state = .failed
            m.stateDetail = why
        case .cancelled: m.state = .cancelled
        case .stalled: m.state = .stalled
        }
        m.steps = steps.map { step in
            var s = Infertop_V1_OperationStep()
            s.name = step.name
            s.state = step.state.rawValue
            s.startedAt = step.startedAt ?? 0
            s.endedAt = step.endedAt ?? 0
            s.detail = step.detail
            return s
        }
        return m
    }

    /// The record a `Control` reply describes; nil for an unknown kind (a newer agent).
    public init?(wire m: Infertop_V1_Operation) {
        let kind: OperationKind
        switch m.kind {
        case "cordon": kind = .cordon
        case "uncordon": kind = .uncordon
        case "drain": kind = .drain(evacuate: m.evacuate, force: m.force)
        case "cancel": kind = .cancel(OperationID(m.argument))
        case "rebalance": kind = .applyPlan(goal: m.argument)
        default: return nil
        }
        let status: OperationStatus
        switch m.state {
        case .running: status = .running
        case .succeeded: status = .succeeded
        case .failed: status = .failed(m.stateDetail)
        case .cancelled: status = .cancelled
        case .stalled: status = .stalled
        case .pending, .unspecified, .UNRECOGNIZED: status = .pending
        }
        self.init(
            id: OperationID(m.id), kind: kind, targets: m.targets.map { NodeID($0) }, requestedBy: m.requestedBy,
            reason: m.reason, createdAt: m.createdAt, status: status,
            steps: m.steps.map { s in
                OperationStep(
                    name: s.name, state: StepState(rawValue: s.state) ?? .pending,
                    startedAt: s.startedAt > 0 ? s.startedAt : nil, endedAt: s.endedAt > 0 ? s.endedAt : nil,
                    detail: s.detail)
            })
    }
}

extension AuditRecord {
    public var wire: Infertop_V1_AuditEntry {
        var m = Infertop_V1_AuditEntry()
        m.time = time
        m.requestedBy = requestedBy
        m.role = role
        m.call = call
        m.reason = reason
        m.operationID = operation?.rawValue ?? ""
        m.result = result
        return m
    }

    public init(wire m: Infertop_V1_AuditEntry) {
        self.init(
            time: m.time, requestedBy: m.requestedBy, role: m.role, call: m.call, reason: m.reason,
            operation: m.operationID.isEmpty ? nil : OperationID(m.operationID), result: m.result)
    }
}

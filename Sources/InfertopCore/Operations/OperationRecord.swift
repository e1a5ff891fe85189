/// One operation as the coordinating agent's journal holds it: who asked for what and why, and
/// each step with its state, so the screen can show it live and a restarted agent can resume it.
public struct OperationRecord: Hashable, Sendable, Codable, Identifiable {
    public let id: OperationID
    public let kind: OperationKind
    public let targets: [NodeID]
    /// The operator named by the token the call came with.
    public let requestedBy: String
    public let reason: String
    /// Cluster seconds (the agents' clock) when it was accepted.
    public let createdAt: Double
    public var status: OperationStatus
    public var steps: [OperationStep]
    /// For a rebalance: the plan's steps as data, one per entry of `steps`, so a restarted agent
    /// carries out exactly the plan it accepted. Kept in the journal; not sent on the wire.
    public var moves: [MoveStep]?

    public init(
        id: OperationID, kind: OperationKind, targets: [NodeID], requestedBy: String, reason: String,
        createdAt: Double, status: OperationStatus = .pending, steps: [OperationStep] = [], moves: [MoveStep]? = nil
    ) {
        self.moves = moves
        self.id = id
        self.kind = kind
        self.targets = targets
        self.requestedBy = requestedBy
        self.reason = reason
        self.createdAt = createdAt
        self.status = status
        self.steps = steps
    }

    /// The step being carried out (or waited on), if any.
    public var currentStep: OperationStep? { steps.first { $0.state == .running || $0.state == .waiting } }
}

/// Where an operation stands as a whole.
public enum OperationStatus: Hashable, Sendable, Codable, CustomStringConvertible {
    case pending
    case running
    case succeeded
    case failed(String)
    case cancelled
    /// A drain whose deadline passed with requests still in flight.
    case stalled

    public var description: String {
        switch self {
        case .pending: "pending"
        case .running: "running"
        case .succeeded: "done"
        case .failed(let why): "failed: \(why)"
        case .cancelled: "cancelled"
        case .stalled: "stalled"
        }
    }

    /// Whether the operation will do nothing more.
    public var isFinished: Bool {
        switch self {
        case .pending, .running: false
        case .succeeded, .failed, .cancelled, .stalled: true
        }
    }
}

/// One step of an operation (`scontrol drain node-07`, `remove llama-405b/5 from the router`).
public struct OperationStep: Hashable, Sendable, Codable {
    public let name: String
    public var state: StepState
    public var startedAt: Double?
    public var endedAt: Double?
    /// What it waits for, or the output or error of what it ran.
    public var detail: String

    public init(
        name: String, state: StepState = .pending, startedAt: Double? = nil, endedAt: Double? = nil, detail: String = ""
    ) {
        self.name = name
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.detail = detail
    }
}

/// Where one step stands.
public enum StepState: String, Hashable, Sendable, Codable {
    case pending, running, waiting, done, failed, skipped
}

import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore

/// Calls the `Control` service of the coordinating agent: what the dashboard's effect runner
/// and `infertop ctl` use. Each call opens its own connection (control calls are rare), so a
/// dead coordinator costs one failed call, never a stuck dashboard.
public struct ControlClient: Sendable {
    public let endpoint: AgentEndpoint
    /// The operator named to an agent without tokens (loopback); with a token, the token names it.
    public let operatorName: String
    public var timeout: Duration = .seconds(10)
    /// Metadata key naming the operator to an agent without tokens (loopback only); with a token,
    /// the token names the operator and this is ignored.
    public static let operatorKey = "x-infertop-operator"

    public init(endpoint: AgentEndpoint, operatorName: String) {
        self.endpoint = endpoint
        self.operatorName = operatorName
    }

    /// Sends one operation; returns the agent's record of it (the first one, on a retry).
    /// - Throws: `ControlClientError` with the agent's own sentence (refusals, permission).
    /// - Parameter goal: for a rebalance (`applyPlan`), what its plan achieves; `madeFrom` is then
    ///   the fingerprint of the state the previewed plan was made from.
    public func send(
        id: OperationID, kind: OperationKind, nodes: [NodeID], reason: String, madeFrom: StateFingerprint? = nil,
        goal: RebalanceGoal? = nil
    ) async throws -> OperationRecord {
        let fingerprint = madeFrom?.description ?? ""
        return try await call { control, metadata, options in
            let reply: Infertop_V1_OperationReply
            switch kind {
            case .cordon, .uncordon:
                var m = Infertop_V1_NodeActionRequest()
                m.operationID = id.rawValue
                m.nodes = nodes.map(\.name)
                m.reason = reason
                m.madeFrom = fingerprint
                reply =
                    kind == .cordon
                    ? try await control.cordon(m, metadata: metadata, options: options)
                    : try await control.uncordon(m, metadata: metadata, options: options)
            case .drain(let evacuate, let force):
                var m = Infertop_V1_DrainRequest()
                m.operationID = id.rawValue
                m.nodes = nodes.map(\.name)
                m.reason = reason
                m.force = force
                m.evacuate = evacuate
                m.madeFrom = fingerprint
                reply = try await control.drain(m, metadata: metadata, options: options)
            case .cancel(let target):
                var m = Infertop_V1_CancelRequest()
                m.operationID = id.rawValue
                m.target = target.rawValue
                m.reason = reason
                reply = try await control.cancel(m, metadata: metadata, options: options)
            case .applyPlan:
                guard let goal else {
                    throw ControlClientError("a rebalance needs its goal (--relieve, --evacuate or --move)")
                }
                var m = Infertop_V1_RebalanceRequest()
                m.operationID = id.rawValue
                m.goal = "\(goal.operatorWords.flag) \(goal.operatorWords.subject)"
                m.reason = reason
                m.madeFrom = fingerprint
                reply = try await control.rebalance(m, metadata: metadata, options: options)
            }
            guard let record = OperationRecord(wire: reply.operation) else {
                throw ControlClientError("the agent answered with an operation this dashboard does not know")
            }
            return record
        }
    }

    /// The coordinator's operations (newest first) and the newest audit lines.
    public func journal(auditLimit: UInt32 = 200) async throws -> (operations: [OperationRecord], audit: [AuditRecord])
    {
        try await call { control, metadata, options in
            let list = try await control.listOperations(
                Infertop_V1_ListOperationsRequest(), metadata: metadata, options: options)
            var request = Infertop_V1_GetAuditRequest()
            request.limit = auditLimit
            let audit = try await control.getAudit(request, metadata: metadata, options: options)
            return (list.operations.compactMap(OperationRecord.init(wire:)), audit.entries.map(AuditRecord.init(wire:)))
        }
    }

    private func call<T: Sendable>(
        _ body: (Infertop_V1_Control.Client<HTTP2ClientTransport.Posix>, Metadata, CallOptions) async throws -> T
    ) async throws -> T {
        var metadata = endpoint.authorization
        metadata.addString(operatorName, forKey: Self.operatorKey)
        var options = CallOptions.defaults
        options.timeout = timeout
        options.waitForReady = false
        do {
            return try await withGRPCClient(transport: try endpoint.transport()) { grpc in
                try await body(Infertop_V1_Control.Client(wrapping: grpc), metadata, options)
            }
        } catch let error as RPCError {
            switch error.code {
            case .unimplemented:
                throw ControlClientError(
                    "\(endpoint) does not coordinate operations: send control calls to the controller")
            case .unavailable:
                throw ControlClientError("\(endpoint) is unreachable: \(error.message)")
            default:
                throw ControlClientError(error.message)
            }
        }
    }
}

/// A control call that did not happen, in the agent's words (or why the agent was not reached).
public struct ControlClientError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

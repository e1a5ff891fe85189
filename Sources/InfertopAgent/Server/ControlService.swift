import GRPCCore
import InfertopCore
import InfertopWire

/// The `infertop.v1.Control` service: each call becomes a `ControlCall` for the agent's
/// `ControlCenter`, made as the operator its token names. The role is checked here, on every
/// call, whatever the client shows or hides.
public struct ControlService: Infertop_V1_Control.ServiceProtocol {
    let center: ControlCenter
    let listen: ListenConfig
    let shutdown: ShutdownLatch

    public init(center: ControlCenter, listen: ListenConfig, shutdown: ShutdownLatch = ShutdownLatch()) {
        self.center = center
        self.listen = listen
        self.shutdown = shutdown
    }

    /// The caller: the name and role of its token; without tokens (a loopback agent), the
    /// operator the client names, marked as unauthenticated.
    func caller(_ metadata: Metadata) -> ControlCaller {
        let header = metadata["authorization"].first { _ in true }
        if case .string(let value) = header {
            let token = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
            if let role = listen.tokens[token] {
                return ControlCaller(name: listen.tokenNames[token] ?? role.rawValue, role: role)
            }
        }
        var name = "local"
        if case .string(let named) = metadata[ControlClient.operatorKey].first(where: { _ in true }) { name = named }
        return ControlCaller(name: name, role: listen.tokens.isEmpty ? .operator : .viewer, hasToken: false)
    }

    func answer(_ call: ControlCall, _ metadata: Metadata) async throws -> ServerResponse<Infertop_V1_OperationReply> {
        let known = center.journal.record(call.id) != nil
        switch await center.submit(call, by: caller(metadata)) {
        case .success(let record):
            var reply = Infertop_V1_OperationReply()
            reply.operation = record.wire
            reply.retried = known
            return ServerResponse(message: reply)
        case .failure(let refusal):
            throw RPCError(code: Self.code(for: refusal), message: refusal.description)
        }
    }

    static func code(for refusal: ControlRefusal) -> RPCError.Code {
        switch refusal {
        case .permissionDenied: .permissionDenied
        case .refused, .cannotApply: .failedPrecondition
        case .conflict: .alreadyExists
        case .invalid: .invalidArgument
        case .unavailable: .unavailable
        }
    }

    public func cordon(request: ServerRequest<Infertop_V1_NodeActionRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_OperationReply>
    {
        let m = request.message
        return try await answer(.cordon, m.operationID, m.nodes, m.reason, m.madeFrom, request.metadata)
    }

    public func uncordon(request: ServerRequest<Infertop_V1_NodeActionRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_OperationReply>
    {
        let m = request.message
        return try await answer(.uncordon, m.operationID, m.nodes, m.reason, m.madeFrom, request.metadata)
    }

    public func drain(request: ServerRequest<Infertop_V1_DrainRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_OperationReply>
    {
        let m = request.message
        let kind = OperationKind.drain(evacuate: m.evacuate, force: m.force)
        return try await answer(kind, m.operationID, m.nodes, m.reason, m.madeFrom, request.metadata)
    }

    /// A node action from its wire fields: the id checked, the nodes and the fingerprint read.
    private func answer(
        _ kind: OperationKind, _ id: String, _ nodes: [String], _ reason: String, _ madeFrom: String,
        _ metadata: Metadata
    ) async throws -> ServerResponse<Infertop_V1_OperationReply> {
        let call = ControlCall(
            id: try Self.id(id), kind: kind, nodes: nodes.map { NodeID($0) }, reason: reason,
            madeFrom: Self.fingerprint(madeFrom))
        return try await answer(call, metadata)
    }

    public func rebalance(request: ServerRequest<Infertop_V1_RebalanceRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_OperationReply>
    {
        let m = request.message
        let words = m.goal.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2, case .success(let goal) = RebalanceGoal.parse(flag: words[0], subject: words[1]) else {
            throw RPCError(
                code: .invalidArgument,
                message: "goal '\(m.goal)' is not --relieve NODE:GPU, --evacuate NODE or --move MODEL/N")
        }
        let call = ControlCall(
            id: try Self.id(m.operationID), kind: .applyPlan(goal: goal.description), nodes: [], reason: m.reason,
            madeFrom: Self.fingerprint(m.madeFrom), goal: goal)
        return try await answer(call, request.metadata)
    }

    public func cancel(request: ServerRequest<Infertop_V1_CancelRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_OperationReply>
    {
        let m = request.message
        let target = OperationID(m.target)
        let nodes = center.journal.record(target)?.targets ?? []
        guard !nodes.isEmpty else {
            throw RPCError(
                code: .notFound, message: "no operation \(m.target) in this agent's journal: `ops` lists them")
        }
        return try await answer(
            ControlCall(id: try Self.id(m.operationID), kind: .cancel(target), nodes: nodes, reason: m.reason),
            request.metadata)
    }

    public func listOperations(request: ServerRequest<Infertop_V1_ListOperationsRequest>, context: ServerContext)
        async throws -> ServerResponse<Infertop_V1_OperationList>
    {
        ServerResponse(message: list())
    }

    public func watchOperations(
        request: ServerRequest<Infertop_V1_ListOperationsRequest>, context: ServerContext
    ) async throws -> StreamingServerResponse<Infertop_V1_OperationList> {
        let shutdown = shutdown
        let service = self
        return StreamingServerResponse { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await shutdown.wait() }
                group.addTask {
                    var last: [Infertop_V1_Operation]?
                    while !Task.isCancelled {
                        let now = service.list()
                        if now.operations != last {
                            last = now.operations
                            try await writer.write(now)
                        }
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
            return [:]
        }
    }

    public func getAudit(request: ServerRequest<Infertop_V1_GetAuditRequest>, context: ServerContext) async throws
        -> ServerResponse<Infertop_V1_AuditList>
    {
        let limit = request.message.limit == 0 ? 200 : Int(request.message.limit)
        var reply = Infertop_V1_AuditList()
        reply.entries = center.audit.recent.suffix(limit).reversed().map(\.wire)
        return ServerResponse(message: reply)
    }

    private func list() -> Infertop_V1_OperationList {
        var reply = Infertop_V1_OperationList()
        reply.operations = center.operations.map(\.wire)
        reply.time = center.clock()
        return reply
    }

    /// The fingerprint a call names (16 hex digits), or nil when it names none.
    static func fingerprint(_ text: String) -> StateFingerprint? {
        UInt64(text, radix: 16).map { StateFingerprint(value: $0) }
    }

    static func id(_ text: String) throws -> OperationID {
        guard !text.isEmpty, text.count <= 128 else {
            throw RPCError(
                code: .invalidArgument, message: "every control call needs an operation_id (1 to 128 characters)")
        }
        return OperationID(text)
    }
}

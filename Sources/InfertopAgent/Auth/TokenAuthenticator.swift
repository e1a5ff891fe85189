import GRPCCore

/// What a token lets its holder do.
public enum Role: String, Sendable, Hashable, CaseIterable {
    /// May subscribe and read.
    case viewer
    /// May also cordon, drain and rebalance.
    case `operator`
}

/// Checks the `authorization: Bearer <token>` metadata of every call against configured tokens.
///
/// With no tokens configured every call passes (the agent then listens on loopback only).
/// A missing or unknown token is `UNAUTHENTICATED`. It only authenticates: what a role may do
/// is checked where the call is served: `ControlService` reads the token's role again and
/// `ControlCenter` refuses a viewer's cordon, drain or rebalance, naming the role.
public struct TokenAuthenticator: ServerInterceptor {
    public let tokens: [String: Role]

    public init(tokens: [String: Role]) { self.tokens = tokens }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        guard !tokens.isEmpty else { return try await next(request, context) }
        guard let header = request.metadata["authorization"].first(where: { _ in true }),
            case .string(let value) = header
        else {
            throw RPCError(code: .unauthenticated, message: "a token is required: send 'authorization: Bearer <token>'")
        }
        let token = value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : value
        guard tokens[token] != nil else {
            throw RPCError(code: .unauthenticated, message: "the token is not valid for this agent")
        }
        return try await next(request, context)
    }
}

/// One line of the agent's audit log: every control call, refused ones too, with who made it,
/// what it asked, why, and what came of it.
public struct AuditRecord: Hashable, Sendable, Codable {
    /// Wall-clock seconds since 1970 (the log is read by people and log shippers).
    public let time: Double
    public let requestedBy: String
    /// `operator` or `viewer`: the role of the token the call came with.
    public let role: String
    /// The call as an operator would type it: `drain node-07`, `cordon node-03 node-04`.
    public let call: String
    public let reason: String
    public let operation: OperationID?
    /// `accepted`, `retry: same result`, `refused: <sentence>`, `denied: <sentence>`.
    public let result: String

    public init(
        time: Double, requestedBy: String, role: String, call: String, reason: String, operation: OperationID?,
        result: String
    ) {
        self.time = time
        self.requestedBy = requestedBy
        self.role = role
        self.call = call
        self.reason = reason
        self.operation = operation
        self.result = result
    }
}

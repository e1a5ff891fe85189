import InfertopCore

/// Several executors acting as one, in the configured order (`executor = ["router", "slurm"]`):
/// every action goes to each in turn, and a node is drained only when every one says so.
///
/// The order is the operator's: put the router first so that traffic leaves a node before the
/// scheduler marks it, and the other way round for an uncordon (the chain reverses it).
public struct ChainedExecutor: NodeExecutor {
    public let executors: [any NodeExecutor]
    public var name: String { executors.map(\.name).joined(separator: "+") }

    public init(_ executors: [any NodeExecutor]) { self.executors = executors }

    public func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try await each(executors) { try await $0.cordon(node, reason: reason, requestedBy: requestedBy) }
    }

    public func uncordon(_ node: NodeID) async throws -> String {
        try await each(executors.reversed()) { try await $0.uncordon(node) }
    }

    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try await each(executors) { try await $0.drain(node, reason: reason, requestedBy: requestedBy) }
    }

    public func cancelDrain(_ node: NodeID) async throws -> String {
        try await each(executors.reversed()) { try await $0.cancelDrain(node) }
    }

    /// `action` on each executor in `order`, stopping at the first that throws; their lines joined.
    private func each(
        _ order: some Sequence<any NodeExecutor>, _ action: (any NodeExecutor) async throws -> String
    ) async throws -> String {
        var lines: [String] = []
        for executor in order { lines.append(try await action(executor)) }
        return Self.joined(lines)
    }

    public func drainProgress(_ node: NodeID) async throws -> DrainProgress {
        var inFlight = 0
        var drained = true
        for executor in executors {
            if case .inFlight(let count) = try await executor.drainProgress(node) {
                drained = false
                inFlight += count
            }
        }
        return drained ? .drained : .inFlight(inFlight)
    }

    private static func joined(_ lines: [String]) -> String { lines.joined(separator: "; ") }
}

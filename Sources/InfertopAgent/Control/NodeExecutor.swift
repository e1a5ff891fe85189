import InfertopCore

/// How far a node's drain has come, as the system carrying it out reports it.
public enum DrainProgress: Sendable, Hashable {
    /// Requests (or jobs) still running on the node.
    case inFlight(Int)
    case drained
}

/// The system that carries out node actions: Slurm, the simulated fleet, a command template.
///
/// Every method must be idempotent (a resumed operation may call it again after a crash): check,
/// then act. Each returns a line for the journal saying what it did.
public protocol NodeExecutor: Sendable {
    /// `slurm`, `simulator`, `command`: for the journal and the agent's log.
    var name: String { get }
    /// No new work is placed on the node; what runs there goes on.
    func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String
    /// Back in service.
    func uncordon(_ node: NodeID) async throws -> String
    /// No new requests reach the node's replicas; those in flight finish.
    func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String
    /// Stops a drain: the node's replicas take traffic again, the node stays cordoned.
    func cancelDrain(_ node: NodeID) async throws -> String
    /// Where the drain stands now.
    func drainProgress(_ node: NodeID) async throws -> DrainProgress
}

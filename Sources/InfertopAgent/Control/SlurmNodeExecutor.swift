import Foundation
import InfertopCore

/// Node actions through Slurm: a cordon and a drain both set DRAIN with infertop's reason (Slurm
/// starts no new job on the node, running ones finish); the drain then waits until Slurm shows
/// the node DRAINED; uncordon is RESUME.
public struct SlurmNodeExecutor: NodeExecutor {
    public let slurm: SlurmExecutor
    public var name: String { "slurm" }

    public init(slurm: SlurmExecutor) { self.slurm = slurm }

    public func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        // Slurm's cordon is a DRAIN, which needs a reason; a cordon may come without one.
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "cordoned" : reason
        return try await setDrain(node, reason: reason, requestedBy: requestedBy)
    }

    public func uncordon(_ node: NodeID) async throws -> String {
        try await slurm.resume(node)
        return "scontrol: \(node) State=RESUME"
    }

    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try await setDrain(node, reason: reason, requestedBy: requestedBy)
    }

    /// DRAIN with infertop's reason, unless Slurm already shows DRAIN (a resumed step, or a
    /// drain set outside infertop, whose own reason stays).
    private func setDrain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        let state = try await slurm.state(of: node)
        if state.flags.contains("DRAIN") { return "already DRAIN in Slurm (reason: \(state.reason ?? "none"))" }
        try await slurm.drain(node, reason: reason, requestedBy: requestedBy)
        return "scontrol: \(node) State=DRAIN Reason=\"\(SlurmExecutor.reason(reason, requestedBy: requestedBy))\""
    }

    public func cancelDrain(_ node: NodeID) async throws -> String {
        // Slurm has no cordon apart from DRAIN: the node stays DRAIN (cordoned) until uncordon.
        "the node stays DRAIN in Slurm (cordoned); uncordon resumes it"
    }

    public func drainProgress(_ node: NodeID) async throws -> DrainProgress {
        let state = try await slurm.state(of: node)
        return state.isDrained ? .drained : .inFlight(state.isDraining ? 1 : 0)
    }
}

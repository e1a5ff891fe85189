import InfertopCore

/// Drains and resumes nodes through Slurm's own `scontrol`, and reads their state back.
///
/// The reason Slurm keeps is `infertop: <operator>: <reason>`, so `sinfo -R` shows who drained a
/// node from infertop and why; a drain set outside infertop shows with Slurm's own reason.
/// `scontrol` refuses a drain without a reason itself; infertop refuses it earlier, before
/// calling Slurm at all.
public struct SlurmExecutor: Sendable {
    public let runner: any CommandRunner
    /// `scontrol`, or a full path.
    public let scontrol: String
    public let timeoutSeconds: Double

    public init(runner: any CommandRunner, scontrol: String = "scontrol", timeoutSeconds: Double = 30) {
        self.runner = runner
        self.scontrol = scontrol
        self.timeoutSeconds = timeoutSeconds
    }

    /// The reason string Slurm stores for a drain by `requestedBy`.
    public static func reason(_ reason: String, requestedBy: String) -> String { "infertop: \(requestedBy): \(reason)" }

    /// `scontrol update NodeName=<node> State=DRAIN Reason="infertop: alice: ..."`.
    /// - Throws: `SlurmError` naming the node and what scontrol said.
    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw LifecycleRefusal.missingReason }
        try await update(node, ["State=DRAIN", "Reason=\(Self.reason(reason, requestedBy: requestedBy))"])
    }

    /// `scontrol update NodeName=<node> State=RESUME`: back to IDLE (after a moment of
    /// IDLE+NOT_RESPONDING while slurmctld pings slurmd again).
    public func resume(_ node: NodeID) async throws {
        try await update(node, ["State=RESUME"])
    }

    /// `scontrol show node <node> -o`, parsed.
    public func state(of node: NodeID) async throws -> SlurmNodeState {
        let result = try await runner.run([scontrol, "show", "node", node.name, "-o"], timeoutSeconds: timeoutSeconds)
        guard result.status == 0, let state = SlurmNodeState(oneLine: result.stdout) else {
            throw SlurmError(node: node, action: "read the state of", result: result)
        }
        return state
    }

    private func update(_ node: NodeID, _ fields: [String]) async throws {
        let result = try await runner.run(
            [scontrol, "update", "NodeName=\(node.name)"] + fields, timeoutSeconds: timeoutSeconds)
        guard result.status == 0 else {
            throw SlurmError(node: node, action: fields.first == "State=RESUME" ? "resume" : "drain", result: result)
        }
    }
}

/// Slurm said no, or could not be asked: the node, the action and scontrol's own words.
public struct SlurmError: Error, Sendable, CustomStringConvertible {
    public let node: NodeID
    public let action: String
    public let result: CommandResult

    public var description: String { "slurm could not \(action) \(node): scontrol \(result.summary)" }
}

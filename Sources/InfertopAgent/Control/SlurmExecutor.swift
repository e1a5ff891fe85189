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

/// A node as `scontrol show node -o` describes it: the base state, its flags and the reason.
public struct SlurmNodeState: Sendable, Hashable {
    /// `IDLE`, `ALLOCATED`, `MIXED`, `DOWN`...
    public let base: String
    /// `DRAIN`, `NOT_RESPONDING`...
    public let flags: [String]
    /// The reason without the ` [user@time]` scontrol appends; nil when the node has none.
    public let reason: String?

    /// Parses the one-line form. `Reason=` is the last field and holds spaces, like `OS=`, so the
    /// line is read field by field from known names, never split on spaces.
    public init?(oneLine text: String) {
        guard let stateRange = text.range(of: " State=") ?? text.range(of: "State=") else { return nil }
        let state = text[stateRange.upperBound...].prefix { $0 != " " && $0 != "\n" }
        let parts = state.split(separator: "+").map(String.init)
        guard let base = parts.first else { return nil }
        self.base = base
        flags = Array(parts.dropFirst())
        if let reasonRange = text.range(of: " Reason=") {
            var reason = String(text[reasonRange.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            if let stamp = reason.range(of: " [", options: .backwards), reason.hasSuffix("]") {
                reason = String(reason[..<stamp.lowerBound])
            }
            self.reason = reason
        } else {
            reason = nil
        }
    }

    /// DRAIN set and nothing running: Slurm's DRAINED.
    public var isDrained: Bool { flags.contains("DRAIN") && ["IDLE", "DOWN"].contains(base) }
    /// DRAIN set with jobs still running: Slurm's DRAINING.
    public var isDraining: Bool { flags.contains("DRAIN") && !isDrained }
    /// Whether infertop set the drain (its reason carries the `infertop:` prefix).
    public var drainedByInfertop: Bool { reason?.hasPrefix("infertop: ") == true }
}

/// Slurm said no, or could not be asked: the node, the action and scontrol's own words.
public struct SlurmError: Error, Sendable, CustomStringConvertible {
    public let node: NodeID
    public let action: String
    public let result: CommandResult

    public var description: String { "slurm could not \(action) \(node): scontrol \(result.summary)" }
}

import InfertopCore

/// Node actions carried out by the operator's own shell commands (`[control.command]`):
/// `kubectl cordon {node}`, `systemctl stop vllm@{replica}`, a check that says when a drain is done.
///
/// Each command runs as `/bin/sh -c` with its placeholders filled in, each value single-quoted
/// so that a reason such as `x"; touch /tmp/pwned` stays one argument. A template naming
/// `{replica}` or `{model}` runs once per replica on the node, in order; the first that fails (a
/// non-zero exit, or killed past `timeout_seconds`) fails the step, and the journal keeps its exit
/// status and output. A step with no template does nothing and says so. A resumed operation may
/// run a step's commands again, so they should be idempotent (`systemctl stop` is).
public struct CommandExecutor: NodeExecutor {
    public let settings: CommandSettings
    /// The replicas on this node (from `[[scrape]]`'s engine bindings).
    public let replicas: [ReplicaSpec]
    public let runner: any CommandRunner
    public var name: String { "command" }

    /// The most characters of a command's output (and of the command itself) kept in the journal.
    static let outputLimit = 240

    public init(settings: CommandSettings, replicas: [ReplicaSpec], runner: any CommandRunner = ProcessCommandRunner())
    {
        self.settings = settings
        self.replicas = replicas
        self.runner = runner
    }

    public func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try await run("cordon", settings.cordon, node, reason: reason, requestedBy: requestedBy)
    }

    public func uncordon(_ node: NodeID) async throws -> String {
        try await run("uncordon", settings.uncordon, node)
    }

    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try await run("drain", settings.drain, node, reason: reason, requestedBy: requestedBy)
    }

    public func cancelDrain(_ node: NodeID) async throws -> String {
        try await run("cancel_drain", settings.cancelDrain, node)
    }

    /// Runs `drained` (per replica when it names one): every check that exits 0 is drained; any
    /// other exit means requests are still in flight, as many as the check prints (1 if it prints
    /// no number). A check that could not run, or timed out, fails the step.
    public func drainProgress(_ node: NodeID) async throws -> DrainProgress {
        guard let template = settings.drained else { return .drained }
        var inFlight = 0
        for values in invocations(of: template, node) {
            let command = template.render(values)
            let result = try await execute(command, step: "drained")
            if result.timedOut {
                throw CommandStepFailure(
                    step: "drained", command: command, result: result, timeout: settings.timeoutSeconds)
            }
            if result.status != 0 {
                let printed = result.stdout.split(whereSeparator: \.isNewline).first.flatMap {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                inFlight += max(1, printed ?? 1)
            }
        }
        return inFlight == 0 ? .drained : .inFlight(inFlight)
    }

    /// Runs one step's template, once or once per replica; returns the journal line.
    private func run(
        _ step: String, _ template: CommandTemplate?, _ node: NodeID, reason: String = "", requestedBy: String = ""
    ) async throws -> String {
        guard let template else { return "\(step): no [control.command] \(step) template, nothing to do" }
        let runs = invocations(of: template, node, reason: reason, requestedBy: requestedBy)
        if runs.isEmpty { return "\(step): no replicas on \(node), nothing to run" }
        var lines: [String] = []
        for values in runs {
            let command = template.render(values)
            let result = try await execute(command, step: step)
            guard result.status == 0, !result.timedOut else {
                throw CommandStepFailure(
                    step: step, command: command, result: result, timeout: settings.timeoutSeconds, before: lines)
            }
            lines.append(Self.line(command, result))
        }
        return "\(step): " + lines.joined(separator: "; ")
    }

    /// The placeholder values of each run: one run, or one per replica on the node.
    private func invocations(
        of template: CommandTemplate, _ node: NodeID, reason: String = "", requestedBy: String = ""
    ) -> [[CommandTemplate.Placeholder: String]] {
        let base: [CommandTemplate.Placeholder: String] = [.node: node.name, .reason: reason, .operator: requestedBy]
        guard template.perReplica else { return [base] }
        let onNode = replicas.filter { $0.nodes.isEmpty || $0.nodes.contains(node) }.sorted { $0.id < $1.id }
        return onNode.map { replica in
            base.merging([.replica: replica.id.description, .model: replica.id.model]) { $1 }
        }
    }

    private func execute(_ command: String, step: String) async throws -> CommandResult {
        do {
            return try await runner.run(["/bin/sh", "-c", command], timeoutSeconds: settings.timeoutSeconds)
        } catch {
            throw CommandFailure("\(step): could not run `\(Self.bounded(command))`: \(error)")
        }
    }

    /// `` `systemctl stop vllm@'llama-70b/0'` exit 0: Stopped `` with the output on one line.
    static func line(_ command: String, _ result: CommandResult, timeout: Double? = nil) -> String {
        let ending =
            result.timedOut
            ? "timed out after \(timeout.map { "\(Int($0)) s" } ?? "its timeout")" : "exit \(result.status)"
        let output = bounded([result.stdout, result.stderr].joined(separator: "\n"))
        return "`\(bounded(command))` \(ending)" + (output.isEmpty ? "" : ": \(output)")
    }

    /// Trimmed, one line (` / ` between lines), at most `outputLimit` characters.
    static func bounded(_ text: String) -> String {
        let oneLine = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " / ")
        return oneLine.count <= outputLimit ? oneLine : String(oneLine.prefix(outputLimit - 1)) + "…"
    }
}

/// A command of a step that failed or timed out: what ran, how it ended, what it printed, and
/// what had already run before it in the same step.
public struct CommandStepFailure: Error, Sendable, CustomStringConvertible {
    public let step: String
    public let command: String
    public let result: CommandResult
    public let timeout: Double
    public var before: [String] = []

    public var description: String {
        let done = before.isEmpty ? "" : " (before it: \(before.joined(separator: "; ")))"
        return "\(step) failed: \(CommandExecutor.line(command, result, timeout: timeout))\(done)"
    }
}

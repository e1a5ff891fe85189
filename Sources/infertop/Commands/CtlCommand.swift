import ArgumentParser
import Foundation
import InfertopCore
import InfertopWire
import Logging

/// `infertop ctl`: the dashboard's operator verbs on the shell, for runbooks and scripts. Each
/// call goes to the coordinating agent's `Control` service, which checks, journals, audits and
/// carries it out, exactly as a confirmed dialog in the dashboard does.
struct CtlCommand: AsyncParsableCommand, DashboardLogging {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract:
            "Cordon, uncordon, drain or cancel from the shell; preview and apply rebalance plans; list operations.",
        discussion: """
            infertop ctl drain node-07 --reason "KV cache full on gpu6" --agents 10.0.0.7:50051 --yes
            infertop ctl ops --cluster cluster.toml --output json
            infertop ctl plan --relieve node-10:6 --cluster cluster.toml
            infertop ctl apply --relieve node-10:6 --reason "KV starved" --cluster cluster.toml --yes --wait
            A mutating verb asks for confirmation on a terminal; in a script, --yes confirms.
            Exit status: 0 done (or accepted, without --wait), 1 refused or failed (the agent's
            reason on stderr), 2 bad usage.
            """)

    enum Verb: String, ExpressibleByArgument, CaseIterable {
        case cordon, uncordon, drain, cancel, plan, apply, ops
    }

    @Argument(help: "cordon | uncordon | drain | cancel | plan | apply | ops")
    var verb: Verb

    @Argument(help: "Nodes (or, for cancel, the operation id).")
    var targets: [String] = []

    @Option(help: "Why: kept in the journal, the audit log and (with the slurm executor) Slurm. Required for drain.")
    var reason: String = ""

    @Flag(help: "Drain an unreachable node, or past the min_available and max_unavailable rules.")
    var force = false

    @Flag(help: "Confirm without a prompt (for scripts).")
    var yes = false

    @Flag(help: "Wait until the operation has finished, printing its steps.")
    var wait = false

    @Option(help: "text or json.")
    var output: String = "text"

    @Option(help: "plan: move the replica off this hot GPU (NODE:GPU, e.g. node-10:6).")
    var relieve: String?

    @Option(help: "plan: place every replica of this node elsewhere.")
    var evacuate: String?

    @Option(help: "plan: move this replica (MODEL/N, e.g. llama-405b/5).")
    var move: String?

    @Option(help: "apply: the state (16 hex digits) the plan was previewed from; default: the plan made now.")
    var madeFrom: String?

    @Option(help: "The id to send (a retry with the same id returns the first result).")
    var operationID: String?

    @OptionGroup var sources: AgentSources
    @OptionGroup var logging: DashboardLogOptions

    /// Debug lines (`--log-level debug`): which agent was called, what it answered, each status seen.
    static let logger = Logger(label: "infertop")

    mutating func validate() throws {
        guard ["text", "json"].contains(output) else {
            throw ValidationError("--output must be text or json, got '\(output)'")
        }
        if sources.isEmpty { throw ValidationError("say which agents: --agents HOST:PORT or --cluster FILE") }
        if verb == .plan || verb == .apply {
            _ = try goal()
        } else if verb != .ops && targets.isEmpty {
            throw ValidationError(
                verb == .cancel
                    ? "cancel needs the operation id (infertop ctl ops lists them)"
                    : "\(verb.rawValue) needs at least one node")
        }
        if let madeFrom, UInt64(madeFrom, radix: 16) == nil || madeFrom.count != 16 {
            throw ValidationError("--made-from must be 16 hex digits, as `ctl plan` prints it, got '\(madeFrom)'")
        }
        if verb == .drain && reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("drain needs --reason \"...\": the journal, the audit log and Slurm keep why")
        }
    }

    func run() async throws {
        let endpoints = try sources.endpoints()
        guard let controller = sources.controllerEndpoint(among: endpoints) else {
            throw ValidationError("no agent to send the call to")
        }
        Self.logger.debug("calling the controller", metadata: ["addr": "\(controller)", "verb": "\(verb.rawValue)"])
        let client = ControlClient(endpoint: controller, operatorName: AgentSources.localOperator)
        if verb == .ops { return try await list(client) }
        if verb == .plan { return try await plan(endpoints) }
        if verb == .apply { return try await apply(endpoints, client) }
        let kind: OperationKind
        var nodes = targets.map { NodeID($0) }
        switch verb {
        case .cordon: kind = .cordon
        case .uncordon: kind = .uncordon
        case .drain: kind = .drain(evacuate: false, force: force)
        case .cancel:
            kind = .cancel(OperationID(targets[0]))
            nodes = []
        case .ops, .plan, .apply: return
        }
        try await send(kind, nodes: nodes, call: ([kind.description] + targets).joined(separator: " "), client)
    }

    /// Confirms (or takes --yes), sends one call and prints its operation, waiting with --wait.
    func send(
        _ kind: OperationKind, nodes: [NodeID], call: String, madeFrom: StateFingerprint? = nil,
        goal: RebalanceGoal? = nil, _ client: ControlClient
    ) async throws {
        if !yes { try confirm(call) }
        let id = OperationID(operationID ?? "ctl-\(UUID().uuidString.prefix(12).lowercased())")
        do {
            var record = try await client.send(
                id: id, kind: kind, nodes: nodes, reason: reason, madeFrom: madeFrom, goal: goal)
            Self.logger.debug("sent", metadata: ["op": "\(id)", "status": "\(record.status)"])
            if wait { record = try await waitForEnd(record, client) }
            print(output == "json" ? OperationText.json(record) : OperationText.lines(record))
            if case .failed = record.status { throw ExitCode(1) }
            if record.status == .stalled || record.status == .cancelled { throw ExitCode(1) }
        } catch let error as ControlClientError {
            FileHandle.standardError.write(Data("infertop ctl: \(call): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func list(_ client: ControlClient) async throws {
        do {
            let (operations, _) = try await client.journal()
            if output == "json" {
                print("[" + operations.map(OperationText.json).joined(separator: ",\n") + "]")
            } else {
                for record in operations { print(OperationText.lines(record)) }
            }
        } catch let error as ControlClientError {
            FileHandle.standardError.write(Data("infertop ctl: ops: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func waitForEnd(_ record: OperationRecord, _ client: ControlClient) async throws -> OperationRecord {
        var current = record
        while !current.status.isFinished {
            try await Task.sleep(for: .milliseconds(250))
            if let fresh = try await client.journal(auditLimit: 1).operations.first(where: { $0.id == record.id }) {
                if fresh.status != current.status {
                    Self.logger.debug("status", metadata: ["op": "\(record.id)", "status": "\(fresh.status)"])
                }
                current = fresh
            }
        }
        return current
    }

    private func confirm(_ call: String) throws {
        guard isatty(0) != 0 else {
            throw ValidationError("\(call) changes the cluster: confirm with --yes (no terminal to ask on)")
        }
        print("\(call) (reason: \(reason.isEmpty ? "none" : reason)). Type yes to go on: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            FileHandle.standardError.write(Data("infertop ctl: not confirmed; nothing was sent\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// An operation as `infertop ctl` prints it.
enum OperationText {
    static func lines(_ record: OperationRecord) -> String {
        var out = "\(record.id)  \(record.kind) \(record.targets.map(\.name).joined(separator: " "))  \(record.status)"
        out += "  by \(record.requestedBy)" + (record.reason.isEmpty ? "" : ": \(record.reason)")
        for step in record.steps {
            out += "\n  \(step.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(step.name)"
            if !step.detail.isEmpty { out += " (\(step.detail))" }
        }
        return out
    }

    static func json(_ record: OperationRecord) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

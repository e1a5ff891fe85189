import InfertopCore
import TOMLKit

/// `[control]` in the agent's config: whether this agent coordinates operations, how it carries
/// them out, where it journals them, and the safety rules it holds every call to.
public struct ControlSettings: Sendable, Hashable {
    /// How node actions are carried out.
    public enum Executor: String, Sendable, Hashable, CaseIterable {
        /// `scontrol update NodeName=... State=DRAIN|RESUME`, read back with `scontrol show node`.
        case slurm
        /// The serving router's worker API: a drained node's workers leave the router.
        case router
        /// Command templates (`systemctl stop vllm@{replica}`, a `kubectl` line).
        case command
        /// The simulated fleet (with `--simulate`).
        case simulator
    }

    /// The systems that carry node actions out, in the order they act (`executor = "slurm"` or
    /// `executor = ["router", "slurm"]`). Off (no `Control` service) when empty.
    public var executors: [Executor] = []
    public var journalPath = "/var/lib/infertop/journal.jsonl"
    public var auditPath = "/var/lib/infertop/audit.jsonl"
    /// `scontrol`, or its full path.
    public var scontrol = "scontrol"
    /// `[control.command]`: the templates of the `command` executor.
    public var command = CommandSettings()
    /// `[control.router]`: the router and workers of the `router` executor.
    public var router = RouterSettings()
    public var rules = SafetyRules.standard
    /// `cluster`: a cluster file (the dashboard's format) listing every agent, this one included;
    /// the coordinator subscribes to them for a view of the whole cluster. Nil: its own node only.
    public var clusterPath: String?

    public init() {}
}

extension AgentConfig {
    /// Reads `[control]`; `fail` names the file, line and key of a mistake.
    static func parseControl(
        _ table: TOMLTable, into config: inout AgentConfig, fail: (String, String) -> AgentConfigFileError
    ) throws {
        let known: Set<String> = [
            "executor", "journal", "audit", "scontrol", "max_unavailable", "min_available", "command", "router",
            "cluster"
        ]
        for key in table.keys where !known.contains(key) {
            throw fail("control.\(key)", "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        var settings = ControlSettings()
        settings.executors = try parseExecutors(table["executor"], fail: fail)
        try parseCommand(table, into: &settings, fail: fail)
        settings.router = try parseRouter(table["router"], executors: settings.executors, fail: fail)
        if let path = table["journal"]?.string { settings.journalPath = path }
        if let path = table["audit"]?.string { settings.auditPath = path }
        if let path = table["scontrol"]?.string { settings.scontrol = path }
        if let path = table["cluster"]?.string { settings.clusterPath = path }
        if let item = table["max_unavailable"] {
            guard let n = item.int, n >= 1 else {
                throw fail("control.max_unavailable", "must be a whole number of at least 1")
            }
            settings.rules.maxUnavailable = n
        }
        if let item = table["min_available"] {
            guard let models = item.table else {
                throw fail(
                    "control.min_available",
                    "must be a table of model = replicas, e.g. [control.min_available] \"llama-405b\" = 2")
            }
            for (model, value) in models {
                guard let n = value.int, n >= 0 else {
                    throw fail("control.min_available.\(model)", "must be a whole number of replicas")
                }
                settings.rules.minAvailable[model] = n
            }
        }
        config.control = settings
    }

    /// `executor = "slurm"` or `executor = ["router", "slurm"]`: known names, none twice.
    private static func parseExecutors(
        _ item: (any TOMLValueConvertible)?, fail: (String, String) -> AgentConfigFileError
    ) throws -> [ControlSettings.Executor] {
        let known = ControlSettings.Executor.allCases.map(\.rawValue).joined(separator: ", ")
        let names: [String]
        if let name = item?.string {
            names = [name]
        } else if let array = item?.array {
            names = try array.map { value in
                guard let name = value.string else {
                    throw fail("control.executor", "must hold names of executors (\(known))")
                }
                return name
            }
        } else {
            throw fail(
                "control.executor",
                "[control] needs executor = \"slurm\" (or a list such as [\"router\", \"slurm\"]; \"simulator\" with --simulate)"
            )
        }
        guard !names.isEmpty else { throw fail("control.executor", "names no executor (known: \(known))") }
        var executors: [ControlSettings.Executor] = []
        for name in names {
            guard let executor = ControlSettings.Executor(rawValue: name) else {
                throw fail("control.executor", "'\(name)' is not an executor (known: \(known))")
            }
            guard !executors.contains(executor) else { throw fail("control.executor", "names '\(name)' twice") }
            executors.append(executor)
        }
        if executors.contains(.simulator), executors.count > 1 {
            throw fail(
                "control.executor", "\"simulator\" carries every step out itself and cannot be combined with others")
        }
        return executors
    }
}

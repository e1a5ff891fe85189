import InfertopCore
import TOMLKit

/// `[control]` in the agent's config: whether this agent coordinates operations, how it carries
/// them out, where it journals them, and the safety rules it holds every call to.
public struct ControlSettings: Sendable, Hashable {
    /// How node actions are carried out.
    public enum Executor: String, Sendable, Hashable, CaseIterable {
        /// `scontrol update NodeName=... State=DRAIN|RESUME`, read back with `scontrol show node`.
        case slurm
        /// The simulated fleet (with `--simulate`).
        case simulator
    }

    /// Off (no `Control` service) when nil.
    public var executor: Executor?
    public var journalPath = "/var/lib/infertop/journal.jsonl"
    public var auditPath = "/var/lib/infertop/audit.jsonl"
    /// `scontrol`, or its full path.
    public var scontrol = "scontrol"
    public var rules = SafetyRules.standard

    public init() {}
}

extension AgentConfig {
    /// Reads `[control]`; `fail` names the file, line and key of a mistake.
    static func parseControl(
        _ table: TOMLTable, into config: inout AgentConfig, fail: (String, String) -> AgentConfigFileError
    ) throws {
        let known: Set<String> = ["executor", "journal", "audit", "scontrol", "max_unavailable", "min_available"]
        for key in table.keys where !known.contains(key) {
            throw fail("control.\(key)", "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        var settings = ControlSettings()
        if let name = table["executor"]?.string {
            guard let executor = ControlSettings.Executor(rawValue: name) else {
                throw fail("control.executor", "must be one of \(ControlSettings.Executor.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            settings.executor = executor
        } else {
            throw fail("control.executor", "[control] needs executor = \"slurm\" (or \"simulator\" with --simulate)")
        }
        if let path = table["journal"]?.string { settings.journalPath = path }
        if let path = table["audit"]?.string { settings.auditPath = path }
        if let path = table["scontrol"]?.string { settings.scontrol = path }
        if let item = table["max_unavailable"] {
            guard let n = item.int, n >= 1 else { throw fail("control.max_unavailable", "must be a whole number of at least 1") }
            settings.rules.maxUnavailable = n
        }
        if let item = table["min_available"] {
            guard let models = item.table else {
                throw fail("control.min_available", "must be a table of model = replicas, e.g. [control.min_available] \"llama-405b\" = 2")
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
}

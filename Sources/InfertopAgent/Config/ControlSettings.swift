import InfertopCore

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

        /// `slurm, router, command, simulator`, for messages.
        static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }
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

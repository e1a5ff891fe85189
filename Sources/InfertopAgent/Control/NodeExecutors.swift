import InfertopCore

/// Builds the executor that `[control] executor` names for an agent on a real node.
public enum NodeExecutors {
    /// One executor, or a chain of them in the configured order.
    /// - Parameters:
    ///   - replicas: the replicas this node serves (from `[[scrape]]`'s engine bindings).
    /// - Throws: `AgentConfigError` for an executor that cannot run here.
    public static func make(_ config: AgentConfig, node: NodeID, replicas: [ReplicaSpec]) throws -> any NodeExecutor {
        let executors = try config.control.executors.map { kind -> any NodeExecutor in
            switch kind {
            case .slurm:
                return SlurmNodeExecutor(
                    slurm: SlurmExecutor(runner: ProcessCommandRunner(), scontrol: config.control.scontrol))
            case .router:
                return try RouterExecutor.configured(config, node: node)
            case .command:
                return CommandExecutor(settings: config.control.command, replicas: replicas)
            case .simulator:
                throw AgentConfigError(
                    "[control] executor = \"simulator\" needs --simulate; on a real node use \"slurm\", \"router\" or \"command\""
                )
            }
        }
        return executors.count == 1 ? executors[0] : ChainedExecutor(executors)
    }
}

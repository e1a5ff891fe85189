import InfertopCore
import InfertopWire
import Synchronization

/// What a coordinating agent on a real node knows of the cluster for the safety rules: its own
/// node, or, with `[control] cluster = FILE`, every agent that cluster file lists (subscribed to
/// as a dashboard would), with each node's lifecycle taken from this agent's own journal.
///
/// The journal has the last word on lifecycles because the coordinator is the one that changes
/// them: a node it drained through Slurm is DRAINING here the moment the step is journaled,
/// whatever that node's own agent reports.
public final class CoordinatorView: Sendable {
    private let state: Mutex<ClusterState>
    /// Where `follow` subscribes; empty for an agent that sees only its own node.
    public let endpoints: [AgentEndpoint]

    /// A view of this node alone, widened by `follow` when `endpoints` name the cluster's agents.
    public init(node: NodeSpec, replicas: [ReplicaSpec], endpoints: [AgentEndpoint] = []) {
        state = Mutex(ClusterState(topology: Topology(nodes: [node]), replicas: replicas))
        self.endpoints = endpoints
    }

    /// Subscribes to `endpoints` and keeps the merged state, until cancelled; returns at once
    /// when there are none. Agents that cannot be reached show as lost, which the rules refuse
    /// to drain without `--force`.
    public func follow() async {
        guard !endpoints.isEmpty else { return }
        for await update in AgentsFeed(endpoints: endpoints) {
            state.withLock { $0.apply(update) }
        }
    }

    /// The snapshot the safety rules read, lifecycles from `operations` (oldest first).
    public func snapshot(operations: [OperationRecord]) -> LifecycleSnapshot {
        var snapshot = state.withLock { LifecycleSnapshot($0) }
        let touched = Set(operations.flatMap(\.targets))
        for node in touched {
            let lifecycle = NodeLifecycle.from(operations: operations, node: node)
            snapshot.states[node] =
                lifecycle == .active ? nil : NodeLifecycleState(phase: lifecycle, deadline: .infinity)
        }
        return snapshot
    }
}

import InfertopCore
import InfertopSim
import Synchronization

/// The operator's hands on a running simulated fleet: actions wait in a queue until the fleet's
/// next simulated second carries them out, and what each node looks like after that second
/// (lifecycle, requests in flight) is kept for the executors that wait on it.
///
/// This is the hardware side of the simulator executor: the agent's journal and steps are the
/// same as on a real node, only `scontrol` and the router are replaced by the simulated cluster.
public final class FleetControl: Sendable {
    /// An action on one simulated node.
    public enum Action: Sendable, Hashable {
        case cordon, uncordon, drain, cancelDrain
    }

    /// A node as the fleet last showed it.
    public struct NodeState: Sendable, Hashable {
        public var lifecycle: NodeLifecycle
        public var inFlight: Int
    }

    private let pending = Mutex<[(Action, NodeID)]>([])
    private let observed = Mutex<[NodeID: NodeState]>([:])
    private let simulatedTime = Mutex(0.0)
    /// Every action carried out, in order: what the tests count.
    private let appliedLog = Mutex<[String]>([])
    public let nodes: Set<NodeID>
    let topology: Topology
    let replicas: [ReplicaSpec]

    init(topology: Topology, replicas: [ReplicaSpec]) {
        self.topology = topology
        self.replicas = replicas
        nodes = Set(topology.nodes.map(\.id))
    }

    /// The whole simulated cluster as the safety rules need it: lifecycles from the latest
    /// second, and every replica on a node that is not drained serving.
    public var snapshot: LifecycleSnapshot? {
        let states = observed.withLock { $0 }
        guard !states.isEmpty else { return nil }
        var lifecycles: [NodeID: NodeLifecycleState] = [:]
        for (node, state) in states where state.lifecycle != .active {
            lifecycles[node] = NodeLifecycleState(phase: state.lifecycle)
        }
        let out = Set(lifecycles.filter { $0.value == .drained }.keys)
        let serving = Set(replicas.filter { r in r.nodes.allSatisfy { !out.contains($0) } }.map(\.id))
        return LifecycleSnapshot(topology: topology, replicas: replicas, states: lifecycles, serving: serving)
    }

    /// Queues an action for the fleet's next second.
    /// - Throws: `SimulatedControlError` for a node the fleet does not have.
    public func submit(_ action: Action, node: NodeID) throws {
        guard nodes.contains(node) else {
            throw SimulatedControlError(description: "the simulated cluster has no node \(node)")
        }
        pending.withLock { $0.append((action, node)) }
    }

    /// Whether the action waits in the queue for the fleet's next second.
    public func isPending(_ action: Action, node: NodeID) -> Bool {
        pending.withLock { $0.contains { $0.0 == action && $0.1 == node } }
    }

    /// The node after the fleet's latest second, or nil before the first.
    public func state(of node: NodeID) -> NodeState? { observed.withLock { $0[node] } }

    /// `drain node-10`, one per action carried out, oldest first.
    public var applied: [String] { appliedLog.withLock { $0 } }

    /// Carries out the queued actions on the cluster (from the fleet's loop).
    func apply(to cluster: SimulatedCluster) {
        let actions = pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        for (action, node) in actions {
            do {
                switch action {
                case .cordon: try cluster.cordon(node)
                case .uncordon: try cluster.uncordon(node)
                case .drain: try cluster.drain(node)
                case .cancelDrain: try cluster.cancelDrain(node)
                }
                appliedLog.withLock { $0.append("\(action) \(node)") }
            } catch {
                appliedLog.withLock { $0.append("\(action) \(node) failed: \(error)") }
            }
        }
    }

    /// Records how each node looks after a simulated second (from the fleet's loop).
    func observe(_ cluster: SimulatedCluster) {
        var states: [NodeID: NodeState] = [:]
        for node in nodes {
            states[node] = NodeState(lifecycle: cluster.lifecycle(of: node), inFlight: cluster.requestsInFlight(on: node))
        }
        observed.withLock { $0 = states }
        simulatedTime.withLock { $0 = cluster.time }
    }

    /// The fleet's clock after its latest second: the time operations are stamped with.
    public var time: Double { simulatedTime.withLock { $0 } }
}

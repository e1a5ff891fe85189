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

    /// A step of a make-before-break move on one copy of a replica.
    public enum CopyAction: Sendable, Hashable, CustomStringConvertible {
        case launch(LoadSource)
        case addToRouter, removeFromRouter, stop

        public var description: String {
            switch self {
            case .launch(let source): "launch (from \(source))"
            case .addToRouter: "add to the router"
            case .removeFromRouter: "remove from the router"
            case .stop: "stop"
            }
        }
    }

    /// One copy of a replica: the replica on these GPUs (stage, then rank order).
    public struct Copy: Sendable, Hashable, CustomStringConvertible {
        public let replica: ReplicaID
        public let gpus: [GPUID]
        public init(_ replica: ReplicaID, on gpus: [GPUID]) {
            self.replica = replica
            self.gpus = gpus
        }
        public var description: String { "\(replica) on \(GPURanges.words(gpus))" }
    }

    private let pending = Mutex<[(Action, NodeID)]>([])
    private let pendingCopies = Mutex<[(CopyAction, Copy)]>([])
    /// Actions carried out in the fleet's current second whose effect the executors have not
    /// seen yet (`observe` clears them): still pending, so that no step asks twice.
    private let unobserved = Mutex<(nodes: [(Action, NodeID)], copies: Set<Copy>)>(([], []))
    /// Copies a move asked about, and how each looked after the latest second.
    private let watched = Mutex<Set<Copy>>([])
    private let copies = Mutex<[Copy: ReplicaCopyState]>([:])
    /// Why a copy action failed in the fleet, for the executor to report.
    private let copyFailures = Mutex<[Copy: String]>([:])
    /// The cluster as a dashboard would see it, for the shard planner.
    private let seen = Mutex<ClusterState?>(nil)
    private let observed = Mutex<[NodeID: NodeState]>([:])
    private let simulatedTime = Mutex(0.0)
    /// Every action carried out, in order: what the tests count.
    private let appliedLog = Mutex<[String]>([])
    public let nodes: Set<NodeID>
    let topology: Topology
    private let placement: Mutex<[ReplicaSpec]>
    /// Every replica where it serves now.
    var replicas: [ReplicaSpec] { placement.withLock { $0 } }

    init(topology: Topology, replicas: [ReplicaSpec]) {
        self.topology = topology
        placement = Mutex(replicas)
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
        let replicas = replicas
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

    /// The shard planner's input: the cluster as a dashboard sees it after the latest second
    /// (memory from the GPU samples, placement, lifecycles); nil before the first.
    public var planInput: RebalanceInput? { seen.withLock { $0.map { RebalanceInput($0) } } }

    /// Queues a move step on one copy for the fleet's next second.
    public func submit(_ action: CopyAction, copy: Copy) {
        watched.withLock { _ = $0.insert(copy) }
        copyFailures.withLock { $0[copy] = nil }
        pendingCopies.withLock { $0.append((action, copy)) }
    }

    /// Whether a move step on `copy` waits for the fleet's next second.
    public func isPending(copy: Copy) -> Bool {
        pendingCopies.withLock { $0.contains { $0.1 == copy } } || unobserved.withLock { $0.copies.contains(copy) }
    }

    /// The copy after the fleet's latest second (nil when there is none yet), and why its last
    /// action failed, if it did.
    public func state(of copy: Copy) -> (state: ReplicaCopyState?, failure: String?) {
        watched.withLock { _ = $0.insert(copy) }
        return (copies.withLock { $0[copy] }, copyFailures.withLock { $0[copy] })
    }

    /// Whether every watched copy on any of `gpus` is stopped (the move's old copy freed them).
    public func stoppedCopies(on gpus: [GPUID]) -> Bool {
        let wanted = Set(gpus)
        let on = copies.withLock { $0.filter { !wanted.isDisjoint(with: $0.key.gpus) } }
        return !on.isEmpty && on.values.allSatisfy { $0.phase == .stopped }
    }

    /// Whether the action waits in the queue for the fleet's next second.
    public func isPending(_ action: Action, node: NodeID) -> Bool {
        pending.withLock { $0.contains { $0.0 == action && $0.1 == node } }
            || unobserved.withLock { $0.nodes.contains { $0.0 == action && $0.1 == node } }
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
        unobserved.withLock { $0.nodes = actions }
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
        let copyActions = pendingCopies.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        unobserved.withLock { $0.copies = Set(copyActions.map(\.1)) }
        for (action, copy) in copyActions {
            do {
                switch action {
                case .launch(let source): try cluster.launch(copy.replica, on: copy.gpus, from: source)
                case .addToRouter: try cluster.addToRouter(copy.replica, on: copy.gpus)
                case .removeFromRouter: try cluster.removeFromRouter(copy.replica, on: copy.gpus)
                case .stop: try cluster.stopCopy(copy.replica, on: copy.gpus)
                }
                appliedLog.withLock { $0.append("\(action) \(copy)") }
            } catch {
                copyFailures.withLock { $0[copy] = "\(error)" }
                appliedLog.withLock { $0.append("\(action) \(copy) failed: \(error)") }
            }
        }
    }

    /// Records how each node looks after a simulated second (from the fleet's loop).
    func observe(_ cluster: SimulatedCluster) {
        var states: [NodeID: NodeState] = [:]
        for node in nodes {
            states[node] = NodeState(
                lifecycle: cluster.lifecycle(of: node), inFlight: cluster.requestsInFlight(on: node))
        }
        observed.withLock { $0 = states }
        simulatedTime.withLock { $0 = cluster.time }
        let keys = watched.withLock { $0 }
        var now: [Copy: ReplicaCopyState] = [:]
        for copy in keys { now[copy] = cluster.copy(copy.replica, on: copy.gpus) }
        copies.withLock { $0 = now }
        placement.withLock { $0 = cluster.replicas }
        unobserved.withLock { $0 = ([], []) }
    }

    /// Folds the latest reading into the planner's view (from the fleet's loop, after `observe`).
    func observe(_ delta: ClusterDelta, cluster: SimulatedCluster) {
        seen.withLock { state in
            if let old = state, old.replicas != cluster.replicas {
                state = old.rebuilt(topology: topology, replicas: cluster.replicas)
            } else if state == nil {
                state = ClusterState(topology: topology, replicas: cluster.replicas, time: delta.time)
            }
            state?.apply(delta)
        }
    }

    /// The fleet's clock after its latest second: the time operations are stamped with.
    public var time: Double { simulatedTime.withLock { $0 } }
}

import InfertopCore

/// What the operator did to the simulated cluster: node lifecycles, the engines the router no
/// longer sends to, and the engines stopped by a finished drain.
struct SimulatedControlState {
    var lifecycles: [Int: NodeLifecycle] = [:]
    var outOfRouter = Set<Int>()
    var stopped = Set<Int>()
    /// Nodes whose lifecycle changed since the last sample.
    var changed = Set<Int>()
    /// New copies of moved replicas still loading their weights: engine → when they are ready.
    var loading: [Int: LoadProgress] = [:]
    /// The copy each moved replica serves from (replicas not listed: their first engine).
    var placement: [ReplicaID: Int] = [:]
    /// Engines a move stopped: their memory is freed and they never come back.
    var movedOut = Set<Int>()
    /// Whether the published placement changed since the last call to `takePlacementChange`.
    var placementChanged = false
}

/// A copy's weights on their way in: when the load started and when it ends.
struct LoadProgress {
    var start: Double
    var end: Double
}

/// Why the simulated cluster would not carry out an action, in words.
public struct SimulatedControlError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

// MARK: - Operator actions, carried out in simulated time

extension SimulatedCluster {
    /// The node's lifecycle as its agent reports it.
    public func lifecycle(of node: NodeID) -> NodeLifecycle {
        topology.nodeIndex(of: node).flatMap { control.lifecycles[$0] } ?? .active
    }

    /// Requests queued or running on the node's replicas: what a drain waits for.
    public func requestsInFlight(on node: NodeID) -> Int {
        guard let n = topology.nodeIndex(of: node) else { return 0 }
        return enginesOnNode[n].reduce(0) { $0 + engines[$1].waiting.count + engines[$1].running.count }
    }

    /// No new placements; the node's replicas keep serving.
    public func cordon(_ node: NodeID) throws {
        let n = try index(node)
        if control.lifecycles[n] == nil { set(n, .cordoned) }
    }

    /// Back to ACTIVE: the router sends to the node's replicas again (restarted if a drain stopped them).
    public func uncordon(_ node: NodeID) throws {
        let n = try index(node)
        for e in enginesOnNode[n] {
            control.outOfRouter.remove(e)
            if control.stopped.remove(e) != nil && !lostNodeIndexes.contains(n) { engines[e].down = false }
        }
        set(n, .active)
    }

    /// The router stops sending to the node's replicas (a replica spanning nodes leaves as a whole);
    /// the requests in flight finish, then the replicas stop and the node is DRAINED.
    public func drain(_ node: NodeID) throws {
        let n = try index(node)
        for e in enginesOnNode[n] { control.outOfRouter.insert(e) }
        set(n, .draining)
        progressDrains()
    }

    /// Ends a drain: the node is CORDONED, its replicas back in the router.
    public func cancelDrain(_ node: NodeID) throws {
        let n = try index(node)
        for e in enginesOnNode[n] where !control.stopped.contains(e) { control.outOfRouter.remove(e) }
        set(n, .cordoned)
    }

    /// Draining nodes whose replicas have nothing left in flight stop them and become DRAINED.
    func progressDrains() {
        for (n, lifecycle) in control.lifecycles where lifecycle == .draining {
            let idle = enginesOnNode[n].allSatisfy { engines[$0].waiting.isEmpty && engines[$0].running.isEmpty }
            guard idle else { continue }
            for e in enginesOnNode[n] {
                control.stopped.insert(e)
                engines[e].down = true
            }
            set(n, .drained)
        }
    }

    /// Whether a drain stopped this engine (as opposed to its node being lost).
    func isStopped(_ engine: ReplicaEngine) -> Bool {
        guard let e = engines.firstIndex(where: { $0 === engine }) else { return false }
        return control.stopped.contains(e)
    }

    /// Lifecycles that changed since the last call, for the next sample.
    func takeLifecycleChanges() -> [NodeID: NodeLifecycle] {
        defer { control.changed.removeAll() }
        var out: [NodeID: NodeLifecycle] = [:]
        for n in control.changed { out[topology.nodes[n].id] = control.lifecycles[n] ?? .active }
        return out
    }

    private func set(_ n: Int, _ lifecycle: NodeLifecycle) {
        control.lifecycles[n] = lifecycle == .active ? nil : lifecycle
        control.changed.insert(n)
    }

    private func index(_ node: NodeID) throws -> Int {
        guard let n = topology.nodeIndex(of: node) else {
            throw SimulatedControlError(description: "the simulated cluster has no node \(node)")
        }
        return n
    }
}

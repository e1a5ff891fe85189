/// The checks an operator action passes before any node changes state, and the states it leads to.
///
/// Order of checks: the nodes exist, a drain has a reason, the preview is not stale, every node can
/// take the transition; then, for a drain without force: reachability, max_unavailable and each
/// model's min_available. The first failure is returned, so the operator fixes one thing at a time.
public enum DrainPolicy {
    /// The new state of every requested node, or the first reason to refuse.
    public static func evaluate(
        _ request: OperationRequest, in snapshot: LifecycleSnapshot, rules: SafetyRules = .standard
    ) -> Result<[NodeID: NodeLifecycleState], LifecycleRefusal> {
        let nodes = unique(request.nodes)
        guard !nodes.isEmpty else { return .failure(.noNodes) }
        if let unknown = nodes.first(where: { snapshot.topology.node($0) == nil }) {
            return .failure(.unknownNode(unknown))
        }
        if request.operation.needsReason && request.reason.allSatisfy(\.isWhitespace) {
            return .failure(.missingReason)
        }
        if let madeFrom = request.madeFrom {
            let current = snapshot.fingerprint(scope: nodes)
            if madeFrom != current { return .failure(.stalePlan(madeFrom: madeFrom, current: current)) }
        }
        var next: [NodeID: NodeLifecycleState] = [:]
        for node in nodes {
            switch snapshot.state(of: node).applying(request.operation, to: node) {
            case .success(let state): next[node] = state
            case .failure(let refusal): return .failure(refusal)
            }
        }
        if case .drain = request.operation, !request.force {
            if let refusal = safetyRefusal(draining: nodes, in: snapshot, rules: rules) { return .failure(refusal) }
        }
        return .success(next)
    }

    /// Why draining `nodes` is unsafe, or nil when it is safe.
    public static func safetyRefusal(
        draining nodes: [NodeID], in snapshot: LifecycleSnapshot, rules: SafetyRules
    ) -> LifecycleRefusal? {
        if let lost = nodes.first(where: { snapshot.unreachable.contains($0) }) { return .unreachable(lost) }
        let requested = Set(nodes)
        let already = snapshot.states.filter { $0.value.isUnavailable && !requested.contains($0.key) }
            .map(\.key).sorted()
        let newlyOut = nodes.filter { !snapshot.state(of: $0).isUnavailable }
        if !newlyOut.isEmpty && already.count + nodes.count > rules.maxUnavailable {
            return .tooManyUnavailable(
                requested: nodes, alreadyUnavailable: already, maxUnavailable: rules.maxUnavailable)
        }
        return minAvailableRefusal(draining: requested, already: Set(already), in: snapshot, rules: rules)
    }

    /// The first model (by name) that the drain would drop below its min_available.
    static func minAvailableRefusal(
        draining requested: Set<NodeID>, already: Set<NodeID>, in snapshot: LifecycleSnapshot, rules: SafetyRules
    ) -> LifecycleRefusal? {
        var remaining: [String: Int] = [:]
        var losing: [String: Int] = [:]
        for replica in snapshot.replicas {
            let model = replica.id.model
            let onAlreadyOut = replica.shards.contains { already.contains($0.gpu.node) }
            let available = snapshot.serving.contains(replica.id) && !onAlreadyOut
            if remaining[model] == nil { remaining[model] = 0 }
            guard available else { continue }
            if replica.shards.contains(where: { requested.contains($0.gpu.node) }) {
                losing[model, default: 0] += 1
            } else {
                remaining[model, default: 0] += 1
            }
        }
        for model in losing.keys.sorted() {
            let left = remaining[model] ?? 0
            let minimum = rules.minAvailable(for: model)
            if left < minimum {
                let nodes = requested.sorted()
                return .belowMinAvailable(model: model, remaining: left, minAvailable: minimum, nodes: nodes)
            }
        }
        return nil
    }

    private static func unique(_ nodes: [NodeID]) -> [NodeID] {
        var seen = Set<NodeID>()
        return nodes.filter { seen.insert($0).inserted }
    }
}

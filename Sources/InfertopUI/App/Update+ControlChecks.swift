import InfertopCore

// MARK: - Each mutating command's checks, ending in its dialog or in the sentence that refuses it

/// Cordon, uncordon or drain: the nodes resolved, a plan for `--evacuate`, then `DrainPolicy`.
func nodeDialog(
    _ model: Model, _ operation: NodeOperation, kind: OperationKind, _ named: [NodeID], reason: String,
    snapshot: LifecycleSnapshot, state: ClusterState
) -> Result<ConfirmDialog, ControlRefusal> {
    let verb = kind.description.split(separator: " ").first.map(String.init) ?? "drain"
    guard let nodes = targetNodes(model, named: named) else {
        return .failure(
            ControlRefusal("\(verb) needs a node: name one (:\(verb) node-07), mark some with space, or select one"))
    }
    var force = false
    var plan: RebalancePlan?
    var rules = model.safetyRules
    if case .drain(let evacuate, let forced) = kind {
        force = forced
        if evacuate {
            guard nodes.count == 1 else {
                return .failure(ControlRefusal("drain --evacuate takes one node at a time: its plan empties one node"))
            }
            switch RebalancePlanner(RebalanceInput(state)).plan(.evacuate(nodes[0])) {
            case .failure(let refusal): return .failure(ControlRefusal(refusal.description))
            case .success(let made):
                plan = made
                // With every replica placed elsewhere first, make-before-break keeps each model's
                // serving count, so min_available holds; max_unavailable and reachability still apply.
                if made.isComplete {
                    rules.minAvailable = [:]
                    rules.defaultMinAvailable = 0
                }
            }
        }
    }
    let request = OperationRequest(operation, nodes: nodes, reason: reason, force: force)
    switch DrainPolicy.evaluate(request, in: snapshot, rules: rules) {
    case .failure(let refusal):
        return .failure(ControlRefusal(refusal.description))
    case .success(let next):
        let control = ControlRequest(
            id: model.pendingOperationID, kind: kind, targets: nodes, reason: reason, force: force, plan: plan,
            madeFrom: snapshot.fingerprint(scope: nodes))
        return .success(.nodes(control, next: next, snapshot: snapshot, arrow: model.arrow))
    }
}

/// Rebalance: the goal's subject resolved, the plan made; a plan that moves nothing is refused.
func rebalanceDialog(
    _ model: Model, _ target: RebalanceTarget, reason: String, snapshot: LifecycleSnapshot, state: ClusterState
) -> Result<ConfirmDialog, ControlRefusal> {
    let goal: RebalanceGoal
    switch target {
    case .relieve(let gpu):
        guard let gpu = gpu ?? model.selectedGPU else {
            return .failure(
                ControlRefusal("rebalance --relieve needs NODE:GPU, e.g. node-10:6, or a GPU selected in 2"))
        }
        goal = .relieve(gpu)
    case .evacuate(let node):
        guard let node = node ?? targetNodes(model, named: []).flatMap({ $0.count == 1 ? $0[0] : nil }) else {
            return .failure(ControlRefusal("rebalance --evacuate needs one node: name it, or mark or select one"))
        }
        goal = .evacuate(node)
    case .move(let replica):
        let marked = model.markedReplicas.count == 1 ? model.markedReplicas.first : nil
        guard let replica = replica ?? marked ?? (model.view == .shards ? model.selectedReplica : nil) else {
            return .failure(
                ControlRefusal("rebalance --move needs MODEL/N, e.g. llama-405b/5, or one replica marked in 5"))
        }
        goal = .move(replica)
    }
    let plan: RebalancePlan
    switch RebalancePlanner(RebalanceInput(state)).plan(goal) {
    case .failure(let refusal): return .failure(ControlRefusal(refusal.description))
    case .success(let made): plan = made
    }
    guard !plan.moves.isEmpty else {
        return .failure(
            ControlRefusal(plan.unplaced.first?.reason ?? "\(goal) moves nothing: there is nothing to apply"))
    }
    var nodes = Set<NodeID>()
    for move in plan.moves { nodes.formUnion(move.fromGPUs.map(\.node) + move.toGPUs.map(\.node)) }
    let request = ControlRequest(
        id: model.pendingOperationID, kind: .applyPlan(goal: goal.description), targets: nodes.sorted(),
        reason: reason, plan: plan, madeFrom: plan.madeFrom)
    return .success(.plan(request, plan: plan, arrow: model.arrow))
}

/// Cancel: the operation must be in the journal and still running; a drain's nodes go back to CORDONED.
func cancelDialog(
    _ model: Model, _ id: OperationID, reason: String, snapshot: LifecycleSnapshot
) -> Result<ConfirmDialog, ControlRefusal> {
    guard let record = model.operations.first(where: { $0.id == id }) else {
        return .failure(ControlRefusal("\(id) is not in the journal: 6 lists the operations"))
    }
    guard !record.status.isFinished else {
        return .failure(ControlRefusal("\(id) has already finished (\(record.status)): there is nothing to cancel"))
    }
    var next: [NodeID: NodeLifecycleState] = [:]
    if case .drain = record.kind {
        switch DrainPolicy.evaluate(
            OperationRequest(.cancelDrain, nodes: record.targets), in: snapshot, rules: model.safetyRules)
        {
        case .failure(let refusal): return .failure(ControlRefusal(refusal.description))
        case .success(let states): next = states
        }
    }
    let request = ControlRequest(
        id: model.pendingOperationID, kind: .cancel(id), targets: record.targets, reason: reason,
        madeFrom: snapshot.fingerprint(scope: record.targets))
    return .success(.cancel(request, record: record, next: next, snapshot: snapshot, arrow: model.arrow))
}

/// The nodes a command acts on: those named, else the marked ones, else the selected one.
func targetNodes(_ model: Model, named: [NodeID]) -> [NodeID]? {
    if !named.isEmpty { return named }
    if !model.markedNodes.isEmpty { return model.markedNodes.sorted() }
    return selectedNode(model).map { [$0] }
}

/// The node the screen points at: the open detail, the selected GPU's node in 2, the selected
/// replica's first node in 5, else the selected node.
func selectedNode(_ model: Model) -> NodeID? {
    if let node = model.node { return node }
    switch model.view {
    case .memory: return model.selectedGPU?.node
    case .shards:
        let replica = model.selectedReplica.flatMap { id in model.shown?.replicas.first { $0.id == id } }
        return replica?.nodes.first
    default: return model.selectedNode
    }
}

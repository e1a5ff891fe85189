import InfertopCore

// MARK: - What a dialog says: the impact of a request, in sections of plain sentences

extension ConfirmDialog {
    /// The dialog of a cordon, uncordon or drain: what happens to the nodes and to each replica on them.
    ///
    /// - Parameters:
    ///   - next: each node's state after the operation, as `DrainPolicy.evaluate` returned it.
    ///   - arrow: `→`, or `->` on an ASCII screen.
    static func nodes(
        _ request: ControlRequest, next: [NodeID: NodeLifecycleState], snapshot: LifecycleSnapshot, arrow: String
    ) -> ConfirmDialog {
        let targets = Set(request.targets)
        let names = LifecycleWords.list(request.targets.map(\.name))
        var lead: [String] = []
        var evacuate = false
        var title = request.kind.description.uppercased()
        let leaves = request.targets.count == 1 ? "leaves" : "leave"
        switch request.kind {
        case .cordon:
            lead.append(
                "\(names) \(takes(request.targets)) no new placements; the replicas on \(it(request.targets)) keep serving."
            )
        case .uncordon:
            lead.append("\(names) \(takes(request.targets)) placements again.")
        case .drain(let ev, let force):
            evacuate = ev
            title = "DRAIN"
            lead.append(
                ev
                    ? "The replicas start elsewhere first (make-before-break); then \(names) \(leaves) the router and the old copies stop."
                    : "\(names) \(leaves) the router: requests in flight finish, then the replicas stop.")
            if force { lead.append("--force: min_available, max_unavailable and reachability are not checked.") }
        default:
            break
        }
        let states = request.targets.map { node in
            "\(node) \(snapshot.state(of: node)) \(arrow) \(next[node].map { "\($0)" } ?? "?")"
        }
        let why = request.reason.isEmpty ? "why: no reason given" : "why: \(request.reason)"
        var sections = [DialogSection(nil, lead), DialogSection(nil, states, packed: true), DialogSection(nil, [why])]
        let affected = snapshot.replicas.filter { $0.shards.contains { targets.contains($0.gpu.node) } }
            .sorted { $0.id < $1.id }
        var serving: [String: Int] = [:]
        var leaving: [String: Int] = [:]
        for replica in snapshot.replicas where snapshot.serving.contains(replica.id) {
            serving[replica.id.model, default: 0] += 1
            if affected.contains(where: { $0.id == replica.id }) { leaving[replica.id.model, default: 0] += 1 }
        }
        let moves = Dictionary(request.plan?.moves.map { ($0.replica, $0) } ?? [], uniquingKeysWith: { a, _ in a })
        let lines = affected.map { replica -> String in
            if let move = moves[replica.id] {
                return
                    "\(replica.id) \(replica.layout) \(GPUText.words(move.fromGPUs)) \(arrow) \(GPUText.words(move.toGPUs))"
                    + " from \(move.loadSource), ~\(Format.age(move.estimatedSeconds))"
            }
            let head = "\(replica.id) \(replica.layout) on \(replica.nodes.map(\.name).joined(separator: ",")): "
            guard case .drain = request.kind else { return head + "keeps serving" }
            let model = replica.id.model
            let kept = (serving[model] ?? 0) - (leaving[model] ?? 0)
            return head + (evacuate ? "not placed, stops; " : "stops; ")
                + "\(model) keeps \(kept) of \(serving[model] ?? 0) serving"
        }
        sections.append(DialogSection("Replicas affected (\(affected.count))", lines.isEmpty ? ["none"] : lines))
        if let plan = request.plan { sections += planSections(plan, arrow: arrow, listMoves: false) }
        let shown = request.targets.count == 1 ? names : "\(request.targets.count) nodes: \(names)"
        return ConfirmDialog(
            request: request, title: "\(title) \(shown)", sections: sections, expected: expected(request.targets))
    }

    /// The dialog of a rebalance: the plan's moves, memory before and after, capacity and what stays put.
    static func plan(_ request: ControlRequest, plan: RebalancePlan, arrow: String) -> ConfirmDialog {
        var lead = ["Moves whole replicas make-before-break: the new copy serves before the old one stops."]
        lead.append(request.reason.isEmpty ? "why: no reason given" : "why: \(request.reason)")
        return ConfirmDialog(
            request: request, title: "REBALANCE \(plan.goal)",
            sections: [DialogSection(nil, lead)]
                + planSections(plan, arrow: arrow), expected: "rebalance")
    }

    /// The dialog of a cancel: the operation, where it stands, and where its nodes go back to.
    static func cancel(
        _ request: ControlRequest, record: OperationRecord, next: [NodeID: NodeLifecycleState],
        snapshot: LifecycleSnapshot, arrow: String
    ) -> ConfirmDialog {
        var lead = [
            "\(record.id) \(record.kind) \(record.targets.map(\.name).joined(separator: " ")) stops where it stands."
        ]
        lead.append("asked by \(record.requestedBy): \(record.reason.isEmpty ? "no reason given" : record.reason)")
        if let step = record.currentStep {
            lead.append("now at: \(step.name)" + (step.detail.isEmpty ? "" : " (\(step.detail))"))
        }
        lead.append(request.reason.isEmpty ? "why cancel: no reason given" : "why cancel: \(request.reason)")
        var sections = [DialogSection(nil, lead)]
        if !next.isEmpty {
            let states = next.keys.sorted().map {
                "\($0) \(snapshot.state(of: $0)) \(arrow) \(next[$0].map { "\($0)" } ?? "?")"
            }
            sections.append(DialogSection("Lifecycle", states, packed: true))
        }
        return ConfirmDialog(
            request: request, title: "CANCEL \(record.id) (\(record.kind))", sections: sections,
            expected: record.id.rawValue)
    }

    /// A plan as the operator checks it: the moves, memory per GPU, least capacity, unplaced replicas.
    ///
    /// - Parameter listMoves: false where the replicas affected already say where each one goes.
    static func planSections(_ plan: RebalancePlan, arrow: String, listMoves: Bool = true) -> [DialogSection] {
        let impact = plan.impact
        let count = plan.moves.count == 1 ? "1 move" : "\(plan.moves.count) moves"
        let summary =
            "\(count), \(Format.gib(impact.bytesToLoad)) GiB to load, about \(Format.age(impact.estimatedSeconds))"
        let moves = plan.moves.map { move in
            "\(move.replica): \(GPUText.words(move.fromGPUs)) \(arrow) \(GPUText.words(move.toGPUs))"
                + " from \(move.loadSource), ~\(Format.age(move.estimatedSeconds))"
        }
        let memory = GPUText.memoryChanges(impact.memory, arrow: arrow, capacity: true)
        let capacity = impact.capacity.map { "\($0.model) \($0.servingNow)\(arrow)\($0.servingAtWorst)" }
        let dips = impact.capacity.contains { $0.servingAtWorst < $0.servingNow }
        var sections = [
            DialogSection(
                "Plan \(plan.goal): \(summary)", !listMoves ? [] : moves.isEmpty ? ["nothing to move"] : moves)
        ]
        if !memory.isEmpty {
            sections.append(DialogSection("Memory per GPU, GiB before\(arrow)after/capacity", memory, packed: true))
        }
        if !capacity.isEmpty {
            sections.append(
                DialogSection(
                    "Serving replicas now\(arrow)least during the move", capacity, packed: true,
                    role: dips ? .warn : .text))
        }
        if !plan.unplaced.isEmpty {
            sections.append(
                DialogSection("Not placed (\(plan.unplaced.count))", plan.unplaced.map(\.reason), role: .crit))
        }
        return sections
    }

    /// `node-07`, or `3 nodes` when there are several.
    static func expected(_ targets: [NodeID]) -> String {
        targets.count == 1 ? targets[0].name : "\(targets.count) nodes"
    }

    private static func takes(_ nodes: [NodeID]) -> String { nodes.count == 1 ? "takes" : "take" }
    private static func it(_ nodes: [NodeID]) -> String { nodes.count == 1 ? "it" : "them" }
}

/// Small wording helpers shared by the dialogs and views of operations.
enum LifecycleWords {
    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        guard items.count > 1 else { return last }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}

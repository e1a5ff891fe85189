import InfertopCore
import InfertopUI

extension Fixtures {
    /// The spare-node cluster (`spareNodeModel`) with a journal and an audit log, as views 5 and 6 show them.
    ///
    /// node-07 is DRAINING under op-1, which waits for requests in flight on llama-405b/3; node-13 was
    /// cordoned by op-2; op-3 applies the plan that relieves node-10 gpu6 (its first step done, the
    /// load running), and that plan is the preview. The audit log adds a viewer's denied drain and a
    /// refused drain of node-16, which would leave llama-8b with no serving replica.
    public static func controlModel(size: Size, glyphs: Glyphs = .unicode) -> Model {
        var model = spareNodeModel(size: size, glyphs: glyphs)
        guard var state = model.live else { return model }
        for (n, node) in state.topology.nodes.enumerated() {
            if node.id == "node-07" { state.nodeStatus[n].lifecycle = .draining }
            if node.id == "node-13" { state.nodeStatus[n].lifecycle = .cordoned }
        }
        _ = update(&model, .cluster(.snapshot(state, sequence: 2)))
        let plan = try? RebalancePlanner(RebalanceInput(state)).plan(.relieve(GPUID(node: "node-10", index: 6))).get()
        model.preview = plan
        _ = update(&model, .operationsUpdated(operations(plan: plan)))
        _ = update(&model, .auditUpdated(audit(plan: plan)))
        return model
    }

    /// The simulated cluster (seed 7, t=70) with node-12 spare: its two llama-70b replicas gone and
    /// its GPUs idle, so a plan has somewhere to go (in the simulator every GPU holds an engine
    /// whose KV pool fills its memory, and no plan can place anything).
    public static func spareNodeModel(size: Size, glyphs: Glyphs = .unicode) -> Model {
        var model = Fixtures.model(at: 70, size: size, glyphs: glyphs)
        guard let state = model.live, let n = state.topology.nodeIndex(of: "node-12") else { return model }
        let spare = state.topology.nodes[n].id
        let kept = state.replicas.filter { !$0.nodes.contains(spare) }
        var next = state.rebuilt(topology: state.topology, replicas: kept)
        for g in next.gpuSamples[n].indices {
            guard var sample = next.gpuSamples[n][g] else { continue }
            sample.memory = .empty(capacityBytes: sample.memory.capacityBytes)
            sample.memory.otherBytes = 600 << 20
            sample.utilization = 0
            sample.runningRequests = 0
            sample.waitingRequests = 0
            sample.preemptionsPerSecond = 0
            next.gpuSamples[n][g] = sample
        }
        _ = update(&model, .cluster(.snapshot(next, sequence: 1)))
        return model
    }

    /// op-1 drains node-07 (waiting), op-2 cordoned node-13 (done), op-3 applies `plan` (loading).
    public static func operations(plan: RebalancePlan?) -> [OperationRecord] {
        let drain = OperationRecord(
            id: OperationID("op-1"), kind: .drain(evacuate: false, force: false), targets: ["node-07"],
            requestedBy: "alice", reason: "ECC errors on gpu3", createdAt: 40, status: .running,
            steps: [
                OperationStep(name: "cordon node-07", state: .done, startedAt: 40, endedAt: 40.2),
                OperationStep(
                    name: "remove llama-405b/3 from the router", state: .done, startedAt: 40.2, endedAt: 41.1,
                    detail: "DELETE /workers: 202"),
                OperationStep(
                    name: "wait for requests in flight on llama-405b/3", state: .waiting, startedAt: 41.1,
                    detail: "3 requests in flight (engine count); deadline 00:10:40"),
                OperationStep(name: "stop llama-405b/3"),
                OperationStep(name: "confirm memory freed on node-07 gpu0-7 + node-08 gpu0-7")
            ])
        let cordon = OperationRecord(
            id: OperationID("op-2"), kind: .cordon, targets: ["node-13"], requestedBy: "bob",
            reason: "firmware update tonight", createdAt: 25, status: .succeeded,
            steps: [OperationStep(name: "cordon node-13", state: .done, startedAt: 25, endedAt: 25.3)])
        guard let plan else { return [drain, cordon] }
        // Every step before the load is done, 0.2 s each from 63 s; the load is running.
        let planSteps = plan.moves.flatMap(\.steps)
        var steps = planSteps.map { OperationStep(name: $0.description) }
        let load = planSteps.firstIndex { if case .launchAndLoad = $0 { true } else { false } } ?? 0
        for i in 0..<min(load, steps.count) {
            steps[i].state = .done
            steps[i].startedAt = 63 + 0.2 * Double(i)
            steps[i].endedAt = 63 + 0.2 * Double(i + 1)
        }
        if load < steps.count {
            steps[load].state = .running
            steps[load].startedAt = 63 + 0.2 * Double(load)
            steps[load].detail = "96.0 of \(Format.gib(plan.impact.bytesToLoad)) GiB loaded"
        }
        var nodes = Set<NodeID>()
        for move in plan.moves { nodes.formUnion(move.fromGPUs.map(\.node) + move.toGPUs.map(\.node)) }
        let apply = OperationRecord(
            id: OperationID("op-3"), kind: .applyPlan(goal: plan.goal.description), targets: nodes.sorted(),
            requestedBy: "alice", reason: "KV full on gpu6", createdAt: 63, status: .running, steps: steps)
        return [drain, cordon, apply]
    }

    /// Every call behind `operations`, plus a viewer's denied drain, a refused drain and a retry.
    public static func audit(plan: RebalancePlan?) -> [AuditRecord] {
        let refusal = LifecycleRefusal.belowMinAvailable(
            model: "llama-8b", remaining: 0, minAvailable: 1, nodes: ["node-16"])
        var records = [
            AuditRecord(
                time: 25, requestedBy: "bob", role: "operator", call: "cordon node-13",
                reason: "firmware update tonight", operation: OperationID("op-2"), result: "accepted"),
            AuditRecord(
                time: 40, requestedBy: "alice", role: "operator", call: "drain node-07",
                reason: "ECC errors on gpu3", operation: OperationID("op-1"), result: "accepted"),
            AuditRecord(
                time: 52, requestedBy: "carol", role: "viewer", call: "drain node-16", reason: "testing",
                operation: nil, result: "denied: a viewer token may not change the cluster"),
            AuditRecord(
                time: 58, requestedBy: "alice", role: "operator", call: "drain node-16",
                reason: "free llama-8b GPUs", operation: nil, result: "refused: \(refusal)"),
            AuditRecord(
                time: 66, requestedBy: "alice", role: "operator", call: "drain node-07",
                reason: "ECC errors on gpu3", operation: OperationID("op-1"), result: "retry: same result")
        ]
        if let plan {
            records.append(
                AuditRecord(
                    time: 63, requestedBy: "alice", role: "operator", call: "rebalance \(plan.goal)",
                    reason: "KV full on gpu6", operation: OperationID("op-3"), result: "accepted"))
        }
        return records
    }
}

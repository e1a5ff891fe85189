import Foundation
import InfertopCore
import InfertopSim
import InfertopTestSupport
import Testing

@testable import InfertopAgent

/// Rebalance plans carried out by the coordinating agent on the simulated fleet: the plan is
/// made again from the agent's view and held to the state the operator previewed, its steps are
/// journaled as data and carried out make-before-break, and an executor that cannot move
/// replicas refuses plans outright.
@Suite(.serialized) struct ControlCenterPlanTests {
    static let goal = RebalanceGoal.relieve(GPUID(node: "node-10", index: 6))

    /// The demo's 17-node fleet, started at its first incident (llama-405b/5 starving on node-10).
    static func rig() throws -> ControlCenterTests.Rig {
        try ControlCenterTests.Rig(config: SimulationConfig(seed: 7), speed: 50, warmupSeconds: 70)
    }

    /// The planner's input once the fleet has published its first reading.
    static func input(_ rig: ControlCenterTests.Rig) async throws -> RebalanceInput {
        var input: RebalanceInput?
        try await poll(
            "the fleet's first plan input", timeout: .seconds(120), every: .milliseconds(10),
            diagnostics: { "none yet" }
        ) {
            input = rig.fleet.control.planInput
            return input != nil
        }
        return input!
    }

    static func call(_ id: String, madeFrom: StateFingerprint) -> ControlCall {
        ControlCall(
            id: OperationID(id), kind: .applyPlan(goal: goal.description), nodes: [], reason: "KV starved",
            madeFrom: madeFrom, goal: goal)
    }

    @Test(.timeLimit(.minutes(5))) func aPreviewedPlan_runsMakeBeforeBreak_andTheReplicaServesFromTheSpare()
        async throws
    {
        let rig = try Self.rig()
        let center = try rig.center(fleetClock: true)
        let plan = try RebalancePlanner(try await Self.input(rig)).plan(Self.goal).get()
        #expect(plan.moves.first?.toGPUs.allSatisfy { $0.node == "node-17" } == true)
        let accepted = try await center.submit(
            Self.call("relieve-1", madeFrom: plan.madeFrom), by: ControlCenterTests.alice
        ).get()
        #expect(accepted.steps.map(\.name) == plan.moves.flatMap(\.steps).map(\.description))
        #expect(accepted.targets == ["node-10", "node-17"])
        // The journal holds the steps as data: a restarted agent reads back the same plan.
        let journaled = try #require(try OperationJournal(path: rig.folder + "journal.jsonl").record("relieve-1"))
        #expect(journaled.moves == plan.moves.flatMap(\.steps))
        let done = try #require(await center.wait(for: "relieve-1"))
        #expect(done.status == .succeeded, "\(done.steps.map { "\($0.name): \($0.state) \($0.detail)" })")
        let moved = try #require(rig.fleet.control.replicas.first { $0.id == ReplicaID(model: "llama-405b", index: 5) })
        #expect(moved.nodes == ["node-17"])
        let applied = rig.fleet.control.applied
        #expect(applied.filter { $0.hasPrefix("launch") }.count == 1, "\(applied)")
        #expect(applied.filter { $0.hasPrefix("stop") }.count == 1, "\(applied)")
        #expect(!applied.contains { $0.contains("failed") }, "\(applied)")
        // Lifecycles are untouched: a rebalance moves replicas, not nodes.
        #expect(NodeLifecycle.from(operations: center.journal.records, node: "node-10") == .active)
        await rig.stop()
    }

    @Test(.timeLimit(.minutes(5)))
    func aPlanFromAnOlderState_isRefusedSayingSo_andAnExecutorThatCannotMove_refusesPlans()
        async throws
    {
        let rig = try Self.rig()
        let center = try rig.center(fleetClock: true)
        let plan = try RebalancePlanner(try await Self.input(rig)).plan(Self.goal).get()
        let previewed = StateFingerprint(value: plan.madeFrom.value ^ 1)
        let stale = await center.submit(Self.call("relieve-old", madeFrom: previewed), by: ControlCenterTests.alice)
        guard case .failure(.refused(.stalePlan)) = stale else {
            throw ControlCenterTests.Failure("not refused as stale: \(stale)")
        }
        #expect(
            "\(stale)".contains("made from cluster state \(previewed)") && "\(stale)".contains("now \(plan.madeFrom)"))
        #expect("\(stale)".contains("preview it again"))
        #expect(center.journal.records.isEmpty, "nothing journaled")
        #expect(center.audit.recent.last?.result.hasPrefix("refused") == true)
        #expect(rig.fleet.control.applied.isEmpty)
        let slurm = try rig.center(
            executor: SlurmNodeExecutor(slurm: SlurmExecutor(runner: ProcessCommandRunner(), scontrol: "/bin/false")))
        let unmovable = await slurm.submit(
            Self.call("relieve-slurm", madeFrom: plan.madeFrom), by: ControlCenterTests.alice)
        guard case .failure(.cannotApply(let why)) = unmovable else {
            throw ControlCenterTests.Failure("not refused: \(unmovable)")
        }
        #expect(why.contains("slurm executor cannot start or stop replicas"), "\(why)")
        await rig.stop()
    }
}

import ArgumentParser
import Foundation
import InfertopCore
import InfertopWire

/// `infertop ctl plan`: the rebalance plan the dashboard previews, made from the agents' state
/// and printed, for runbooks and reviews. A plan changes nothing.
extension CtlCommand {
    /// The one goal `--relieve`, `--evacuate` or `--move` names.
    func goal() throws -> RebalanceGoal {
        let given = [("--relieve", relieve), ("--evacuate", evacuate), ("--move", move)].compactMap { flag, subject in
            subject.map { (flag, $0) }
        }
        guard given.count == 1, let (flag, subject) = given.first else {
            throw ValidationError("plan needs one of --relieve NODE:GPU, --evacuate NODE or --move MODEL/N")
        }
        switch RebalanceGoal.parse(flag: flag, subject: subject) {
        case .success(let goal): return goal
        case .failure(let error): throw ValidationError(error.description)
        }
    }

    func plan(_ endpoints: [AgentEndpoint]) async throws {
        let plan = try await madePlan(endpoints)
        print(output == "json" ? PlanText.json(plan) : PlanText.lines(plan))
        if !plan.isComplete { throw ExitCode(1) }
    }

    /// `ctl apply`: the plan made and shown as `ctl plan` does, then sent to the coordinator, which
    /// makes it again from its own view and refuses it when that is not the state it was made
    /// from (`--made-from` names the state of an earlier preview).
    func apply(_ endpoints: [AgentEndpoint], _ client: ControlClient) async throws {
        if let previewed = madeFrom.flatMap({ UInt64($0, radix: 16) }).map(StateFingerprint.init(value:)) {
            // Previewed earlier (the dashboard, `ctl plan`): the coordinator holds it to that state.
            let goal = try goal()
            return try await send(
                .applyPlan(goal: goal.description), nodes: [], call: "rebalance \(goal)", madeFrom: previewed,
                goal: goal,
                client)
        }
        let plan = try await madePlan(endpoints)
        if output == "text" { print(PlanText.lines(plan)) }
        try await send(
            .applyPlan(goal: plan.goal.description), nodes: [], call: "rebalance \(plan.goal)", madeFrom: plan.madeFrom,
            goal: plan.goal, client)
    }

    /// The plan for the goal the flags name, from the agents' state now.
    private func madePlan(_ endpoints: [AgentEndpoint]) async throws -> RebalancePlan {
        let goal = try goal()
        let (state, silent) = await ClusterReading.read(endpoints, timeout: .seconds(20))
        if !silent.isEmpty {
            FileHandle.standardError.write(
                Data(
                    "infertop ctl: plan: no state from \(silent.joined(separator: ", ")); planning without them\n".utf8)
            )
        }
        switch RebalancePlanner(RebalanceInput(state)).plan(goal) {
        case .failure(let refusal):
            FileHandle.standardError.write(Data("infertop ctl: plan \(goal): \(refusal)\n".utf8))
            throw ExitCode(1)
        case .success(let plan):
            return plan
        }
    }
}

/// One look at the cluster through the agents: their merged state once every agent has
/// answered, or when `timeout` passes (with the agents that stayed silent).
enum ClusterReading {
    static func read(_ endpoints: [AgentEndpoint], timeout: Duration) async -> (ClusterState, silent: [String]) {
        var state = ClusterState(topology: Topology(nodes: []), replicas: [])
        let deadline = ContinuousClock.now.advanced(by: timeout)
        // The feed ticks twice a second, so the deadline is looked at even when no agent answers.
        for await update in AgentsFeed(endpoints: endpoints) {
            state.apply(update)
            let live = state.sources.values.filter { source in
                source.state.isLive && source.node.map { state.topology.nodeIndex(of: $0) != nil } == true
            }.count
            if live == endpoints.count || ContinuousClock.now >= deadline { break }
        }
        let silent = endpoints.map(\.description).filter { state.sources[$0]?.state.isLive != true }
        return (state, silent)
    }
}

import InfertopCore

/// A system that can carry out a plan's make-before-break steps (start a replica's copy on
/// other GPUs, route to it, drain and stop the old one): the simulator today.
///
/// Like every executor step, each must be idempotent: check, then act.
public protocol ReplicaMover: Sendable {
    /// Carries out one step, or says what it waits for (asked again after a pause).
    func perform(_ step: MoveStep) async throws -> OperationRunner.StepOutcome
}

extension ControlCenter {
    /// The plan a rebalance call asks for, made again from this coordinator's own view and held
    /// to the state the operator previewed.
    func plan(for call: ControlCall) -> Result<RebalancePlan, ControlRefusal> {
        guard let goal = call.goal else { return .failure(.invalid("a rebalance call names no goal")) }
        guard executor is any ReplicaMover else {
            return .failure(
                .cannotApply(
                    "the \(executor.name) executor cannot start or stop replicas, so plans can only be previewed here"))
        }
        guard let madeFrom = call.madeFrom else {
            return .failure(
                .invalid("a rebalance needs the fingerprint of the state its plan was previewed from (made_from)"))
        }
        guard let input = planInput() else {
            return .failure(
                .unavailable("the agent has no view of the cluster's memory yet; try again in a few seconds"))
        }
        let plan: RebalancePlan
        switch RebalancePlanner(input).plan(goal) {
        case .failure(let refusal): return .failure(.invalid(refusal.description))
        case .success(let made): plan = made
        }
        // The plan made here is of the current state; the caller's was of `madeFrom`.
        guard plan.madeFrom == madeFrom else {
            return .failure(.refused(.stalePlan(madeFrom: madeFrom, current: plan.madeFrom)))
        }
        if let first = plan.unplaced.first {
            let more = plan.unplaced.count > 1 ? " (and \(plan.unplaced.count - 1) more)" : ""
            return .failure(.cannotApply("rebalance \(goal) cannot place every replica\(more): \(first.reason)"))
        }
        guard !plan.moves.isEmpty else { return .failure(.invalid("rebalance \(goal) moves nothing")) }
        return .success(plan)
    }

    /// Carries out a journaled plan step with the executor.
    func perform(move step: MoveStep) async throws -> OperationRunner.StepOutcome {
        guard let mover = executor as? any ReplicaMover else {
            throw ControlRefusal.cannotApply("the \(executor.name) executor cannot move replicas")
        }
        return try await mover.perform(step)
    }
}

import InfertopCore

/// One step of an operation as the executor carries it out; `ControlCenter.steps(for:)` names
/// them in the same order, so a journaled step index always means the same action.
enum StepAction: Sendable, Hashable {
    case cordon(NodeID)
    case uncordon(NodeID)
    case drain(NodeID)
    case waitDrained(NodeID)
    case cancel(OperationID)
    /// A rebalance plan's step.
    case move(MoveStep)

    var name: String {
        switch self {
        case .move(let step): step.description
        case .cordon(let node): "cordon \(node)"
        case .uncordon(let node): "uncordon \(node)"
        case .drain(let node): "drain \(node): out of the router"
        case .waitDrained(let node): "wait for \(node)'s requests in flight"
        case .cancel(let id): "cancel \(id)"
        }
    }
}

/// A drain that passed its deadline with requests still in flight.
struct DrainStalled: Error, CustomStringConvertible {
    let node: NodeID
    let inFlight: Int
    var description: String { "\(node) still has \(inFlight) requests in flight after the deadline" }
}

extension ControlCenter {
    /// Seconds a drain may wait for requests in flight before the operation is STALLED.
    static let drainDeadlineSeconds = 600.0

    static func actions(for kind: OperationKind, targets: [NodeID]) -> [StepAction] {
        switch kind {
        case .cordon: targets.map { .cordon($0) }
        case .uncordon: targets.map { .uncordon($0) }
        case .drain: targets.map { .cordon($0) } + targets.map { .drain($0) } + targets.map { .waitDrained($0) }
        case .cancel(let id): [.cancel(id)]
        case .applyPlan: []
        }
    }

    static func steps(for call: ControlCall) -> [OperationStep] {
        actions(for: call.kind, targets: call.nodes).map { OperationStep(name: $0.name) }
    }

    /// Runs the operation in a task of its own, journaling each step.
    func start(_ record: OperationRecord) {
        let actions =
            record.moves.map { $0.map(StepAction.move) } ?? Self.actions(for: record.kind, targets: record.targets)
        let runner = OperationRunner(journal: journal, pollInterval: pollInterval, now: clock)
        let deadline = record.createdAt + Self.drainDeadlineSeconds
        var logger = self.logger
        logger[metadataKey: "op"] = "\(record.id)"
        let task = Task { [logger] in
            do {
                var finished = try await runner.run(record) { index, step, _ in
                    guard actions.indices.contains(index) else { return .done("nothing to do") }
                    let outcome = try await self.perform(actions[index], record: record, deadline: deadline)
                    if case .done(let detail) = outcome {
                        logger.debug("step done", metadata: ["step": "\(step.name)", "detail": "\(detail)"])
                    }
                    return outcome
                }
                // A drain past its deadline is STALLED, not failed: the operator decides.
                if case .failed = finished.status,
                    let step = finished.steps.first(where: { $0.state == .failed }), step.name.hasPrefix("wait for ")
                {
                    finished.status = .stalled
                    try self.journal.save(finished)
                }
                // A cancel stops this task where it stands: the journal has the final word.
                self.logFinished(self.journal.record(record.id) ?? finished)
            } catch {
                // The journal could not be written: the operation stays as last journaled.
                logger.error(
                    "journal unwritable; the operation stays as last journaled", metadata: ["error": "\(error)"])
            }
        }
        startedTask(record.id, task)
    }

    private func perform(_ action: StepAction, record: OperationRecord, deadline: Double) async throws
        -> OperationRunner.StepOutcome
    {
        switch action {
        case .cordon(let node):
            return .done(try await executor.cordon(node, reason: record.reason, requestedBy: record.requestedBy))
        case .uncordon(let node):
            return .done(try await executor.uncordon(node))
        case .drain(let node):
            return .done(try await executor.drain(node, reason: record.reason, requestedBy: record.requestedBy))
        case .waitDrained(let node):
            switch try await executor.drainProgress(node) {
            case .drained: return .done("\(node) drained")
            case .inFlight(let count):
                if clock() > deadline { throw DrainStalled(node: node, inFlight: count) }
                return .waiting("\(count) requests in flight on \(node)")
            }
        case .move(let step):
            return try await perform(move: step)
        case .cancel(let id):
            guard let target = journal.record(id) else { throw ControlRefusal.invalid("no operation \(id) to cancel") }
            await stopTask(id)
            if var current = journal.record(id), !current.status.isFinished {
                current.status = .cancelled
                try journal.save(current)
            }
            if case .applyPlan = target.kind {
                let done = target.steps.filter { $0.state == .done }.count
                return .done(
                    "\(id) cancelled after \(done) of \(target.steps.count) steps; its copies stay as they are")
            }
            for node in target.targets { _ = try await executor.cancelDrain(node) }
            return .done("\(id) cancelled; \(target.targets.map(\.name).joined(separator: ", ")) cordoned")
        }
    }
}

import InfertopCore

/// Carries an operation's steps out in order on the coordinating agent, writing each change to
/// the journal before going on, so that a restarted agent resumes where it stopped.
///
/// A step is journaled `running` before its side effect and `done` after. A step found `running`
/// on resume may or may not have acted before the agent died, so it runs again with `resuming`
/// set: every step must be idempotent (check, then act: Slurm already DRAIN, the worker already
/// gone from the router), which is how no side effect happens twice.
public struct OperationRunner: Sendable {
    public let journal: OperationJournal
    /// The cluster clock, in seconds, for step times.
    public let now: @Sendable () -> Double
    /// How long to wait before asking a waiting step again.
    public let pollInterval: Duration

    public init(
        journal: OperationJournal, pollInterval: Duration = .milliseconds(500), now: @escaping @Sendable () -> Double
    ) {
        self.journal = journal
        self.pollInterval = pollInterval
        self.now = now
    }

    /// What one step's side effect reports: `done` with what it did, or `waiting` with what it
    /// waits for (the runner asks again).
    public enum StepOutcome: Sendable {
        case done(String)
        case waiting(String)
    }

    /// Runs `record` from its first step not done until it finishes, fails, or is interrupted.
    /// - Parameter perform: the step's side effect; `resuming` is true when the step was already
    ///   started by an earlier run of the agent.
    /// - Returns: the record as last journaled.
    public func run(
        _ record: OperationRecord,
        perform: @Sendable (_ index: Int, _ step: OperationStep, _ resuming: Bool) async throws -> StepOutcome
    ) async throws -> OperationRecord {
        var record = record
        if record.status == .pending {
            record.status = .running
            try journal.save(record)
        }
        while let index = record.steps.firstIndex(where: { $0.state != .done && $0.state != .skipped }) {
            let resuming = record.steps[index].state == .running || record.steps[index].state == .waiting
            if !resuming {
                record.steps[index].state = .running
                record.steps[index].startedAt = now()
                try journal.save(record)
            }
            let outcome: StepOutcome
            do {
                outcome = try await perform(index, record.steps[index], resuming)
            } catch is OperationInterrupted, is CancellationError {
                // As a crash would leave it: the step stays `running` in the journal.
                return record
            } catch {
                record.steps[index].state = .failed
                record.steps[index].endedAt = now()
                record.steps[index].detail = "\(error)"
                record.status = .failed("\(record.steps[index].name): \(error)")
                try journal.save(record)
                return record
            }
            switch outcome {
            case .done(let detail):
                record.steps[index].state = .done
                record.steps[index].endedAt = now()
                record.steps[index].detail = detail
            case .waiting(let detail):
                // Journaled only when what it waits for changes; then asked again after a pause.
                if record.steps[index].detail != detail || record.steps[index].state != .waiting {
                    record.steps[index].state = .waiting
                    record.steps[index].detail = detail
                    try journal.save(record)
                }
                try await Task.sleep(for: pollInterval)
                continue
            }
            try journal.save(record)
        }
        record.status = .succeeded
        try journal.save(record)
        return record
    }
}

/// Thrown by a step to stop the runner where it stands, leaving the operation to be resumed:
/// the agent is shutting down.
public struct OperationInterrupted: Error, Sendable {
    public init() {}
}

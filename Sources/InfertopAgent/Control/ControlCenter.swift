import Foundation
import InfertopCore
import Logging
import Synchronization

/// The coordinating agent's control: checks each call (role, retry, conflicts, the safety rules),
/// writes it to the audit log, journals the operation and carries it out with its executor, in a
/// task of its own that goes on when the dashboard that asked is gone.
///
/// Which agent coordinates: the one the dashboard sends the call to (in a cluster file, the
/// `controller`; in the demo, the in-process agents' control). It needs a view of the whole
/// cluster for the min_available and max_unavailable rules, given by `snapshot`.
public final class ControlCenter: Sendable {
    public let journal: OperationJournal
    public let audit: AuditLog
    public let executor: any NodeExecutor
    public let rules: SafetyRules
    let snapshot: @Sendable () -> LifecycleSnapshot?
    /// What the shard planner reads (memory in use, placement, lifecycles); nil where this
    /// coordinator cannot plan, and rebalance calls are then refused.
    let planInput: @Sendable () -> RebalanceInput?
    let clock: @Sendable () -> Double
    let wallClock: @Sendable () -> Double
    let pollInterval: Duration
    /// Where each operation's events go, with its id as `op`.
    let logger: Logger
    private let running = Mutex<[OperationID: Task<Void, Never>]>([:])
    /// Held while a call is checked and journaled, so two dashboards asking at once for the same
    /// node (or retrying the same id) get one operation between them, never two.
    private let admission = Mutex(())

    public init(
        journal: OperationJournal, audit: AuditLog, executor: any NodeExecutor, rules: SafetyRules = .standard,
        pollInterval: Duration = .milliseconds(250), snapshot: @escaping @Sendable () -> LifecycleSnapshot?,
        planInput: @escaping @Sendable () -> RebalanceInput? = { nil },
        clock: @escaping @Sendable () -> Double, wallClock: @escaping @Sendable () -> Double,
        logger: Logger = Logger(label: "infertop-agent")
    ) {
        self.logger = logger
        self.planInput = planInput
        self.journal = journal
        self.audit = audit
        self.executor = executor
        self.rules = rules
        self.pollInterval = pollInterval
        self.snapshot = snapshot
        self.clock = clock
        self.wallClock = wallClock
    }

    /// Every operation, newest first.
    public var operations: [OperationRecord] { journal.records.reversed() }

    /// Checks, audits, journals and starts `call`; returns the operation (the first one, on a retry).
    public func submit(_ call: ControlCall, by caller: ControlCaller) async -> Result<OperationRecord, ControlRefusal> {
        let outcome = admission.withLock { _ in check(call, by: caller) }
        let result: String
        switch outcome {
        case .success(let (record, isNew)): result = isNew ? "accepted" : "retry: same result as \(record.id)"
        case .failure(.permissionDenied(let why)): result = "denied: \(why)"
        case .failure(let refusal): result = "refused: \(refusal)"
        }
        let line = AuditRecord(
            time: wallClock(), requestedBy: caller.name,
            role: caller.hasToken ? caller.role.rawValue : "\(caller.role.rawValue), no token", call: call.words,
            reason: call.reason, operation: call.id, result: result)
        do {
            try audit.append(line)
        } catch {
            logger.error(
                "audit log unwritable; call refused", metadata: Self.metadata(call, by: caller, ["error": "\(error)"]))
            return .failure(.unavailable("the audit log cannot be written, so nothing was done: \(error)"))
        }
        switch outcome {
        case .success((_, true)): logger.info("operation accepted", metadata: Self.metadata(call, by: caller))
        case .success: logger.debug("operation retried", metadata: Self.metadata(call, by: caller))
        case .failure:
            logger.notice("operation refused", metadata: Self.metadata(call, by: caller, ["result": "\(result)"]))
        }
        guard case .success(let (record, isNew)) = outcome else { return outcome.map(\.0) }
        if isNew { start(record) }
        return .success(record)
    }

    /// Starts every operation the journal holds unfinished: after an agent restart.
    public func resumeUnfinished() {
        for record in journal.unfinished {
            logger.info("operation resumed", metadata: ["op": "\(record.id)", "kind": "\(record.kind)"])
            start(record)
        }
    }

    /// Waits until the operation has finished (for tests and `infertop ctl --wait`).
    public func wait(for id: OperationID) async -> OperationRecord? {
        let task = running.withLock { $0[id] }
        await task?.value
        return journal.record(id)
    }

    /// Stops every running operation where it stands, to be resumed by the next agent.
    public func shutdown() async {
        let tasks = running.withLock { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    // MARK: - Checks

    private func check(_ call: ControlCall, by caller: ControlCaller) -> Result<(OperationRecord, Bool), ControlRefusal>
    {
        guard caller.role == .operator else {
            return .failure(
                .permissionDenied(
                    "\(caller.name)'s token is a viewer token, which cannot \(call.kind); ask for an operator token"))
        }
        if let existing = journal.record(call.id) { return .success((existing, false)) }
        if case .drain(evacuate: true, _) = call.kind {
            return .failure(
                .cannotApply(
                    "drain --evacuate is not carried out yet: rebalance --evacuate the node first, then drain it"))
        }
        var call = call
        var moves: [MoveStep]?
        if case .applyPlan = call.kind {
            switch plan(for: call) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let plan):
                moves = plan.moves.flatMap(\.steps)
                call.nodes = Array(Set(plan.moves.flatMap { $0.fromGPUs + $0.toGPUs }.map(\.node))).sorted()
            }
        }
        guard !call.nodes.isEmpty else { return .failure(.invalid("\(call.kind) names no node")) }
        if let busy = journal.unfinished.first(where: { !Set($0.targets).isDisjoint(with: call.nodes) }) {
            let node = busy.targets.first { call.nodes.contains($0) } ?? busy.targets[0]
            return .failure(
                .conflict(
                    "\(node) is already in \(busy.id) (\(busy.kind), started by \(busy.requestedBy)): cancel it first or wait for it"
                ))
        }
        if let operation = nodeOperation(call.kind) {
            guard let snapshot = snapshot() else {
                return .failure(.unavailable("the agent has no view of the cluster yet; try again in a few seconds"))
            }
            let request = OperationRequest(
                operation, nodes: call.nodes, reason: call.reason, force: call.force, madeFrom: call.madeFrom)
            if case .failure(let refusal) = DrainPolicy.evaluate(request, in: snapshot, rules: rules) {
                return .failure(.refused(refusal))
            }
        }
        let steps = moves.map { $0.map { OperationStep(name: $0.description) } } ?? Self.steps(for: call)
        let record = OperationRecord(
            id: call.id, kind: call.kind, targets: call.nodes, requestedBy: caller.name, reason: call.reason,
            createdAt: clock(), steps: steps, moves: moves)
        do {
            return .success(try journal.begin(record))
        } catch {
            return .failure(.unavailable("the journal cannot be written, so nothing was done: \(error)"))
        }
    }

    func startedTask(_ id: OperationID, _ task: Task<Void, Never>) {
        running.withLock { $0[id] = task }
    }

    /// Cancels an operation's task (its runner stops where it stands) and waits for it.
    func stopTask(_ id: OperationID) async {
        let task = running.withLock { $0.removeValue(forKey: id) }
        task?.cancel()
        await task?.value
    }

    private func nodeOperation(_ kind: OperationKind) -> NodeOperation? {
        switch kind {
        case .cordon: .cordon
        case .uncordon: .uncordon
        // --force skips the safety rules (OperationRequest.force), not the drain itself.
        case .drain: .drain(deadline: .infinity)
        case .cancel, .applyPlan: nil
        }
    }
}

extension ControlCenter {
    /// The coordinator `[control]` asks for, or nil when it is off.
    /// - Throws: `JournalError` when the journal or audit log cannot be opened.
    /// - Parameter snapshot: the cluster as the safety rules see it, given the journal (whose
    ///   operations set the lifecycles of the nodes this coordinator acted on).
    public static func configured(
        _ settings: ControlSettings, executor: any NodeExecutor,
        snapshot: @escaping @Sendable (OperationJournal) -> LifecycleSnapshot?,
        planInput: @escaping @Sendable () -> RebalanceInput? = { nil }, clock: @escaping @Sendable () -> Double,
        logger: Logger = Logger(label: "infertop-agent")
    ) throws -> ControlCenter {
        let journal = try OperationJournal(path: settings.journalPath)
        return ControlCenter(
            journal: journal, audit: try AuditLog(path: settings.auditPath), executor: executor, rules: settings.rules,
            snapshot: { snapshot(journal) }, planInput: planInput, clock: clock,
            wallClock: { Date().timeIntervalSince1970 },
            logger: logger)
    }
}

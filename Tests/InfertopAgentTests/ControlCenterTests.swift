import Foundation
import InfertopCore
import InfertopSim
import InfertopTestSupport
import Logging
import Testing

@testable import InfertopAgent

/// The coordinating agent's control over a running simulated fleet: every call audited, the
/// safety rules applied before anything happens, a drain carried out step by step in simulated
/// time, a retry answered with the first result, and an operation resumed after a restart
/// without acting twice (counted at the fleet).
@Suite(.serialized) struct ControlCenterTests {
    static let alice = ControlCaller(name: "alice", role: .operator)

    /// A fleet running fast (by default 4 nodes: llama-405b/0 on node-01+02, llama-405b/1 on
    /// node-03+04), and a control center over it with a journal and audit log in a fresh folder.
    final class Rig: Sendable {
        let fleet: SimulatedFleet
        let folder = OperationJournalTests.tempPath("")
        let fleetTask: Task<Void, Never>

        init(
            config: SimulationConfig = SimulationConfig(seed: 7, nodes: 4), speed: Double = 100,
            warmupSeconds: Double = 5
        ) throws {
            let fleet = SimulatedFleet(config: config, speed: speed, warmupSeconds: warmupSeconds)
            self.fleet = fleet
            let hubs = try #require(fleet.hubs())
            fleetTask = Task { await fleet.run(hubs: hubs, clock: ContinuousClock()) }
        }

        /// - Parameters:
        ///   - executor: the simulator's, unless a test names another.
        ///   - fleetClock: stamp steps with the fleet's time (else 0, so no drain deadline passes).
        ///   - logger: where the center's events go.
        func center(
            executor: (any NodeExecutor)? = nil, fleetClock: Bool = false,
            logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        ) throws -> ControlCenter {
            let control = fleet.control
            return ControlCenter(
                journal: try OperationJournal(path: folder + "journal.jsonl"),
                audit: try AuditLog(path: folder + "audit.jsonl"),
                executor: executor ?? SimulatorExecutor(control: control), pollInterval: .milliseconds(20),
                snapshot: { control.snapshot }, planInput: { control.planInput },
                clock: { fleetClock ? control.time : 0 },
                wallClock: { Date().timeIntervalSince1970 }, logger: logger)
        }

        /// Waits (for a busy machine) until the fleet has run its first second.
        func ready() async throws {
            try await poll(
                "the fleet's first second", timeout: .seconds(120), every: .milliseconds(10),
                diagnostics: { "no snapshot yet" }
            ) { fleet.control.snapshot != nil }
        }

        func stop() async {
            fleetTask.cancel()
            await fleetTask.value
        }
    }

    static func drain(_ id: String, _ nodes: [NodeID], reason: String = "KV cache full on gpu6") -> ControlCall {
        ControlCall(id: OperationID(id), kind: .drain(evacuate: false, force: false), nodes: nodes, reason: reason)
    }

    @Test(.timeLimit(.minutes(5))) func aViewerIsDenied_audited_andNothingHappens() async throws {
        let rig = try Rig()
        try await rig.ready()
        let center = try rig.center()
        let viewer = ControlCaller(name: "bob", role: .viewer)
        let result = await center.submit(Self.drain("op-1", ["node-03"]), by: viewer)
        guard case .failure(.permissionDenied(let why)) = result else { throw Failure("not denied: \(result)") }
        #expect(why.contains("viewer"))
        #expect(center.journal.records.isEmpty)
        #expect(center.audit.recent.last?.result.hasPrefix("denied:") == true)
        #expect(center.audit.recent.last?.requestedBy == "bob")
        #expect(rig.fleet.control.applied.isEmpty)
        await rig.stop()
    }

    @Test(.timeLimit(.minutes(5))) func refusals_namedInOneSentence_beforeAnyAction() async throws {
        let rig = try Rig()
        try await rig.ready()
        let center = try rig.center()
        let noReason = await center.submit(Self.drain("op-1", ["node-03"], reason: " "), by: Self.alice)
        #expect(noReason == .failure(.refused(.missingReason)))
        // Draining both nodes of llama-405b/1 and one of /0 would leave no llama-405b serving.
        var rules = await center.submit(Self.drain("op-2", ["node-02", "node-03"]), by: Self.alice)
        if case .failure(.refused(.tooManyUnavailable)) = rules {
            // max_unavailable (1) is checked first; one node at a time shows the model rule.
            let strict = ControlCenter(
                journal: center.journal, audit: center.audit, executor: center.executor,
                rules: SafetyRules(minAvailable: ["llama-405b": 2]), snapshot: { rig.fleet.control.snapshot },
                clock: { 0 }, wallClock: { 0 })
            rules = await strict.submit(Self.drain("op-3", ["node-03"]), by: Self.alice)
        }
        guard case .failure(.refused(let refusal)) = rules else { throw Failure("not refused: \(rules)") }
        #expect(refusal.description.contains("llama-405b"), "\(refusal)")
        #expect(rig.fleet.control.applied.isEmpty)
        #expect(center.audit.recent.filter { $0.result.hasPrefix("refused:") }.count >= 2)
        await rig.stop()
    }

    @Test(.timeLimit(.minutes(5))) func aDrain_runsToDRAINED_aRetryReturnsIt_anotherCallerIsToldWhoStartedIt()
        async throws
    {
        let rig = try Rig()
        try await rig.ready()
        let center = try rig.center()
        let first = await center.submit(Self.drain("op-1", ["node-03"]), by: Self.alice)
        guard case .success(let accepted) = first else { throw Failure("refused: \(first)") }
        #expect(
            accepted.steps.map(\.name) == [
                "cordon node-03", "drain node-03: out of the router", "wait for node-03's requests in flight"
            ])
        let other = await center.submit(
            Self.drain("op-2", ["node-03"]), by: ControlCaller(name: "carol", role: .operator))
        if case .failure(.conflict(let why)) = other {
            #expect(why.contains("op-1") && why.contains("alice"), "\(why)")
        } else if case .failure(.refused) = other {
            // The drain already finished (a fast fleet): the node is DRAINED and says so.
        } else {
            Issue.record("a second drain of node-03 was accepted: \(other)")
        }
        let done = try #require(await center.wait(for: "op-1"))
        #expect(done.status == .succeeded, "\(done)")
        #expect(done.steps.allSatisfy { $0.state == .done })
        #expect(rig.fleet.control.state(of: "node-03")?.lifecycle == .drained)
        let retry = await center.submit(Self.drain("op-1", ["node-03"]), by: Self.alice)
        #expect(try retry.get().id == "op-1")
        #expect(rig.fleet.control.applied == ["cordon node-03", "drain node-03"], "no second action on a retry")
        #expect(center.audit.recent.contains { $0.result.hasPrefix("retry:") })
        await rig.stop()
    }

    /// Two dashboards (and a retrying one) asking at the same moment: one operation, and every
    /// other caller is told which one and who started it.
    @Test(.timeLimit(.minutes(5))) func drainsSentAtOnce_startOneOperation_theOthersAreToldWho() async throws {
        let rig = try Rig()
        try await rig.ready()
        let center = try rig.center()
        let callers = (0..<16).map { i in
            (i % 2 == 0 ? "alice" : "carol", i < 8 ? "op-\(i)" : "op-same")
        }
        let results = await withTaskGroup(of: (String, Result<OperationRecord, ControlRefusal>).self) { group in
            for (name, id) in callers {
                group.addTask {
                    (
                        name,
                        await center.submit(Self.drain(id, ["node-03"]), by: ControlCaller(name: name, role: .operator))
                    )
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let accepted = Set(results.compactMap { try? $0.1.get().id })
        #expect(accepted.count == 1, "one operation between them: \(accepted)")
        let first = try #require(accepted.first)
        let starter = try #require(center.journal.record(first)?.requestedBy)
        for case (_, .failure(let refusal)) in results {
            switch refusal {
            case .conflict(let why): #expect(why.contains(first.rawValue) && why.contains(starter), "\(why)")
            // On a fast fleet the drain may already be over: the node is DRAINED and says so.
            case .refused(let why): #expect("\(why)".lowercased().contains("drain"), "\(why)")
            default: Issue.record("expected a conflict naming \(first): \(refusal)")
            }
        }
        #expect(center.journal.records.count == 1)
        #expect(center.audit.recent.count == callers.count, "every call audited")
        _ = await center.wait(for: first)
        #expect(rig.fleet.control.applied == ["cordon node-03", "drain node-03"], "acted once")
        await rig.stop()
    }

    /// The simulator executor of an agent that dies right after its drain reached the fleet,
    /// before the journal could say so: the step is left `running`, as `kill -9` would leave it.
    struct DiesAfterDrain: NodeExecutor {
        let inner: SimulatorExecutor
        var name: String { "simulator" }
        func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
            try await inner.cordon(node, reason: reason, requestedBy: requestedBy)
        }
        func uncordon(_ node: NodeID) async throws -> String { try await inner.uncordon(node) }
        func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
            _ = try await inner.drain(node, reason: reason, requestedBy: requestedBy)
            try await Task.sleep(for: .seconds(3600))
            return "never"
        }
        func cancelDrain(_ node: NodeID) async throws -> String { try await inner.cancelDrain(node) }
        func drainProgress(_ node: NodeID) async throws -> DrainProgress { try await inner.drainProgress(node) }
    }

    @Test(.timeLimit(.minutes(5))) func anAgentDeadAfterASideEffect_resumesFromTheJournal_andDrainsOnce() async throws {
        let rig = try Rig()
        try await rig.ready()
        let control = rig.fleet.control
        let dying = ControlCenter(
            journal: try OperationJournal(path: rig.folder + "journal.jsonl"),
            audit: try AuditLog(path: rig.folder + "audit.jsonl"),
            executor: DiesAfterDrain(inner: SimulatorExecutor(control: control)), pollInterval: .milliseconds(20),
            snapshot: { control.snapshot }, clock: { 0 }, wallClock: { 0 })
        _ = try await dying.submit(Self.drain("op-1", ["node-03"]), by: Self.alice).get()
        // Wait until the fleet has carried the drain out, then the agent dies.
        try await poll(
            "the drain to reach the fleet", timeout: .seconds(120), every: .milliseconds(5),
            diagnostics: { "applied so far: \(control.applied)" }
        ) { control.applied.contains("drain node-03") }
        await dying.shutdown()
        #expect(dying.journal.record("op-1")?.steps.map(\.state) == [.done, .running, .pending])
        // A new agent process: the journal from disk, the real executor.
        let restarted = try rig.center()
        restarted.resumeUnfinished()
        let done = try #require(await restarted.wait(for: "op-1"))
        #expect(done.status == .succeeded, "\(done)")
        #expect(
            done.steps[1].detail.contains("already"), "the resumed step saw the drain done: \(done.steps[1].detail)")
        #expect(control.applied.filter { $0 == "drain node-03" }.count == 1, "\(control.applied)")
        #expect(control.state(of: "node-03")?.lifecycle == .drained)
        await rig.stop()
    }

    @Test(.timeLimit(.minutes(5))) func uncordon_bringsADrainedNodeBack() async throws {
        let rig = try Rig()
        try await rig.ready()
        let center = try rig.center()
        _ = try await center.submit(Self.drain("op-1", ["node-03"]), by: Self.alice).get()
        _ = await center.wait(for: "op-1")
        let back = try await center.submit(
            ControlCall(id: "op-2", kind: .uncordon, nodes: ["node-03"], reason: "fixed"), by: Self.alice
        ).get()
        #expect(await center.wait(for: back.id)?.status == .succeeded)
        try await poll(
            "node-03 to be active again", timeout: .seconds(60), every: .milliseconds(10),
            diagnostics: { "node-03: \(String(describing: rig.fleet.control.state(of: "node-03")))" }
        ) { rig.fleet.control.state(of: "node-03")?.lifecycle == .active }
        await rig.stop()
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

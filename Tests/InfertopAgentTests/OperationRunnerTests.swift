import Foundation
import InfertopCore
import Synchronization
import Testing

@testable import InfertopAgent

/// An operation interrupted mid-way resumes from the journal in a new runner (as after
/// `kill -9` and a restart), and no step's side effect happens twice: counted at a stand-in.
@Suite struct OperationRunnerTests {
    /// A stand-in for Slurm or the router: each step's effect is idempotent (checked, then done)
    /// and every effect actually applied is counted.
    final class StandIn: Sendable {
        let applied = Mutex<[Int: Int]>([:])

        func apply(_ index: Int) {
            applied.withLock { counts in
                if counts[index] == nil { counts[index] = 1 }
            }
        }

        /// What a non-idempotent stand-in would have counted: calls, not effects.
        let calls = Mutex(0)
    }

    static func record(_ id: String) -> OperationRecord {
        OperationRecord(
            id: OperationID(id), kind: .drain(evacuate: false, force: false), targets: ["node-07"],
            requestedBy: "alice", reason: "KV cache full", createdAt: 0,
            steps: ["scontrol drain", "remove from router", "wait in flight", "stop replica"].map {
                OperationStep(name: $0)
            })
    }

    @Test func interruptedAfterASideEffect_resumesFromTheJournal_andActsOnce() async throws {
        let path = OperationJournalTests.tempPath("journal.jsonl")
        let standIn = StandIn()
        let clock = Mutex(0.0)
        let now: @Sendable () -> Double = {
            clock.withLock {
                $0 += 1
                return $0
            }
        }
        do {
            let runner = OperationRunner(journal: try OperationJournal(path: path), pollInterval: .zero, now: now)
            let first = try await runner.run(Self.record("op-1")) { index, _, _ in
                standIn.calls.withLock { $0 += 1 }
                standIn.apply(index)
                // The agent dies right after step 1's side effect, before journaling it done.
                if index == 1 { throw OperationInterrupted() }
                return .done("ok")
            }
            #expect(first.steps.map(\.state) == [.done, .running, .pending, .pending])
        }
        // A new agent process: the journal from disk, a new runner.
        let journal = try OperationJournal(path: path)
        let pending = try #require(journal.unfinished.first)
        let resumedSteps = Mutex<[Int: Bool]>([:])
        let waited = Mutex(0)
        let finished = try await OperationRunner(journal: journal, pollInterval: .zero, now: now).run(pending) {
            index, _, resuming in
            resumedSteps.withLock { $0[index] = resuming }
            standIn.calls.withLock { $0 += 1 }
            standIn.apply(index)
            if index == 2
                && waited.withLock({
                    $0 += 1
                    return $0
                }) < 3
            {
                return .waiting("2 requests in flight")
            }
            return .done("ok")
        }
        #expect(finished.status == .succeeded)
        #expect(finished.steps.allSatisfy { $0.state == .done })
        #expect(resumedSteps.withLock { $0[1] } == true, "the step cut short runs again, told it is resuming")
        #expect(resumedSteps.withLock { $0[0] } == nil, "a step done is not run again")
        #expect(standIn.applied.withLock { $0 } == [0: 1, 1: 1, 2: 1, 3: 1], "each side effect happened once")
        #expect(try OperationJournal(path: path).record("op-1")?.status == .succeeded)
    }

    @Test func aFailingStep_failsTheOperationWithItsWords_andStopsThere() async throws {
        let runner = OperationRunner(
            journal: try OperationJournal(path: OperationJournalTests.tempPath("j.jsonl")), pollInterval: .zero,
            now: { 0 })
        let result = try await runner.run(Self.record("op-2")) { index, _, _ in
            if index == 1 { throw CommandFailure("router answered 503") }
            return .done("ok")
        }
        #expect(result.status == .failed("remove from router: router answered 503"))
        #expect(result.steps.map(\.state) == [.done, .failed, .pending, .pending])
    }
}

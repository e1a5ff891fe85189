import Foundation
import InfertopCore
import Testing

@testable import InfertopAgent

/// The journal and the audit log on disk: what is saved survives a reopen, a retried id returns
/// the first operation, and a last line cut short by a crash is dropped without losing the rest.
@Suite struct OperationJournalTests {
    static func tempPath(_ name: String) -> String {
        NSTemporaryDirectory() + "infertop-journal-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/\(name)"
    }

    static func drain(_ id: String, status: OperationStatus = .running, steps: [OperationStep] = []) -> OperationRecord
    {
        OperationRecord(
            id: OperationID(id), kind: .drain(evacuate: false, force: false), targets: ["node-07"],
            requestedBy: "alice",
            reason: "KV cache full", createdAt: 100, status: status, steps: steps)
    }

    @Test func savedSteps_surviveAReopen_andTheLastStateOfEachOperationWins() throws {
        let path = Self.tempPath("journal.jsonl")
        do {
            let journal = try OperationJournal(path: path)
            var op = Self.drain("op-1", steps: [OperationStep(name: "scontrol drain"), OperationStep(name: "wait")])
            try journal.save(op)
            op.steps[0].state = .done
            op.steps[1].state = .waiting
            op.steps[1].detail = "3 requests in flight"
            try journal.save(op)
            try journal.save(Self.drain("op-2", status: .succeeded))
        }
        let reopened = try OperationJournal(path: path)
        #expect(reopened.problems.isEmpty)
        #expect(reopened.records.map(\.id.rawValue) == ["op-1", "op-2"])
        let first = try #require(reopened.record("op-1"))
        #expect(first.steps.map(\.state) == [.done, .waiting])
        #expect(first.steps[1].detail == "3 requests in flight")
        #expect(reopened.unfinished.map(\.id.rawValue) == ["op-1"])
    }

    @Test func aRetriedID_returnsTheFirstOperation_notASecondOne() throws {
        let journal = try OperationJournal(path: Self.tempPath("journal.jsonl"))
        let first = try journal.begin(Self.drain("op-7"))
        var other = Self.drain("op-7")
        other.status = .pending
        let retry = try journal.begin(other)
        #expect(first.isNew && !retry.isNew)
        #expect(retry.record == first.record)
        #expect(journal.records.count == 1)
    }

    @Test func aLastLineCutShort_isDropped_andTheRestKept_andAppendsFollowWholeLines() throws {
        let path = Self.tempPath("journal.jsonl")
        do {
            let journal = try OperationJournal(path: path)
            try journal.save(Self.drain("op-1", status: .succeeded))
        }
        // A crash in the middle of writing the next record.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"op-2\",\"kind\":{\"dra".utf8))
        try handle.close()
        let reopened = try OperationJournal(path: path)
        #expect(reopened.records.map(\.id.rawValue) == ["op-1"])
        #expect(reopened.problems.first?.contains("cut short") == true, "\(reopened.problems)")
        try reopened.save(Self.drain("op-3"))
        let again = try OperationJournal(path: path)
        #expect(again.problems.isEmpty, "\(again.problems)")
        #expect(again.records.map(\.id.rawValue) == ["op-1", "op-3"])
    }

    @Test func auditLog_isJSONLines_oneEachCall_refusedOnesToo() throws {
        let path = Self.tempPath("audit.jsonl")
        let log = try AuditLog(path: path)
        try log.append(
            AuditRecord(
                time: 1_800_000_000, requestedBy: "alice", role: "operator", call: "drain node-07", reason: "KV full",
                operation: "op-1", result: "accepted"))
        try log.append(
            AuditRecord(
                time: 1_800_000_001, requestedBy: "bob", role: "viewer", call: "drain node-07", reason: "",
                operation: nil,
                result: "denied: a viewer token cannot drain"))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["requestedBy"] != nil && object?["result"] != nil)
        }
        #expect(try AuditLog(path: path).recent.map(\.requestedBy) == ["alice", "bob"])
    }

    @Test func anUnwritableFolder_isAnErrorNamingThePath() {
        #expect {
            _ = try OperationJournal(path: "/proc/infertop-cannot/journal.jsonl")
        } throws: { error in
            "\(error)".contains("/proc/infertop-cannot/journal.jsonl")
        }
    }
}

extension OperationID: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

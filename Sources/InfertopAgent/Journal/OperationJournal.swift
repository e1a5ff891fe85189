import Foundation
import InfertopCore
import Synchronization

/// The coordinating agent's operations on disk: every change to an operation is appended as the
/// whole record, one JSON line, synced before the step it describes goes on. After a restart the
/// last line of each operation is where it stood, and unfinished ones resume from their first
/// step not done.
///
/// Retrying a call with an operation id already here returns that operation, never a second one.
public final class OperationJournal: Sendable {
    public let path: String
    private let file: AppendOnlyFile
    private let state: Mutex<(records: [OperationID: OperationRecord], order: [OperationID])>
    /// What was wrong with the file when it was opened (a cut-short last line, lines that did not
    /// decode); empty when it was whole.
    public let problems: [String]

    /// Opens the journal at `path`, creating it if needed, and reads what it holds.
    /// - Throws: `JournalError` when the file cannot be opened.
    public init(path: String) throws {
        let (file, lines, damage) = try AppendOnlyFile.open(path: path)
        var records: [OperationID: OperationRecord] = [:]
        var order: [OperationID] = []
        var problems: [String] = damage.map { [$0] } ?? []
        let decoder = JSONDecoder()
        for (number, line) in lines.enumerated() where !line.isEmpty {
            guard let record = try? decoder.decode(OperationRecord.self, from: Data(line.utf8)) else {
                problems.append("\(path):\(number + 1): not an operation record; skipped")
                continue
            }
            if records[record.id] == nil { order.append(record.id) }
            records[record.id] = record
        }
        self.path = path
        self.file = file
        self.problems = problems
        state = Mutex((records, order))
    }

    /// Every operation, oldest first, each as it last stood.
    public var records: [OperationRecord] { state.withLock { s in s.order.compactMap { s.records[$0] } } }

    /// The operation with this id, if the journal has it.
    public func record(_ id: OperationID) -> OperationRecord? { state.withLock { $0.records[id] } }

    /// Operations a restarted agent must carry on with.
    public var unfinished: [OperationRecord] { records.filter { !$0.status.isFinished } }

    /// Writes the record's new state and returns once it is on disk.
    public func save(_ record: OperationRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let line = String(decoding: try encoder.encode(record), as: UTF8.self)
        try file.append(line)
        state.withLock { s in
            if s.records[record.id] == nil { s.order.append(record.id) }
            s.records[record.id] = record
        }
    }

    /// Saves `record` unless an operation with its id exists; returns the one that counts and
    /// whether it was new. This is how a retried call gets the first result.
    public func begin(_ record: OperationRecord) throws -> (record: OperationRecord, isNew: Bool) {
        if let existing = self.record(record.id) { return (existing, false) }
        try save(record)
        return (record, true)
    }
}

import Foundation
import InfertopCore
import Synchronization

/// The agent's audit log: one JSON line per control call, refused and denied calls too, with
/// the operator, the call, the reason and the result, synced before the call is answered.
///
/// JSON lines, so `jq`, journald shippers and log pipelines read it as it is.
public final class AuditLog: Sendable {
    public let path: String
    private let file: AppendOnlyFile
    private let recentLines: Mutex<[AuditRecord]>
    /// How many records `recent` keeps in memory.
    public static let keep = 1_000

    /// Opens the log at `path`, creating it if needed.
    public init(path: String) throws {
        let (file, lines, _) = try AppendOnlyFile.open(path: path)
        let decoder = JSONDecoder()
        let records = lines.suffix(Self.keep).compactMap { try? decoder.decode(AuditRecord.self, from: Data($0.utf8)) }
        self.path = path
        self.file = file
        recentLines = Mutex(records)
    }

    /// Appends one record and returns once it is on disk.
    public func append(_ record: AuditRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try file.append(String(decoding: try encoder.encode(record), as: UTF8.self))
        recentLines.withLock { lines in
            lines.append(record)
            if lines.count > Self.keep { lines.removeFirst(lines.count - Self.keep) }
        }
    }

    /// The newest records, oldest first.
    public var recent: [AuditRecord] { recentLines.withLock { $0 } }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file that only grows by whole lines, each written and flushed to disk (`fsync`) before the
/// call returns: what the journal and the audit log stand on.
///
/// Reading it back keeps every line that decodes. A last line cut short by a crash mid-write is
/// dropped and the file truncated after the last whole line, so later lines never follow garbage.
final class AppendOnlyFile: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()

    /// Opens (creating it, with its folder, if needed) for appending; returns the whole lines
    /// already in it and, when the end was cut, a note saying what was dropped.
    static func open(path: String) throws -> (file: AppendOnlyFile, lines: [String], damage: String?) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw JournalError(
                "\(path): cannot open: \(String(cString: strerror(errno))); check the folder exists and is writable")
        }
        let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        var lines: [String] = []
        var damage: String?
        var goodLength = 0
        var start = data.startIndex
        while start < data.endIndex {
            guard let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                damage =
                    "\(path): the last line (\(data.endIndex - start) bytes) was cut short, as by a crash mid-write; it was dropped"
                break
            }
            lines.append(String(decoding: data[start..<newline], as: UTF8.self))
            goodLength = newline + 1 - data.startIndex
            start = newline + 1
        }
        if damage != nil { _ = ftruncate(fd, off_t(goodLength)) }
        return (AppendOnlyFile(path: path, fd: fd), lines, damage)
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends `line` and a newline, then waits until the disk has it.
    func append(_ line: String) throws {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.lock()
        defer { lock.unlock() }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError("\(path): cannot write: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            throw JournalError("\(path): cannot sync to disk: \(String(cString: strerror(errno)))")
        }
    }
}

/// The journal or the audit log could not be read or written, in words naming the file.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

import Foundation
import Synchronization

/// Where log lines go: stderr, or a file; and never stderr while a terminal UI draws.
///
/// A full-screen UI owns the terminal, and a line written to stderr under it lands in the middle
/// of the picture (and stays there until the next full redraw). So while ``whileScreenIsUp(_:)``
/// runs, lines meant for stderr are dropped; lines meant for a file (`--log-file`) are written as
/// always. Lines are written one at a time under a lock, so two threads never interleave.
public final class LogOutput: Sendable {
    /// The process's output, the one the executables bootstrap their loggers with.
    public static let standard = LogOutput()

    private struct State {
        var file: FileHandle?
        var screensUp = 0
    }

    private let state = Mutex(State())
    private let standardError: @Sendable (String) -> Void

    /// - Parameter standardError: writes a finished line (with its newline) to stderr; tests
    ///   pass their own.
    public init(standardError: @escaping @Sendable (String) -> Void = LogOutput.writeToStandardError) {
        self.standardError = standardError
    }

    /// Sends every later line to `path`, appended (the file is made if missing, mode 0644).
    /// - Throws: ``LogFileError`` when the file cannot be opened for writing.
    public func send(toFile path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LogFileError(path: path, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        state.withLock { $0.file = handle }
    }

    /// Writes one line (a newline is added).
    public func write(_ line: String) {
        state.withLock { state in
            if let file = state.file {
                // A full disk or a closed descriptor loses the line, never the process.
                try? file.write(contentsOf: Data((line + "\n").utf8))
            } else if state.screensUp == 0 {
                standardError(line + "\n")
            }
        }
    }

    /// Runs `body` with stderr closed to log lines: the terminal UI's drawing loop.
    public func whileScreenIsUp<T>(_ body: () throws -> T) rethrows -> T {
        state.withLock { $0.screensUp += 1 }
        defer { state.withLock { $0.screensUp -= 1 } }
        return try body()
    }

    /// One `write(2)` per line, so lines from several processes sharing stderr stay whole.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}

/// `--log-file` names a file that cannot be opened for writing.
public struct LogFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "--log-file: cannot write \(path): \(reason)" }
}

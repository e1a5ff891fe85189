import Foundation

/// An open recording file being appended to: created (or truncated) on open, written with plain
/// `write(2)` so every chunk is in the file as soon as it is sealed.
struct RecordingFile {
    let path: String
    private let descriptor: Int32
    private(set) var size = 0

    /// Creates or truncates `path`; throws the system's reason when it cannot.
    init(path: String) throws(RecordingWriteError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RecordingWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    mutating func append(_ bytes: [UInt8]) throws(RecordingWriteError) {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw RecordingWriteError(path: path, reason: String(cString: strerror(errno))) }
            written += n
        }
        size += bytes.count
    }

    func close() { _ = Foundation.close(descriptor) }
}

/// A recording file that could not be created or written.
public struct RecordingWriteError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}

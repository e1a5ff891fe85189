import Foundation

/// Writes feed inputs to a recording: the header, then a chunk every `chunkSeconds` of feed time
/// (or `chunkBytes` of raw entries), and, past `maxBytes`, a rotation: the file moves to
/// `FILE.1` (replacing the one there) and a new `FILE` starts with a snapshot of every source.
///
/// Single-threaded: `FeedRecorder` serialises calls.
struct RecordingWriter {
    let path: String
    let source: String
    /// Rotate once a file holds about this many bytes; nil never rotates.
    let maxBytes: Int?
    var chunkSeconds = 2.0
    var chunkBytes = 1 << 20

    private var file: RecordingFile
    private var header: RecordingHeader?
    private var pending = ChunkEncoder()
    private var ledger = SourceLedger()
    private(set) var rotations = 0
    private var lastChunkSize = 0

    /// Where the old file goes at a rotation.
    static func rotatedPath(_ path: String) -> String { path + ".1" }

    init(path: String, source: String, maxBytes: Int?) throws(RecordingWriteError) {
        self.path = path
        self.source = source
        self.maxBytes = maxBytes
        file = try RecordingFile(path: path)
    }

    /// Appends one input; seals a chunk when it has enough, and rotates after it when the file is full.
    mutating func append(_ entry: RecordedEntry, wallClock: @autoclosure () -> Double) throws(RecordingWriteError) {
        if header == nil {
            let h = RecordingHeader(
                startUnixTime: wallClock() - FeedClock.seconds(entry.micros), source: source, startMicros: 0)
            try file.append(h.encoded)
            header = h
        }
        ledger.fold(entry)
        do { try pending.append(entry) } catch {
            throw RecordingWriteError(path: path, reason: "an agent message would not encode: \(error)")
        }
        let span = FeedClock.seconds(pending.lastMicros - (pending.firstMicros ?? pending.lastMicros))
        if span >= chunkSeconds || pending.rawCount >= chunkBytes {
            try seal()
            // Rotate when the next chunk of this size would not fit.
            if let maxBytes, file.size + lastChunkSize > maxBytes { try rotate(at: entry.micros) }
        }
    }

    /// Seals what is pending and writes the end mark: the file is whole.
    mutating func finish() throws(RecordingWriteError) {
        if !pending.isEmpty { try seal() }
        try file.append(RecordingChunk.endMark)
    }

    func close() { file.close() }

    private mutating func seal() throws(RecordingWriteError) {
        let chunk = pending.sealed().encoded
        pending = ChunkEncoder()
        try file.append(chunk)
        lastChunkSize = chunk.count
    }

    private mutating func rotate(at micros: Int64) throws(RecordingWriteError) {
        guard let old = header else { return }
        try file.append(RecordingChunk.endMark)
        file.close()
        let rotated = Self.rotatedPath(path)
        do {
            if FileManager.default.fileExists(atPath: rotated) { try FileManager.default.removeItem(atPath: rotated) }
            try FileManager.default.moveItem(atPath: path, toPath: rotated)
        } catch {
            throw RecordingWriteError(path: rotated, reason: "cannot move the full recording there: \(error)")
        }
        rotations += 1
        file = try RecordingFile(path: path)
        let h = RecordingHeader(
            startUnixTime: old.startUnixTime, source: source, fileIndex: old.fileIndex + 1, startMicros: micros)
        try file.append(h.encoded)
        header = h
        var keyframe = ChunkEncoder()
        for entry in ledger.keyframe(at: micros) {
            do { try keyframe.append(entry) } catch {
                throw RecordingWriteError(path: path, reason: "a snapshot would not encode: \(error)")
            }
        }
        try file.append(keyframe.sealed().encoded)
    }
}

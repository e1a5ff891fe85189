import Foundation

/// A recording file opened for replay: its header, where each sound chunk lies, and where it
/// stops being readable, if it does.
///
/// Opening reads the whole file's frames and checks every chunk's CRC, but inflates nothing:
/// `RecordingCursor` reads the entries chunk by chunk as the replay needs them.
public struct Recording: Sendable {
    /// One sound chunk's place in the file.
    struct ChunkIndex: Sendable, Hashable {
        var offset: Int
        var firstMicros: Int64
        var lastMicros: Int64
    }

    public let header: RecordingHeader
    public let fileSize: Int
    /// Where the file stops being readable; nil when it is whole.
    public let damage: RecordingDamage?
    let chunks: [ChunkIndex]
    private let bytes: [UInt8]

    /// Opens the file at `path`; errors name what is wrong with it (see `RecordingError.describe`).
    public static func open(path: String) throws(RecordingError) -> Recording {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw .unreadable(FileManager.default.fileExists(atPath: path) ? reason : "no such file")
        }
        return try Recording(bytes: [UInt8](data))
    }

    /// Reads a recording held in memory.
    public init(bytes: [UInt8]) throws(RecordingError) {
        let (header, start) = try RecordingHeader.decode(bytes)
        self.header = header
        self.bytes = bytes
        fileSize = bytes.count
        var chunks: [ChunkIndex] = []
        var offset = start
        var fault: ChunkFault?
        while true {
            if offset == bytes.count {
                fault = .noEndMark
                break
            }
            if bytes.count - offset == RecordingChunk.endMark.count
                && bytes[offset...].elementsEqual(RecordingChunk.endMark)
            {
                break
            }
            switch RecordingChunk.read(bytes, at: offset) {
            case .success(let (chunk, next)):
                chunks.append(ChunkIndex(offset: offset, firstMicros: chunk.firstMicros, lastMicros: chunk.lastMicros))
                offset = next
            case .failure(let f):
                fault = f
            }
            if fault != nil { break }
        }
        self.chunks = chunks
        let last = chunks.last?.lastMicros ?? header.startMicros
        damage = fault.map {
            RecordingDamage(
                byteOffset: offset, fileSize: bytes.count,
                readableSeconds: FeedClock.seconds(max(0, last - header.startMicros)), reason: $0.words)
        }
        guard !chunks.isEmpty else { throw .empty(damage) }
    }

    /// Seconds from position 0 to the last readable entry.
    public var length: Double { FeedClock.seconds(max(0, endMicros - header.startMicros)) }

    /// The feed time of the last readable entry.
    public var endMicros: Int64 { chunks.last?.lastMicros ?? header.startMicros }

    /// The feed time of a position (seconds from the start of this file).
    public func micros(at position: Double) -> Int64 { header.startMicros + FeedClock.micros(position) }

    /// The position (seconds from the start of this file) of a feed time.
    public func position(of micros: Int64) -> Double { FeedClock.seconds(micros - header.startMicros) }

    /// The wall-clock time (Unix seconds) of a position.
    public func unixTime(at position: Double) -> Double {
        header.startUnixTime + FeedClock.seconds(header.startMicros) + position
    }

    var chunkCount: Int { chunks.count }

    /// The entries of chunk `i`; throws when a sound chunk does not decode (a newer or broken writer).
    func entries(ofChunk i: Int) throws -> [RecordedEntry] {
        guard case .success(let (chunk, _)) = RecordingChunk.read(bytes, at: chunks[i].offset) else {
            throw ByteFormatError(description: "chunk \(i) changed since the file was opened")
        }
        return try chunk.entries()
    }

    func offset(ofChunk i: Int) -> Int { chunks[i].offset }
}

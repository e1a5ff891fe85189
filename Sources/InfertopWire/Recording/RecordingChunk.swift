/// A few seconds of feed inputs, compressed on their own and checked by a CRC, so a file cut
/// or damaged anywhere still replays up to its last whole chunk.
///
/// Layout, 36 bytes of frame then the payload: `CHNK`, the payload's compressed and raw lengths
/// (4 bytes each), the first and last entry's feed time in microseconds (8 bytes each), the
/// number of entries (4 bytes), then the CRC-32 of those 28 bytes and the compressed payload
/// (4 bytes; all integers little-endian). The payload is zlib data of the entries
/// (`ChunkEncoder`). A file its recorder closed ends with `DONE` after its last chunk.
struct RecordingChunk: Sendable, Hashable {
    static let magic = Array("CHNK".utf8)
    /// The last four bytes of a file whose recorder closed it: without them the file was cut.
    static let endMark = Array("DONE".utf8)
    static let frameSize = 36
    /// Larger lengths are damage, not data: no chunk holds more than this raw.
    static let maxRawBytes = 256 << 20

    var firstMicros: Int64
    var lastMicros: Int64
    var entryCount: Int
    var rawCount: Int
    var compressed: [UInt8]

    /// The frame and payload as written to the file.
    var encoded: [UInt8] {
        var w = ByteWriter()
        w.bytes = Self.magic
        w.fixed32(UInt32(compressed.count))
        w.fixed32(UInt32(rawCount))
        w.fixed64(UInt64(bitPattern: firstMicros))
        w.fixed64(UInt64(bitPattern: lastMicros))
        w.fixed32(UInt32(entryCount))
        var crc = w.bytes[4...]
        crc.append(contentsOf: compressed)
        w.fixed32(Zlib.crc(crc))
        w.bytes.append(contentsOf: compressed)
        return w.bytes
    }

    /// The chunk that starts at `offset`, or why there is no whole, sound chunk there.
    static func read(_ bytes: [UInt8], at offset: Int) -> Result<(RecordingChunk, next: Int), ChunkFault> {
        guard bytes.count - offset >= frameSize else { return .failure(.endsEarly) }
        guard bytes[offset..<offset + 4].elementsEqual(magic) else { return .failure(.notAChunk) }
        var r = ByteReader(bytes, offset: offset + 4)
        // The frame is whole (checked above), so these reads cannot fail.
        guard let compressedCount = try? Int(r.fixed32()), let rawCount = try? Int(r.fixed32()),
            let first = try? r.fixed64(), let last = try? r.fixed64(), let count = try? Int(r.fixed32()),
            let crc = try? r.fixed32()
        else { return .failure(.endsEarly) }
        let payloadStart = offset + frameSize
        guard rawCount <= maxRawBytes else { return .failure(.checksum) }
        guard bytes.count - payloadStart >= compressedCount else { return .failure(.endsEarly) }
        var checked = bytes[(offset + 4)..<(offset + 32)]
        checked.append(contentsOf: bytes[payloadStart..<payloadStart + compressedCount])
        guard Zlib.crc(checked) == crc else { return .failure(.checksum) }
        let chunk = RecordingChunk(
            firstMicros: Int64(bitPattern: first), lastMicros: Int64(bitPattern: last), entryCount: count,
            rawCount: rawCount, compressed: Array(bytes[payloadStart..<payloadStart + compressedCount]))
        return .success((chunk, payloadStart + compressedCount))
    }

    /// The entries, in the order they were recorded.
    func entries() throws -> [RecordedEntry] {
        guard let raw = Zlib.decompress(compressed[...], expectedCount: rawCount) else {
            throw ByteFormatError(description: "its data does not inflate to \(rawCount) bytes")
        }
        var decoder = try ChunkDecoder(raw, firstMicros: firstMicros)
        var entries: [RecordedEntry] = []
        entries.reserveCapacity(entryCount)
        while let entry = try decoder.next() { entries.append(entry) }
        guard entries.count == entryCount else {
            throw ByteFormatError(description: "it holds \(entries.count) entries, its frame says \(entryCount)")
        }
        return entries
    }
}

/// Why the bytes at an offset are not a whole, sound chunk.
enum ChunkFault: Error, Sendable, Hashable {
    case endsEarly
    case notAChunk
    case checksum
    case noEndMark

    var words: String {
        switch self {
        case .noEndMark: "the file ends without its end mark: the recorder was stopped, or is still recording"
        case .endsEarly: "the file ends inside a chunk"
        case .notAChunk: "the bytes there are not a chunk"
        case .checksum: "a chunk fails its checksum"
        }
    }
}

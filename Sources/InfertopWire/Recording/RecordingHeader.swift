/// The first bytes of a recording file: what it is, when it started and what it recorded.
///
/// Layout: the magic line `INFERTOP-REC\n`, the format version (varint), the body's length
/// (varint), the body, and the body's CRC-32 (4 bytes, little-endian). The body holds the
/// wall-clock time of the feed's start, the source (`demo seed 7`, `17 agents`), which file of a
/// rotated series this is (0 for the first), and where on the feed's clock this file starts.
public struct RecordingHeader: Sendable, Hashable {
    public static let magic = Array("INFERTOP-REC\n".utf8)
    public static let version: UInt64 = 2

    /// Unix time (seconds) of the feed's clock zero: a frame's wall-clock time is this plus its time.
    public var startUnixTime: Double
    /// What was recorded, as the dashboard's header names it.
    public var source: String
    /// 0 for the first file; each rotation starts the next number.
    public var fileIndex: Int
    /// The feed time (microseconds) that this file's position 0 stands for. Entries before it are
    /// the snapshot that a rotated file starts with.
    public var startMicros: Int64

    public init(startUnixTime: Double, source: String, fileIndex: Int = 0, startMicros: Int64 = 0) {
        self.startUnixTime = startUnixTime
        self.source = source
        self.fileIndex = fileIndex
        self.startMicros = startMicros
    }

    var encoded: [UInt8] {
        var body = ByteWriter()
        body.double(startUnixTime)
        body.string(source)
        body.varint(fileIndex)
        body.signed(startMicros)
        var out = ByteWriter()
        out.bytes = Self.magic
        out.varint(Self.version)
        out.data(body.bytes)
        out.fixed32(Zlib.crc(body.bytes[...]))
        return out.bytes
    }

    /// Reads the header at the start of `bytes`; returns it and where the first chunk starts.
    static func decode(_ bytes: [UInt8]) throws(RecordingError) -> (RecordingHeader, Int) {
        guard bytes.starts(with: magic) else {
            if magic.starts(with: bytes) { throw .damagedHeader("it ends inside its header (\(bytes.count) bytes)") }
            throw .notARecording
        }
        var r = ByteReader(bytes, offset: magic.count)
        do {
            let version = try r.varint()
            guard version == Self.version else { throw RecordingError.unsupportedVersion(version) }
            let body = try r.data()
            let crc = try r.fixed32()
            guard crc == Zlib.crc(body[...]) else {
                throw RecordingError.damagedHeader("its header fails its checksum")
            }
            var b = ByteReader(body)
            let header = RecordingHeader(
                startUnixTime: try b.double(), source: try b.string(), fileIndex: try b.count(),
                startMicros: try b.signed())
            return (header, r.offset)
        } catch let error as RecordingError {
            throw error
        } catch {
            throw .damagedHeader("its header is unreadable (\(error))")
        }
    }
}

/// Why a file cannot be replayed at all (a damaged tail is not an error: see `RecordingDamage`).
public enum RecordingError: Error, Sendable, Hashable {
    case unreadable(String)
    case notARecording
    case unsupportedVersion(UInt64)
    case damagedHeader(String)
    /// The header is whole but not one chunk after it is.
    case empty(RecordingDamage?)

    /// The sentence for the command line, naming the file.
    public func describe(path: String) -> String {
        switch self {
        case .unreadable(let reason): "cannot read \(path): \(reason)"
        case .notARecording:
            "\(path) is not an infertop recording (it does not start with INFERTOP-REC); make one with --record FILE"
        case .unsupportedVersion(let v):
            "\(path) is a version \(v) recording; this infertop reads version \(RecordingHeader.version)"
        case .damagedHeader(let reason): "\(path) cannot be replayed: \(reason)"
        case .empty(let damage):
            "\(path) holds no whole chunk of data yet" + (damage.map { " (\($0.sentence))" } ?? "")
        }
    }
}

import InfertopCore
import SwiftProtobuf

/// One feed input and when the feed received it (microseconds on its clock).
public struct RecordedEntry: Sendable {
    public var micros: Int64
    public var input: FeedInput

    public init(micros: Int64, input: FeedInput) {
        self.micros = micros
        self.input = input
    }
}

/// The entry kinds of a chunk's payload; every entry but a source name starts with its kind and
/// the microseconds since the previous entry (the chunk's first time for the first).
enum EntryKind: UInt8 {
    /// Names a source for the rest of the chunk: id, address. Carries no time.
    case source = 1
    case start = 2
    case status = 3
    case message = 4
    case tick = 5
    /// A fleet source's event (`FleetEntryCoding.swift`).
    case fleet = 6
}

/// Writes entries into one chunk's raw payload. Sources are named once per chunk, so every
/// chunk reads alone.
///
/// The payload is the entries (length-prefixed), then the spans of their messages by field
/// (`SpanColumnsEncoder`): a message entry keeps its message without spans and their count.
struct ChunkEncoder {
    var writer = ByteWriter()
    private var spans = SpanColumnsEncoder()
    private var bodies = WireColumnsEncoder()
    private var ids: [String: Int] = [:]
    private(set) var firstMicros: Int64?
    private(set) var lastMicros: Int64 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }
    /// About how many bytes the payload holds so far.
    var rawCount: Int { writer.bytes.count + spans.count * 200 + bodies.count * 4_000 }

    /// Moves a message's spans out (they are stored by field) and returns them.
    static func takeSpans(_ message: inout Infertop_V1_Update) -> [Infertop_V1_Span] {
        switch message.body {
        case .snapshot(var snapshot) where !snapshot.values.spans.isEmpty:
            defer { message.snapshot = snapshot }
            defer { snapshot.values.spans = [] }
            return snapshot.values.spans
        case .delta(var delta) where !delta.spans.isEmpty:
            defer { message.delta = delta }
            defer { delta.spans = [] }
            return delta.spans
        default:
            return []
        }
    }

    /// Puts spans back into a message that had them taken out.
    static func giveSpans(_ spans: [Infertop_V1_Span], to message: inout Infertop_V1_Update) throws {
        guard !spans.isEmpty else { return }
        switch message.body {
        case .snapshot: message.snapshot.values.spans = spans
        case .delta: message.delta.spans = spans
        default: throw ByteFormatError(description: "spans recorded with a message that cannot hold them")
        }
    }

    mutating func append(_ entry: RecordedEntry) throws {
        switch entry.input {
        case .start(let sources):
            let refs = sources.map { ref($0) }
            stamp(.start, entry.micros)
            writer.varint(refs.count)
            for r in refs { writer.varint(r) }
        case .status(let status):
            let r = ref(status.address)
            stamp(.status, entry.micros)
            writer.varint(r)
            write(status)
        case .message(var message, let address, let version):
            let taken = Self.takeSpans(&message)
            let bytes: [UInt8] = try message.serializedBytes()
            let r = ref(address)
            stamp(.message, entry.micros)
            writer.varint(r)
            writer.string(version)
            body(bytes)
            writer.varint(taken.count)
            for span in taken { spans.append(span) }
        case .fleet(let event, let address):
            try append(event, from: address, at: entry.micros)
        case .tick:
            stamp(.tick, entry.micros)
        }
        count += 1
    }

    /// A message's bytes: by field when it can be (always, for what the agents send), else whole.
    mutating func body(_ bytes: [UInt8]) {
        if bodies.append(bytes) {
            writer.bytes.append(0)
        } else {
            writer.bytes.append(1)
            writer.data(bytes)
        }
    }

    /// The chunk of everything appended, compressed.
    func sealed() -> RecordingChunk {
        var payload = ByteWriter()
        payload.data(writer.bytes)
        payload.bytes += spans.encoded
        payload.bytes += bodies.encoded
        return RecordingChunk(
            firstMicros: firstMicros ?? 0, lastMicros: lastMicros, entryCount: count, rawCount: payload.bytes.count,
            compressed: Zlib.compress(payload.bytes))
    }

    mutating func ref(_ address: String) -> Int {
        if let id = ids[address] { return id }
        let id = ids.count
        ids[address] = id
        writer.bytes.append(EntryKind.source.rawValue)
        writer.varint(id)
        writer.string(address)
        return id
    }

    mutating func stamp(_ kind: EntryKind, _ micros: Int64) {
        writer.bytes.append(kind.rawValue)
        writer.signed(micros - (count == 0 ? micros : lastMicros))
        if firstMicros == nil { firstMicros = micros }
        lastMicros = micros
    }

    mutating func write(_ s: SourceStatus) {
        writer.optionalString(s.node?.name)
        switch s.state {
        case .connecting: writer.bytes.append(0)
        case .live: writer.bytes.append(1)
        case .retrying(let reason, let seconds):
            writer.bytes.append(2)
            writer.string(reason)
            writer.double(seconds)
        case .authFailed(let reason):
            writer.bytes.append(3)
            writer.string(reason)
        case .unresolvable(let reason):
            writer.bytes.append(4)
            writer.string(reason)
        }
        writer.optionalString(s.version)
        writer.optionalDouble(s.lastMessageTime)
    }
}

/// Reads one chunk's raw payload back into entries.
struct ChunkDecoder {
    var reader: ByteReader
    private var sources: [Int: String] = [:]
    private var micros: Int64
    private let spans: [Infertop_V1_Span]
    private var nextSpan = 0
    private var bodies: WireColumnsDecoder

    init(_ raw: [UInt8], firstMicros: Int64) throws {
        var payload = ByteReader(raw)
        reader = ByteReader(try payload.data())
        spans = try SpanColumnsDecoder.decode(&payload)
        bodies = try WireColumnsDecoder(&payload)
        micros = firstMicros
    }

    /// The next entry, or nil at the end of the payload.
    mutating func next() throws -> RecordedEntry? {
        while !reader.isAtEnd {
            let byte = try reader.byte()
            guard let kind = EntryKind(rawValue: byte) else {
                throw ByteFormatError(description: "unknown entry kind \(byte)")
            }
            if kind == .source {
                sources[try reader.count()] = try reader.string()
                continue
            }
            micros += try reader.signed()
            switch kind {
            case .source:
                continue
            case .start:
                let n = try bounded(reader.count())
                var list: [String] = []
                for _ in 0..<n { list.append(try source()) }
                return RecordedEntry(micros: micros, input: .start(sources: list))
            case .status:
                let address = try source()
                return RecordedEntry(micros: micros, input: .status(try status(address)))
            case .message:
                let address = try source()
                let version = try reader.string()
                var message = try Infertop_V1_Update(serializedBytes: try body())
                let n = try reader.count()
                guard n <= spans.count - nextSpan else {
                    throw ByteFormatError(description: "a message claims spans that are not there")
                }
                try ChunkEncoder.giveSpans(Array(spans[nextSpan..<nextSpan + n]), to: &message)
                nextSpan += n
                return RecordedEntry(micros: micros, input: .message(message, from: address, version: version))
            case .fleet:
                let address = try source()
                return RecordedEntry(micros: micros, input: .fleet(try fleetEvent(address), from: address))
            case .tick:
                return RecordedEntry(micros: micros, input: .tick)
            }
        }
        return nil
    }

    /// A count no larger than the bytes left (each item takes at least one), so damage cannot
    /// make a huge loop.
    func bounded(_ n: Int) throws -> Int {
        guard n <= reader.remaining else { throw ByteFormatError(description: "ends early") }
        return n
    }

    /// A message's bytes, as `ChunkEncoder.body` wrote them.
    mutating func body() throws -> [UInt8] {
        switch try reader.byte() {
        case 0: return try bodies.next()
        case 1: return try reader.data()
        case let b: throw ByteFormatError(description: "unknown message form \(b)")
        }
    }

    private mutating func source() throws -> String {
        let id = try reader.count()
        guard let address = sources[id] else { throw ByteFormatError(description: "source \(id) is never named") }
        return address
    }

    mutating func status(_ address: String) throws -> SourceStatus {
        let node = try reader.optionalString().map { NodeID($0) }
        let state: SourceState
        switch try reader.byte() {
        case 0: state = .connecting
        case 1: state = .live
        case 2: state = .retrying(reason: try reader.string(), inSeconds: try reader.double())
        case 3: state = .authFailed(reason: try reader.string())
        case 4: state = .unresolvable(reason: try reader.string())
        case let b: throw ByteFormatError(description: "unknown source state \(b)")
        }
        return SourceStatus(
            address: address, node: node, state: state, version: try reader.optionalString(),
            lastMessageTime: try reader.optionalDouble())
    }
}

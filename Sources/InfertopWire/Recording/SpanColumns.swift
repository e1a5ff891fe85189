/// A chunk's spans stored by field rather than span by span, so the compressor sees like next to
/// like: trace ids once per trace, names and attribute keys once per chunk, start times as
/// differences, doubles together. Spans are more than half of what a cluster sends; stored as
/// the wire has them they compress about five to one, by field nearer eight.
///
/// Three habits of spans are used too: a parent is usually a span just before it (named by how far
/// back), a span repeats a double (end-to-end latency equals inference time), and ids in text are
/// hex (`chatcmpl-<32 hex digits>`, kept as the prefix and the bytes).
///
/// Lossless for every field of `Infertop_V1_Span`: the decoded spans equal the encoded ones.
struct SpanColumnsEncoder {
    /// How far back a parent is looked for among the chunk's spans.
    static let parentWindow = 256
    private var traces = ByteWriter()
    private var traceIDs = ByteWriter()
    private var ids = ByteWriter()
    private var parents = ByteWriter()
    private var times = ByteWriter()
    private var strings = ByteWriter()
    private var text = ByteWriter()
    private var meta = ByteWriter()
    private var ints = ByteWriter()
    private var doubles = ByteWriter()
    private var traceTable: [[UInt8]: Int] = [:]
    private var stringTable: [String: Int] = [:]
    private var lastStart: UInt64 = 0
    private var spanIndex: [UInt64: Int] = [:]
    private(set) var count = 0

    mutating func append(_ span: Infertop_V1_Span) {
        count += 1
        let traceID = [UInt8](span.traceID)
        if let ref = traceTable[traceID] {
            traces.varint(ref)
        } else {
            traces.varint(traceTable.count)
            traceTable[traceID] = traceTable.count
            traceIDs.data(traceID)
        }
        ids.fixed64(span.spanID)
        // 0: no parent; 1: its id follows; 2 + k: the span k places before this one.
        if span.parentSpanID == 0 {
            meta.varint(0)
        } else if let at = spanIndex[span.parentSpanID], count - 1 - at - 1 < Self.parentWindow {
            meta.varint(2 + UInt64(count - 1 - at - 1))
        } else {
            meta.varint(1)
            parents.fixed64(span.parentSpanID)
        }
        spanIndex[span.spanID] = count - 1
        times.signed(Int64(bitPattern: span.startUnixNano &- lastStart))
        times.signed(Int64(bitPattern: span.endUnixNano &- span.startUnixNano))
        lastStart = span.startUnixNano
        string(span.name)
        string(span.statusMessage)
        string(span.service)
        string(span.node)
        meta.varint(UInt64(span.kind))
        meta.varint(UInt64(span.statusCode))
        meta.varint(span.attributes.count)
        var spanDoubles: [Double] = []
        for attribute in span.attributes {
            string(attribute.key)
            switch attribute.value {
            case .none: meta.bytes.append(0)
            case .stringValue(let s):
                meta.bytes.append(1)
                string(s)
            case .boolValue(let b): meta.bytes.append(b ? 3 : 2)
            case .intValue(let i):
                meta.bytes.append(4)
                ints.signed(i)
            case .doubleValue(let d):
                // 6 + j: the same bits as this span's j-th double so far.
                if let j = spanDoubles.firstIndex(where: { $0.bitPattern == d.bitPattern }) {
                    meta.varint(6 + UInt64(j))
                } else {
                    meta.bytes.append(5)
                    doubles.double(d)
                }
                spanDoubles.append(d)
            }
        }
    }

    /// The columns, each length-prefixed, in a fixed order.
    var encoded: [UInt8] {
        var w = ByteWriter()
        w.varint(count)
        for column in [traces, traceIDs, ids, parents, times, strings, text, meta, ints, doubles] {
            w.data(column.bytes)
        }
        return w.bytes
    }

    private mutating func string(_ s: String) {
        if let ref = stringTable[s] {
            strings.varint(ref)
        } else {
            strings.varint(stringTable.count)
            stringTable[s] = stringTable.count
            Self.writeText(s, into: &text)
        }
    }

    /// A text as 0 and its bytes, or, when it ends in at least 16 lowercase hex digits (an even
    /// number kept), as 1, the part before them and their bytes.
    static func writeText(_ s: String, into w: inout ByteWriter) {
        let utf8 = Array(s.utf8)
        var digits = 0
        while digits < utf8.count, Self.hexValue(utf8[utf8.count - 1 - digits]) != nil { digits += 1 }
        digits -= digits % 2
        guard digits >= 16 else {
            w.bytes.append(0)
            w.data(utf8)
            return
        }
        w.bytes.append(1)
        w.data(Array(utf8[..<(utf8.count - digits)]))
        var packed: [UInt8] = []
        var i = utf8.count - digits
        while i < utf8.count {
            packed.append((Self.hexValue(utf8[i])! << 4) | Self.hexValue(utf8[i + 1])!)
            i += 2
        }
        w.data(packed)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// Reads `SpanColumnsEncoder`'s columns back into spans, in their order.
enum SpanColumnsDecoder {
    static func decode(_ reader: inout ByteReader) throws -> [Infertop_V1_Span] {
        let count = try reader.count()
        var columns = try SpanColumnReader(&reader)
        var spans: [Infertop_V1_Span] = []
        spans.reserveCapacity(min(count, 1 << 20))
        for _ in 0..<count { spans.append(try columns.span(after: spans)) }
        return spans
    }
}

/// The ten columns of one span batch, read side by side, with the trace and text tables they
/// build up as they go.
private struct SpanColumnReader {
    var traces, traceIDs, ids, parents, times, strings, text, meta, ints, doubles: ByteReader
    var traceTable: [[UInt8]] = []
    var stringTable: [String] = []
    var lastStart: UInt64 = 0

    init(_ reader: inout ByteReader) throws {
        var columns: [ByteReader] = []
        for _ in 0..<10 { columns.append(ByteReader(try reader.data())) }
        (traces, traceIDs, ids, parents, times) = (columns[0], columns[1], columns[2], columns[3], columns[4])
        (strings, text, meta, ints, doubles) = (columns[5], columns[6], columns[7], columns[8], columns[9])
    }

    /// The next span; `previous` are the spans read so far (a parent may point back into them).
    mutating func span(after previous: [Infertop_V1_Span]) throws -> Infertop_V1_Span {
        var span = Infertop_V1_Span()
        span.traceID = .init(try traceID())
        span.spanID = try ids.fixed64()
        span.parentSpanID = try parent(previous)
        span.startUnixNano = lastStart &+ UInt64(bitPattern: try times.signed())
        span.endUnixNano = span.startUnixNano &+ UInt64(bitPattern: try times.signed())
        lastStart = span.startUnixNano
        span.name = try string()
        span.statusMessage = try string()
        span.service = try string()
        span.node = try string()
        span.kind = UInt32(truncatingIfNeeded: try meta.varint())
        span.statusCode = UInt32(truncatingIfNeeded: try meta.varint())
        span.attributes = try attributes()
        return span
    }

    private mutating func traceID() throws -> [UInt8] {
        let ref = try traces.count()
        if ref == traceTable.count { traceTable.append(try traceIDs.data()) }
        guard ref < traceTable.count else { throw ByteFormatError(description: "trace \(ref) is never given") }
        return traceTable[ref]
    }

    /// None (0), given (1), or the span `n - 2` back among those already read.
    private mutating func parent(_ previous: [Infertop_V1_Span]) throws -> UInt64 {
        switch try meta.varint() {
        case 0: return 0
        case 1: return try parents.fixed64()
        case let back:
            let at = previous.count - 1 - Int(back - 2)
            guard back - 2 < UInt64(SpanColumnsEncoder.parentWindow), at >= 0 else {
                throw ByteFormatError(description: "a parent \(back - 2) spans back is not there")
            }
            return previous[at].spanID
        }
    }

    private mutating func string() throws -> String {
        let ref = try strings.count()
        if ref == stringTable.count { stringTable.append(try readText(&text)) }
        guard ref < stringTable.count else { throw ByteFormatError(description: "span text \(ref) is never given") }
        return stringTable[ref]
    }

    /// A span's attributes; a double may repeat one of the span's earlier doubles by position.
    private mutating func attributes() throws -> [Infertop_V1_SpanAttribute] {
        let count = try meta.count(limit: 1 << 16)
        var attributes: [Infertop_V1_SpanAttribute] = []
        var spanDoubles: [Double] = []
        for _ in 0..<count {
            var attribute = Infertop_V1_SpanAttribute()
            attribute.key = try string()
            switch try meta.varint() {
            case 0: break
            case 1: attribute.stringValue = try string()
            case 2: attribute.boolValue = false
            case 3: attribute.boolValue = true
            case 4: attribute.intValue = try ints.signed()
            case 5:
                attribute.doubleValue = try doubles.double()
                spanDoubles.append(attribute.doubleValue)
            case let tag:
                let j = Int(tag - 6)
                guard j < spanDoubles.count else { throw ByteFormatError(description: "unknown attribute type \(tag)") }
                attribute.doubleValue = spanDoubles[j]
                spanDoubles.append(attribute.doubleValue)
            }
            attributes.append(attribute)
        }
        return attributes
    }
}

/// Reads a text `SpanColumnsEncoder.writeText` wrote.
private func readText(_ r: inout ByteReader) throws -> String {
    switch try r.byte() {
    case 0:
        return try r.string()
    case 1:
        let prefix = try r.data()
        let packed = try r.data()
        let digits = Array("0123456789abcdef".utf8)
        var utf8 = prefix
        for b in packed { utf8 += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        guard let s = String(validating: utf8, as: UTF8.self) else {
            throw ByteFormatError(description: "text is not UTF-8")
        }
        return s
    case let b:
        throw ByteFormatError(description: "unknown text form \(b)")
    }
}

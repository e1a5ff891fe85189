/// A chunk's spans stored by field rather than span by span, so the compressor sees like next to
/// like: trace ids once per trace, names and attribute keys once per chunk, start times as
/// differences, doubles together. Spans are more than half of what a cluster sends; stored as
/// the wire has them they compress about five to one, by field nearer eight.
///
/// Lossless for every field of `Infertop_V1_Span`: the decoded spans equal the encoded ones.
struct SpanColumnsEncoder {
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
        parents.fixed64(span.parentSpanID)
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
                meta.bytes.append(5)
                doubles.double(d)
            }
        }
    }

    /// The columns, each length-prefixed, in a fixed order.
    var encoded: [UInt8] {
        var w = ByteWriter()
        w.varint(count)
        for column in [traces, traceIDs, ids, parents, times, strings, text, meta, ints, doubles] { w.data(column.bytes) }
        return w.bytes
    }

    private mutating func string(_ s: String) {
        if let ref = stringTable[s] {
            strings.varint(ref)
        } else {
            strings.varint(stringTable.count)
            stringTable[s] = stringTable.count
            text.string(s)
        }
    }
}

/// Reads `SpanColumnsEncoder`'s columns back into spans, in their order.
enum SpanColumnsDecoder {
    static func decode(_ reader: inout ByteReader) throws -> [Infertop_V1_Span] {
        let count = try reader.count()
        var columns: [ByteReader] = []
        for _ in 0..<10 { columns.append(ByteReader(try reader.data())) }
        var traces = columns[0], traceIDs = columns[1], ids = columns[2], parents = columns[3], times = columns[4]
        var strings = columns[5], text = columns[6], meta = columns[7], ints = columns[8], doubles = columns[9]
        var traceTable: [[UInt8]] = []
        var stringTable: [String] = []
        func string() throws -> String {
            let ref = try strings.count()
            if ref == stringTable.count { stringTable.append(try text.string()) }
            guard ref < stringTable.count else { throw ByteFormatError(description: "span text \(ref) is never given") }
            return stringTable[ref]
        }
        var spans: [Infertop_V1_Span] = []
        spans.reserveCapacity(min(count, 1 << 20))
        var lastStart: UInt64 = 0
        for _ in 0..<count {
            var span = Infertop_V1_Span()
            let ref = try traces.count()
            if ref == traceTable.count { traceTable.append(try traceIDs.data()) }
            guard ref < traceTable.count else { throw ByteFormatError(description: "trace \(ref) is never given") }
            span.traceID = .init(traceTable[ref])
            span.spanID = try ids.fixed64()
            span.parentSpanID = try parents.fixed64()
            span.startUnixNano = lastStart &+ UInt64(bitPattern: try times.signed())
            span.endUnixNano = span.startUnixNano &+ UInt64(bitPattern: try times.signed())
            lastStart = span.startUnixNano
            span.name = try string()
            span.statusMessage = try string()
            span.service = try string()
            span.node = try string()
            span.kind = UInt32(truncatingIfNeeded: try meta.varint())
            span.statusCode = UInt32(truncatingIfNeeded: try meta.varint())
            let attributes = try meta.count(limit: 1 << 16)
            for _ in 0..<attributes {
                var attribute = Infertop_V1_SpanAttribute()
                attribute.key = try string()
                switch try meta.byte() {
                case 0: break
                case 1: attribute.stringValue = try string()
                case 2: attribute.boolValue = false
                case 3: attribute.boolValue = true
                case 4: attribute.intValue = try ints.signed()
                case 5: attribute.doubleValue = try doubles.double()
                case let tag: throw ByteFormatError(description: "unknown attribute type \(tag)")
                }
                span.attributes.append(attribute)
            }
            spans.append(span)
        }
        return spans
    }
}

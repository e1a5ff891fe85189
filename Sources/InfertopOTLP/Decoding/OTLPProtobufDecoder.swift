import InfertopCore

#if canImport(Foundation)
import Foundation
#endif

/// Reads an OTLP `ExportTraceServiceRequest` (or `TracesData`: same field 1) in protobuf straight
/// into `Span`s, without building the intermediate messages.
///
/// Wire-format damage anywhere (truncation, bad lengths, bad tags) fails the whole request.
/// A span that parses but is invalid (ids, times) is counted as rejected and the rest are kept.
/// Fields infertop does not keep (events, links, trace state, scope) are skipped; unknown
/// fields are skipped by wire type, as protobuf requires.
public enum OTLPProtobufDecoder: OTLPBodyDecoder {
    public static func decodeResult(_ buffer: UnsafeRawBufferPointer) -> Result<OTLPDecodeResult, OTLPDecodeError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(OTLPDecodeResult()) }
        var decoder = ProtobufSpanDecoder(base: base.assumingMemoryBound(to: UInt8.self))
        do {
            try decoder.request(0..<buffer.count)
        } catch {
            return .failure(OTLPDecodeError(decoder.describe(error)))
        }
        return .success(OTLPDecodeResult(
            spans: decoder.spans, rejectedSpans: decoder.rejected, rejectionMessage: decoder.rejection))
    }
}

/// Damage in the wire format, and the byte offset where it was found.
struct WireError: Error {
    var what: String
    var offset: Int
}

/// Protobuf wire types.
enum WireType {
    static let varint = 0
    static let fixed64 = 1
    static let lengthDelimited = 2
    static let startGroup = 3
    static let endGroup = 4
    static let fixed32 = 5
}

/// A cursor over one protobuf message's bytes.
struct ProtoReader {
    let base: UnsafePointer<UInt8>
    var pos: Int
    let end: Int

    init(base: UnsafePointer<UInt8>, _ range: Range<Int>) {
        self.base = base
        self.pos = range.lowerBound
        self.end = range.upperBound
    }

    var more: Bool { pos < end }

    @inline(__always)
    mutating func varint() throws(WireError) -> UInt64 {
        if pos < end, base[pos] < 0x80 {
            defer { pos += 1 }
            return UInt64(base[pos])
        }
        let start = pos
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while pos < end {
            let byte = base[pos]
            pos += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift >= 70 { throw WireError(what: "varint longer than 10 bytes", offset: start) }
        }
        throw WireError(what: "truncated varint", offset: start)
    }

    /// The next field's number and wire type.
    @inline(__always)
    mutating func tag() throws(WireError) -> (field: Int, wire: Int) {
        let start = pos
        let tag = try varint()
        let field = tag >> 3
        guard field > 0, field <= 0x1FFF_FFFF else {
            throw WireError(what: "invalid field number \(field)", offset: start)
        }
        return (Int(field), Int(tag & 7))
    }

    /// The byte range of a length-delimited field's payload.
    @inline(__always)
    mutating func lengthDelimited() throws(WireError) -> Range<Int> {
        let start = pos
        let length = try varint()
        guard length <= UInt64(end - pos) else {
            throw WireError(what: "length \(length) runs past the end of its message", offset: start)
        }
        let range = pos..<(pos + Int(length))
        pos = range.upperBound
        return range
    }

    @inline(__always)
    mutating func fixed64() throws(WireError) -> UInt64 {
        guard end - pos >= 8 else { throw WireError(what: "truncated fixed64", offset: pos) }
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(base[pos + i]) }
        pos += 8
        return v
    }

    /// Skips one field's value; groups are skipped whole, nested at most `maxNesting` deep.
    mutating func skip(field: Int, wire: Int, depth: Int = 0) throws(WireError) {
        switch wire {
        case WireType.varint: _ = try varint()
        case WireType.fixed64:
            guard end - pos >= 8 else { throw WireError(what: "truncated fixed64", offset: pos) }
            pos += 8
        case WireType.lengthDelimited: _ = try lengthDelimited()
        case WireType.fixed32:
            guard end - pos >= 4 else { throw WireError(what: "truncated fixed32", offset: pos) }
            pos += 4
        case WireType.startGroup:
            guard depth < OTLPLimits.maxGroupNesting else {
                throw WireError(what: "groups nested deeper than \(OTLPLimits.maxGroupNesting)", offset: pos)
            }
            while true {
                guard more else { throw WireError(what: "unterminated group \(field)", offset: pos) }
                let (inner, innerWire) = try tag()
                if innerWire == WireType.endGroup {
                    guard inner == field else {
                        throw WireError(what: "group \(field) closed as \(inner)", offset: pos)
                    }
                    return
                }
                try skip(field: inner, wire: innerWire, depth: depth + 1)
            }
        case WireType.endGroup:
            throw WireError(what: "unexpected end of group \(field)", offset: pos)
        default:
            throw WireError(what: "invalid wire type \(wire) for field \(field)", offset: pos)
        }
    }

    /// True when a known field has the schema's wire type. Otherwise the field is skipped, as an
    /// unknown one (what protobuf parsers do with a wire-type mismatch), and the answer is false.
    @inline(__always)
    mutating func take(_ wire: Int, as expected: Int, field: Int) throws(WireError) -> Bool {
        if wire == expected { return true }
        try skip(field: field, wire: wire)
        return false
    }
}

/// The state of one protobuf request's decoding.
struct ProtobufSpanDecoder {
    let base: UnsafePointer<UInt8>
    var spans: [Span] = []
    var rejected = 0
    var rejection: String?
    var scratch = AttributeScratch()
    // Where we are, for messages.
    var resourceIndex = -1
    var scopeIndex = -1
    var spanIndex = -1

    init(base: UnsafePointer<UInt8>) {
        self.base = base
    }

    var location: String {
        var s = ""
        if resourceIndex >= 0 { s += "resourceSpans[\(resourceIndex)]" }
        if scopeIndex >= 0 { s += ".scopeSpans[\(scopeIndex)]" }
        if spanIndex >= 0 { s += ".spans[\(spanIndex)]" }
        return s
    }

    func describe(_ error: WireError) -> String {
        let at = location
        return (at.isEmpty ? "" : at + ": ") + "malformed protobuf: \(error.what) at byte \(error.offset)"
    }

    mutating func reject(_ what: String) {
        rejected += 1
        if rejection == nil { rejection = "\(location).\(what)" }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    mutating func request(_ range: Range<Int>) throws(WireError) {
        var r = ProtoReader(base: base, range)
        var index = 0
        while r.more {
            let (field, wire) = try r.tag()
            if field == 1 {
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    resourceIndex = index
                    try resourceSpans(r.lengthDelimited())
                    index += 1
                }
            } else {
                try r.skip(field: field, wire: wire)
            }
        }
        resourceIndex = -1
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
    mutating func resourceSpans(_ range: Range<Int>) throws(WireError) {
        // The resource may follow its spans on the wire: read it first, then the spans.
        var r = ProtoReader(base: base, range)
        var context = ResourceContext()
        var sawScopes = false
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    try resource(r.lengthDelimited(), into: &context)
                }
            case 2:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    _ = try r.lengthDelimited()
                    sawScopes = true
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        guard sawScopes else { return }
        r = ProtoReader(base: base, range)
        var index = 0
        while r.more {
            let (field, wire) = try r.tag()
            if field == 2, wire == WireType.lengthDelimited {
                scopeIndex = index
                try scopeSpans(r.lengthDelimited(), context)
                index += 1
            } else {
                try r.skip(field: field, wire: wire)
            }
        }
        scopeIndex = -1
    }

    // Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
    mutating func resource(_ range: Range<Int>, into context: inout ResourceContext) throws(WireError) {
        var r = ProtoReader(base: base, range)
        while r.more {
            let (field, wire) = try r.tag()
            if field == 1 {
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    if let (key, value) = try keyValue(r.lengthDelimited()) { context.add(key: key, value: value) }
                }
            } else {
                try r.skip(field: field, wire: wire)
            }
        }
    }

    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
    mutating func scopeSpans(_ range: Range<Int>, _ context: ResourceContext) throws(WireError) {
        var r = ProtoReader(base: base, range)
        var index = 0
        while r.more {
            let (field, wire) = try r.tag()
            if field == 2 {
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    spanIndex = index
                    try span(r.lengthDelimited(), context)
                    index += 1
                }
            } else {
                try r.skip(field: field, wire: wire)
            }
        }
        spanIndex = -1
    }

    // Span: see trace.proto.
    mutating func span(_ range: Range<Int>, _ context: ResourceContext) throws(WireError) {
        var r = ProtoReader(base: base, range)
        var traceRange = 0..<0
        var spanRange = 0..<0
        var parentRange = 0..<0
        var nameRange = 0..<0
        var kind: UInt64 = 0
        var start: UInt64 = 0
        var end: UInt64 = 0
        var status = SpanStatus()
        scratch.reset()
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    traceRange = try r.lengthDelimited()
                }
            case 2:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    spanRange = try r.lengthDelimited()
                }
            case 4:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    parentRange = try r.lengthDelimited()
                }
            case 5:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    nameRange = try r.lengthDelimited()
                }
            case 6:
                if try r.take(wire, as: WireType.varint, field: field) {
                    kind = try r.varint()
                }
            case 7:
                if try r.take(wire, as: WireType.fixed64, field: field) {
                    start = try r.fixed64()
                }
            case 8:
                if try r.take(wire, as: WireType.fixed64, field: field) {
                    end = try r.fixed64()
                }
            case 9:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    if let (key, value) = try keyValue(r.lengthDelimited()) { scratch.add(key, value) }
                }
            case 15:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    try self.status(r.lengthDelimited(), into: &status)
                }
            default:
                // 3 trace_state, 10-14 dropped counts / events / links, 16 flags, unknown fields.
                try r.skip(field: field, wire: wire)
            }
        }

        let traceID: TraceID
        switch RawIDs.traceID(base + traceRange.lowerBound, traceRange.count) {
        case .success(let id): traceID = id
        case .failure(.zero): return reject("traceId: all zeros (invalid)")
        case .failure(.length(let n)): return reject("traceId: expected 16 bytes, got \(n)")
        }
        let spanID: SpanID
        switch RawIDs.spanID(base + spanRange.lowerBound, spanRange.count) {
        case .success(let id): spanID = id
        case .failure(.zero): return reject("spanId: all zeros (invalid)")
        case .failure(.length(let n)): return reject("spanId: expected 8 bytes, got \(n)")
        }
        var parent: SpanID?
        switch RawIDs.spanID(base + parentRange.lowerBound, parentRange.count) {
        case .success(let id): parent = id
        case .failure(.zero): parent = nil  // eight zero bytes: some exporters' way of saying "root"
        case .failure(.length(let n)):
            if n != 0 { return reject("parentSpanId: expected 8 bytes or none, got \(n)") }
        }
        guard end >= start else {
            return reject("endTimeUnixNano: \(end) is before startTimeUnixNano \(start)")
        }
        let name = BoundedText.make(base + nameRange.lowerBound, nameRange.count, limit: OTLPLimits.maxNameBytes)
        spans.append(Span(
            traceID: traceID, spanID: spanID, parentSpanID: parent, name: name,
            kind: SpanKindMapping.kind(Int64(truncatingIfNeeded: kind)), startNanos: start, endNanos: end,
            status: status, service: context.service, node: context.node,
            attributes: SpanAttributes(scratch.merged(with: context.attributes))))
    }

    // Status { string message = 2; StatusCode code = 3; }
    func status(_ range: Range<Int>, into status: inout SpanStatus) throws(WireError) {
        var r = ProtoReader(base: base, range)
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 2:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let m = try r.lengthDelimited()
                    status.message = BoundedText.make(base + m.lowerBound, m.count, limit: OTLPLimits.maxValueBytes)
                }
            case 3:
                if try r.take(wire, as: WireType.varint, field: field) {
                    status.code = SpanKindMapping.statusCode(Int64(truncatingIfNeeded: try r.varint()))
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
    }

    // KeyValue { string key = 1; AnyValue value = 2; }: where its key and value lie.
    func keyValueRanges(_ range: Range<Int>) throws(WireError) -> (key: Range<Int>, value: Range<Int>?) {
        var r = ProtoReader(base: base, range)
        var keyRange = 0..<0
        var valueRange: Range<Int>?
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    keyRange = try r.lengthDelimited()
                }
            case 2:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    valueRange = try r.lengthDelimited()
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        return (keyRange, valueRange)
    }

    // A KeyValue as an attribute: nil for an empty key.
    func keyValue(_ range: Range<Int>) throws(WireError) -> (String, AttributeValue)? {
        let (keyRange, valueRange) = try keyValueRanges(range)
        guard !keyRange.isEmpty else { return nil }
        let key = BoundedText.make(base + keyRange.lowerBound, keyRange.count, limit: OTLPLimits.maxValueBytes)
        guard let valueRange else { return (key, .string("")) }
        return (key, try anyValue(valueRange, depth: 0))
    }

    // AnyValue { oneof { string 1; bool 2; int64 3; double 4; ArrayValue 5; KeyValueList 6; bytes 7; } }
    func anyValue(_ range: Range<Int>, depth: Int) throws(WireError) -> AttributeValue {
        var r = ProtoReader(base: base, range)
        var value = AttributeValue.string("")
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let s = try r.lengthDelimited()
                    value = .string(BoundedText.make(base + s.lowerBound, s.count, limit: OTLPLimits.maxValueBytes))
                }
            case 2:
                if try r.take(wire, as: WireType.varint, field: field) {
                    value = .bool(try r.varint() != 0)
                }
            case 3:
                if try r.take(wire, as: WireType.varint, field: field) {
                    value = .int(Int64(bitPattern: try r.varint()))
                }
            case 4:
                if try r.take(wire, as: WireType.fixed64, field: field) {
                    value = .double(Double(bitPattern: try r.fixed64()))
                }
            case 5:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let inner = try r.lengthDelimited()
                    var text = RenderedText()
                    try renderList(inner, keyed: false, depth: depth, into: &text)
                    value = text.value
                }
            case 6:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let inner = try r.lengthDelimited()
                    var text = RenderedText()
                    try renderList(inner, keyed: true, depth: depth, into: &text)
                    value = text.value
                }
            case 7:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let b = try r.lengthDelimited()
                    value = .string(BoundedText.hex(base + b.lowerBound, b.count, limit: OTLPLimits.maxValueBytes))
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        return value
    }

    /// ArrayValue { repeated AnyValue values = 1; } as `[a, b]`;
    /// KeyValueList { repeated KeyValue values = 1; } as `{k=v, k2=w}`.
    func renderList(_ range: Range<Int>, keyed: Bool, depth: Int, into text: inout RenderedText) throws(WireError) {
        text.append(keyed ? "{" : "[")
        defer { text.append(keyed ? "}" : "]") }
        guard depth < OTLPLimits.maxRenderDepth else {
            // Still a well-formed length-delimited payload; too deep to be worth showing.
            text.append("…")
            return
        }
        var r = ProtoReader(base: base, range)
        var first = true
        while r.more {
            let (field, wire) = try r.tag()
            guard field == 1 else {
                try r.skip(field: field, wire: wire)
                continue
            }
            if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                let element = try r.lengthDelimited()
                if text.full { continue }
                if !first { text.append(", ") }
                first = false
                if keyed {
                    try renderKeyValue(element, depth: depth + 1, into: &text)
                } else {
                    try renderValue(element, depth: depth + 1, into: &text)
                }
            }
        }
    }

    func renderKeyValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        let (keyRange, valueRange) = try keyValueRanges(range)
        text.append(BoundedText.make(base + keyRange.lowerBound, keyRange.count, limit: OTLPLimits.maxValueBytes))
        text.append("=")
        if let valueRange { try renderValue(valueRange, depth: depth, into: &text) }
    }

    func renderValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        // Lists inside are rendered by anyValue's recursion; scalars as their text.
        let value = try anyValue(range, depth: depth)
        text.append(value.description)
    }
}

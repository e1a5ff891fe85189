import InfertopCore

/// The state of one protobuf request's decoding.
struct ProtobufSpanDecoder {
    let base: UnsafePointer<UInt8>
    /// The spans kept and those refused, so far.
    var result = OTLPDecodeResult()
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
        result.reject("\(location).\(what)")
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    mutating func request(_ range: Range<Int>) throws(WireError) {
        var r = ProtoReader(base: base, range)
        try r.forEachMessage(1) { (resource, index) throws(WireError) in
            resourceIndex = index
            try resourceSpans(resource)
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
            case 1: if let v = try r.lengthDelimited(wire, field: field) { try resource(v, into: &context) }
            case 2: if try r.lengthDelimited(wire, field: field) != nil { sawScopes = true }
            default: try r.skip(field: field, wire: wire)
            }
        }
        guard sawScopes else { return }
        r = ProtoReader(base: base, range)
        try r.forEachMessage(2) { (scope, index) throws(WireError) in
            scopeIndex = index
            try scopeSpans(scope, context)
        }
        scopeIndex = -1
    }

    // Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
    mutating func resource(_ range: Range<Int>, into context: inout ResourceContext) throws(WireError) {
        var r = ProtoReader(base: base, range)
        try r.forEachMessage(1) { (attribute, _) throws(WireError) in
            if let (key, value) = try keyValue(attribute) { context.add(key: key, value: value) }
        }
    }

    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
    mutating func scopeSpans(_ range: Range<Int>, _ context: ResourceContext) throws(WireError) {
        var r = ProtoReader(base: base, range)
        try r.forEachMessage(2) { (span, index) throws(WireError) in
            spanIndex = index
            try self.span(span, context)
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
            case 1: if let v = try r.lengthDelimited(wire, field: field) { traceRange = v }
            case 2: if let v = try r.lengthDelimited(wire, field: field) { spanRange = v }
            case 4: if let v = try r.lengthDelimited(wire, field: field) { parentRange = v }
            case 5: if let v = try r.lengthDelimited(wire, field: field) { nameRange = v }
            case 6: if let v = try r.varint(wire, field: field) { kind = v }
            case 7: if let v = try r.fixed64(wire, field: field) { start = v }
            case 8: if let v = try r.fixed64(wire, field: field) { end = v }
            case 9:
                if let v = try r.lengthDelimited(wire, field: field), let (key, value) = try keyValue(v) {
                    scratch.add(key, value)
                }
            case 15: if let v = try r.lengthDelimited(wire, field: field) { try self.status(v, into: &status) }
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
        let name = text(nameRange, limit: OTLPLimits.maxNameBytes)
        result.spans.append(
            Span(
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
            case 2: if let v = try r.lengthDelimited(wire, field: field) { status.message = text(v) }
            case 3:
                if let v = try r.varint(wire, field: field) {
                    status.code = SpanKindMapping.statusCode(Int64(truncatingIfNeeded: v))
                }
            default: try r.skip(field: field, wire: wire)
            }
        }
    }

    /// The UTF-8 text at `range`, cut to `limit` bytes.
    @inline(__always)
    func text(_ range: Range<Int>, limit: Int = OTLPLimits.maxValueBytes) -> String {
        BoundedText.make(base + range.lowerBound, range.count, limit: limit)
    }
}

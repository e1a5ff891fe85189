import InfertopCore

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
        spans.append(
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
}

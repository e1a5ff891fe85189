import InfertopCore

#if canImport(Foundation)
    import Foundation
#endif

/// The OTLP request's structure: resource spans, scopes, spans, attributes, status.
extension JSONSpanDecoder {
    // MARK: OTLP structure

    /// ExportTraceServiceRequest: `{"resourceSpans": [...]}`.
    mutating func request() throws(JSONProblem) {
        let kind = try peekKind()
        guard kind == .object else {
            try skipValue()  // not JSON at all is a syntax error, reported as such
            throw shape("expected an ExportTraceServiceRequest object, got \(kind.described)")
        }
        if try beginObject() {
            repeat {
                let k = try key()
                if keyIs(k, "resourceSpans", "resource_spans") {
                    try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.resourceSpans() }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        skipWhitespace()
        if pos < count { throw syntax("unexpected \(describeByte(base[pos])) after the end of the request") }
    }

    /// Reads an array (null: none) calling `element` for each, with the index on the path.
    mutating func array(_ element: (inout Self, Int) throws(JSONProblem) -> Void) throws(JSONProblem) {
        let kind = try peekKind()
        if kind == .null { return try skipValue() }
        guard kind == .array else { throw try wrongType(kind, expected: "an array") }
        guard try beginArray() else { return }
        var i = 0
        repeat {
            path.append(.index(i))
            try element(&self, i)
            path.removeLast()
            i += 1
        } while try nextElement()
    }

    /// Checks the next value is an object (null: returns false).
    mutating func objectStart() throws(JSONProblem) -> Bool {
        let kind = try peekKind()
        if kind == .null {
            try skipValue()
            return false
        }
        guard kind == .object else { throw try wrongType(kind, expected: "an object") }
        return try beginObject()
    }

    /// ResourceSpans: `{"resource": {...}, "scopeSpans": [...], "schemaUrl": ""}`.
    /// The resource usually comes first; scope spans seen before it are read again once it is known.
    mutating func resourceSpans() throws(JSONProblem) {
        var context = ResourceContext()
        var sawResource = false
        var deferred: [(key: JSONKey, at: Int)] = []
        if try objectStart() {
            repeat {
                let k = try key()
                if keyIs(k, "resource") {
                    try resource(into: &context)
                    sawResource = true
                } else if keyIs(k, "scopeSpans", "scope_spans") || keyIs(k, "instrumentationLibrarySpans") {
                    if sawResource {
                        try scopeSpansArray(context)
                    } else {
                        deferred.append((k, pos))
                        try skipValue()
                    }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        guard !deferred.isEmpty else { return }
        let end = pos
        for (k, at) in deferred {
            pos = at
            path.append(.key(start: k.start, end: k.end))
            try scopeSpansArray(context)
            path.removeLast()
        }
        pos = end
    }

    mutating func scopeSpansArray(_ context: ResourceContext) throws(JSONProblem) {
        try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.scopeSpans(context) }
    }

    /// Resource: `{"attributes": [...], "droppedAttributesCount": 0}`.
    mutating func resource(into context: inout ResourceContext) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "attributes") {
                try array { (d: inout Self, i: Int) throws(JSONProblem) in
                    if let (key, value) = try d.keyValue() { context.add(key: key, value: value) }
                }
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    /// ScopeSpans: `{"scope": {...}, "spans": [...], "schemaUrl": ""}`.
    mutating func scopeSpans(_ context: ResourceContext) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "spans") {
                try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.span(context) }
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    static let spanKindNames = [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
        "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"
    ]
    static let statusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]

    /// One span. Syntax errors fail the request; a field of the wrong type or content rejects the span.
    mutating func span(_ context: ResourceContext) throws(JSONProblem) {
        let kind = try peekKind()
        guard kind == .object else { return reject(try wrongType(kind, expected: "a span object")) }
        scratch.reset()
        var fields = RawSpanFields()
        if let problem = try spanFields(into: &fields) { return reject(problem) }
        keep(fields, context)
    }

    /// Reads a span object's members into `fields`, its attributes into `scratch`. Returns the
    /// first value of the wrong type or content (the rest are still read); syntax errors throw.
    mutating func spanFields(into fields: inout RawSpanFields) throws(JSONProblem) -> JSONProblem? {
        var problem: JSONProblem?
        guard try beginObject() else { return nil }
        repeat {
            let k = try key()
            let mark = pos
            let depth = path.count
            do throws(JSONProblem) {
                if keyIs(k, "traceId", "trace_id") {
                    fields.traceID = try hexID(bytes: 16)
                } else if keyIs(k, "spanId", "span_id") {
                    fields.spanID = try hexID(bytes: 8)
                } else if keyIs(k, "parentSpanId", "parent_span_id") {
                    fields.parentID = try hexID(bytes: 8)
                } else if keyIs(k, "name") {
                    fields.name = try string(limit: OTLPLimits.maxNameBytes)
                } else if keyIs(k, "kind") {
                    fields.kind = SpanKindMapping.kind(try enumValue(names: Self.spanKindNames))
                } else if keyIs(k, "startTimeUnixNano", "start_time_unix_nano") {
                    fields.start = try uint64()
                } else if keyIs(k, "endTimeUnixNano", "end_time_unix_nano") {
                    fields.end = try uint64()
                } else if keyIs(k, "attributes") {
                    try array { (d: inout Self, i: Int) throws(JSONProblem) in
                        if let (key, value) = try d.keyValue() { d.scratch.add(key, value) }
                    }
                } else if keyIs(k, "status") {
                    try status(into: &fields.status)
                } else {
                    try skipValue()
                }
            } catch {
                if case .syntax = error { throw error }
                if problem == nil { problem = error }
                // The problem may lie deep inside the field's value: skip the value whole.
                pos = mark
                path.removeSubrange(depth...)
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
        return problem
    }

    /// Checks a span's ids and times and keeps it, or rejects it naming the field.
    mutating func keep(_ fields: RawSpanFields, _ context: ResourceContext) {
        let trace: (UInt64, UInt64)
        switch fields.traceID {
        case .id(let high, let low) where high != 0 || low != 0: trace = (high, low)
        case .id: return reject(field: "traceId", "all zeros (invalid)")
        case .none: return reject(field: "traceId", "missing (expected 32 hex digits)")
        case .bad(let text): return reject(field: "traceId", "expected 32 hex digits, got \(text)")
        }
        let span: UInt64
        switch fields.spanID {
        case .id(_, let low) where low != 0: span = low
        case .id: return reject(field: "spanId", "all zeros (invalid)")
        case .none: return reject(field: "spanId", "missing (expected 16 hex digits)")
        case .bad(let text): return reject(field: "spanId", "expected 16 hex digits, got \(text)")
        }
        var parent: SpanID?
        switch fields.parentID {
        case .id(_, let low): parent = low == 0 ? nil : SpanID(low)
        case .none: parent = nil
        case .bad(let text): return reject(field: "parentSpanId", "expected 16 hex digits or \"\", got \(text)")
        }
        guard fields.end >= fields.start else {
            return reject(field: "endTimeUnixNano", "\(fields.end) is before startTimeUnixNano \(fields.start)")
        }
        result.spans.append(
            Span(
                traceID: TraceID(high: trace.0, low: trace.1), spanID: SpanID(span), parentSpanID: parent,
                name: fields.name, kind: fields.kind, startNanos: fields.start, endNanos: fields.end,
                status: fields.status, service: context.service, node: context.node,
                attributes: SpanAttributes(scratch.merged(with: context.attributes))))
    }

    mutating func reject(_ problem: JSONProblem) {
        result.reject(describe(problem))
    }

    mutating func reject(field: String, _ what: String) {
        result.reject("\(pathString()).\(field): \(what)")
    }

    /// Status: `{"message": "", "code": 2}`.
    mutating func status(into status: inout SpanStatus) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "message") {
                status.message = try string(limit: OTLPLimits.maxValueBytes)
            } else if keyIs(k, "code") {
                status.code = SpanKindMapping.statusCode(try enumValue(names: Self.statusCodeNames))
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    /// KeyValue: `{"key": "k", "value": {...AnyValue}}`; nil for an empty key.
    mutating func keyValue() throws(JSONProblem) -> (String, AttributeValue)? {
        let (name, value) = try keyAndValue(depth: 0)
        return name.isEmpty ? nil : (name, value)
    }

    /// A KeyValue's two members, whatever their order; `""` and an empty string value when absent.
    private mutating func keyAndValue(depth: Int) throws(JSONProblem) -> (String, AttributeValue) {
        var name = ""
        var value = AttributeValue.string("")
        guard try objectStart() else { return (name, value) }
        repeat {
            let k = try key()
            if keyIs(k, "key") {
                name = try string(limit: OTLPLimits.maxValueBytes)
            } else if keyIs(k, "value") {
                var text = RenderedText()
                value = try anyValue(depth: depth, rendering: &text)
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
        return (name, value)
    }

    /// AnyValue: `{"stringValue": "x"}`, `{"intValue": "3"}`, `{"arrayValue": {"values": [...]}}` ...
    /// Arrays and key-value lists come back as their rendered text.
    mutating func anyValue(depth: Int, rendering text: inout RenderedText) throws(JSONProblem) -> AttributeValue {
        var value = AttributeValue.string("")
        guard try objectStart() else { return value }
        repeat {
            let k = try key()
            if keyIs(k, "stringValue", "string_value") {
                value = .string(try string(limit: OTLPLimits.maxValueBytes))
            } else if keyIs(k, "boolValue", "bool_value") {
                value = .bool(try bool())
            } else if keyIs(k, "intValue", "int_value") {
                value = .int(try int64())
            } else if keyIs(k, "doubleValue", "double_value") {
                value = .double(try double())
            } else if keyIs(k, "bytesValue", "bytes_value") {
                value = .string(try base64AsHex())
            } else if keyIs(k, "arrayValue", "array_value") {
                value = try list(keyed: false, depth: depth)
            } else if keyIs(k, "kvlistValue", "kvlist_value") {
                value = try list(keyed: true, depth: depth)
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
        return value
    }

    /// ArrayValue `{"values": [AnyValue...]}` as `[a, b]`; KeyValueList `{"values": [KeyValue...]}` as `{k=v}`.
    mutating func list(keyed: Bool, depth: Int) throws(JSONProblem) -> AttributeValue {
        var text = RenderedText()
        text.append(keyed ? "{" : "[")
        if depth >= OTLPLimits.maxRenderDepth {
            try skipValue()
            text.append("…")
        } else if try objectStart() {
            repeat {
                let k = try key()
                if keyIs(k, "values") {
                    try array { (d: inout Self, i: Int) throws(JSONProblem) in
                        if i > 0 { text.append(", ") }
                        if keyed {
                            try d.renderKeyValue(depth: depth + 1, into: &text)
                        } else {
                            var inner = RenderedText()
                            text.append(try d.anyValue(depth: depth + 1, rendering: &inner).description)
                        }
                    }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        text.append(keyed ? "}" : "]")
        return text.value
    }

    mutating func renderKeyValue(depth: Int, into text: inout RenderedText) throws(JSONProblem) {
        let (name, value) = try keyAndValue(depth: depth)
        text.append(name)
        text.append("=")
        text.append(value.description)
    }
}

/// Span fields as the JSON decoder found them, before validation.
struct RawSpanFields {
    var traceID = JSONSpanDecoder.HexID.none
    var spanID = JSONSpanDecoder.HexID.none
    var parentID = JSONSpanDecoder.HexID.none
    var name = ""
    var kind: SpanKind = .unspecified
    var start: UInt64 = 0
    var end: UInt64 = 0
    var status = SpanStatus()
}

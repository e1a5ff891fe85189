import Foundation
import InfertopCore
import SwiftProtobuf

/// Writes spans as an OTLP `ExportTraceServiceRequest`, the way an instrumented engine would send
/// them: one ResourceSpans per (node, service) carrying `host.name` and `service.name`, one
/// ScopeSpans each, the span's attributes as span attributes. The simulator sends its spans
/// through this and the decoders, so the demo runs the real ingest path.
public enum OTLPEncoder {
    /// The instrumentation scope named in encoded requests.
    public static let scopeName = "infertop"

    /// Binary protobuf (`application/x-protobuf`).
    public static func protobuf(_ spans: [Span]) -> [UInt8] {
        do {
            return try request(spans).serializedBytes()
        } catch {
            // Serializing a message built from valid Swift values cannot fail.
            preconditionFailure("OTLP request did not serialize: \(error)")
        }
    }

    /// OTLP/JSON (`application/json`): hex ids, integer enums, 64-bit integers as strings.
    public static func json(_ spans: [Span]) -> [UInt8] {
        var out = JSONWriter()
        out.raw("{\"resourceSpans\":[")
        for (g, group) in groups(spans).enumerated() {
            if g > 0 { out.raw(",") }
            out.raw("{\"resource\":{\"attributes\":[")
            var firstAttribute = true
            if let node = group.node {
                out.keyValue(SpanAttributeKey.hostName, .string(node.name))
                firstAttribute = false
            }
            if !group.service.isEmpty {
                if !firstAttribute { out.raw(",") }
                out.keyValue(SpanAttributeKey.serviceName, .string(group.service))
            }
            out.raw("]},\"scopeSpans\":[{\"scope\":{\"name\":")
            out.string(scopeName)
            out.raw("},\"spans\":[")
            for (i, span) in group.spans.enumerated() {
                if i > 0 { out.raw(",") }
                out.span(span)
            }
            out.raw("]}]}")
        }
        out.raw("]}")
        return out.bytes
    }

    /// The request as generated protobuf messages.
    static func request(_ spans: [Span]) -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest {
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = groups(spans).map { group in
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            if let node = group.node {
                resourceSpans.resource.attributes.append(keyValue(SpanAttributeKey.hostName, .string(node.name)))
            }
            if !group.service.isEmpty {
                resourceSpans.resource.attributes.append(keyValue(SpanAttributeKey.serviceName, .string(group.service)))
            }
            var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
            scope.scope.name = scopeName
            scope.spans = group.spans.map(message)
            resourceSpans.scopeSpans = [scope]
            return resourceSpans
        }
        return request
    }

    static func message(_ span: Span) -> Opentelemetry_Proto_Trace_V1_Span {
        var m = Opentelemetry_Proto_Trace_V1_Span()
        m.traceID = Data(span.traceID.bytes)
        m.spanID = Data(span.spanID.bytes)
        if let parent = span.parentSpanID { m.parentSpanID = Data(parent.bytes) }
        m.name = span.name
        m.kind = Opentelemetry_Proto_Trace_V1_Span.SpanKind(rawValue: span.kind.rawValue) ?? .unspecified
        m.startTimeUnixNano = span.startNanos
        m.endTimeUnixNano = span.endNanos
        m.attributes = span.attributes.keys.sorted().map { keyValue($0, span.attributes[$0]!) }
        if span.status != SpanStatus() {
            m.status.code =
                Opentelemetry_Proto_Trace_V1_Status.StatusCode(rawValue: span.status.code.rawValue) ?? .unset
            m.status.message = span.status.message
        }
        return m
    }

    static func keyValue(_ key: String, _ value: AttributeValue) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var kv = Opentelemetry_Proto_Common_V1_KeyValue()
        kv.key = key
        switch value {
        case .string(let s): kv.value.stringValue = s
        case .bool(let b): kv.value.boolValue = b
        case .int(let i): kv.value.intValue = i
        case .double(let d): kv.value.doubleValue = d
        }
        return kv
    }

    struct Group {
        var node: NodeID?
        var service: String
        var spans: [Span]
    }

    struct GroupKey: Hashable {
        var node: NodeID?
        var service: String
    }

    /// Spans by (node, service), groups in order of first appearance, spans in their order.
    static func groups(_ spans: [Span]) -> [Group] {
        var index: [GroupKey: Int] = [:]
        var out: [Group] = []
        for span in spans {
            let key = GroupKey(node: span.node, service: span.service)
            if let i = index[key] {
                out[i].spans.append(span)
            } else {
                index[key] = out.count
                out.append(Group(node: span.node, service: span.service, spans: [span]))
            }
        }
        return out
    }
}

/// Appends OTLP/JSON text to a byte buffer.
struct JSONWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A JSON string with the escapes JSON requires.
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(BoundedText.hexDigits[Int(c >> 4)])
                bytes.append(BoundedText.hexDigits[Int(c & 15)])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func keyValue(_ key: String, _ value: AttributeValue) {
        raw("{\"key\":")
        string(key)
        raw(",\"value\":{")
        switch value {
        case .string(let s):
            raw("\"stringValue\":")
            string(s)
        case .bool(let b):
            raw(b ? "\"boolValue\":true" : "\"boolValue\":false")
        case .int(let i):
            raw("\"intValue\":\"")
            text(String(i))
            raw("\"")
        case .double(let d):
            raw("\"doubleValue\":")
            if d.isNaN {
                raw("\"NaN\"")
            } else if d.isInfinite {
                raw(d < 0 ? "\"-Infinity\"" : "\"Infinity\"")
            } else {
                text(String(d))
            }
        }
        raw("}}")
    }

    mutating func span(_ span: Span) {
        raw("{\"traceId\":\"")
        text(span.traceID.hex)
        raw("\",\"spanId\":\"")
        text(span.spanID.hex)
        raw("\"")
        if let parent = span.parentSpanID {
            raw(",\"parentSpanId\":\"")
            text(parent.hex)
            raw("\"")
        }
        raw(",\"name\":")
        string(span.name)
        raw(",\"kind\":")
        text(String(span.kind.rawValue))
        raw(",\"startTimeUnixNano\":\"")
        text(String(span.startNanos))
        raw("\",\"endTimeUnixNano\":\"")
        text(String(span.endNanos))
        raw("\"")
        if !span.attributes.isEmpty {
            raw(",\"attributes\":[")
            for (i, key) in span.attributes.keys.sorted().enumerated() {
                if i > 0 { raw(",") }
                keyValue(key, span.attributes[key]!)
            }
            raw("]")
        }
        if span.status != SpanStatus() {
            raw(",\"status\":{")
            if !span.status.message.isEmpty {
                raw("\"message\":")
                string(span.status.message)
                raw(",")
            }
            raw("\"code\":")
            text(String(span.status.code.rawValue))
            raw("}")
        }
        raw("}")
    }
}

import Foundation
import InfertopCore
import SwiftProtobuf
import Testing

@testable import InfertopOTLP

typealias PBRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
typealias PBResponse = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
typealias PBSpan = Opentelemetry_Proto_Trace_V1_Span
typealias PBKeyValue = Opentelemetry_Proto_Common_V1_KeyValue
typealias PBAnyValue = Opentelemetry_Proto_Common_V1_AnyValue

func kv(_ key: String, _ set: (inout PBAnyValue) -> Void) -> PBKeyValue {
    var kv = PBKeyValue()
    kv.key = key
    set(&kv.value)
    return kv
}

func pbSpan(
    trace: [UInt8] = Array(repeating: 0xAB, count: 16), span: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 7],
    parent: [UInt8] = [], name: String = "s", start: UInt64 = 10, end: UInt64 = 20
) -> PBSpan {
    var s = PBSpan()
    s.traceID = Data(trace)
    s.spanID = Data(span)
    s.parentSpanID = Data(parent)
    s.name = name
    s.startTimeUnixNano = start
    s.endTimeUnixNano = end
    return s
}

func pbRequest(_ spans: [PBSpan], resource: [PBKeyValue] = []) -> PBRequest {
    var request = PBRequest()
    var rs = Opentelemetry_Proto_Trace_V1_ResourceSpans()
    rs.resource.attributes = resource
    var ss = Opentelemetry_Proto_Trace_V1_ScopeSpans()
    ss.spans = spans
    rs.scopeSpans = [ss]
    request.resourceSpans = [rs]
    return request
}

@Suite struct ProtobufDecoderTests {
    @Test func decodesEveryFieldFromGeneratedMessages() throws {
        var span = pbSpan(
            trace: Array(0x01...0x10), span: [0xEE, 0xE1, 0x9B, 0x7E, 0xC3, 0xC1, 0xB1, 0x74],
            parent: [0xEE, 0xE1, 0x9B, 0x7E, 0xC3, 0xC1, 0xB1, 0x73], name: "llm_request",
            start: 1_544_712_660_000_000_000, end: 1_544_712_661_000_000_000)
        span.kind = .server
        span.status.code = .error
        span.status.message = "boom"
        span.traceState = "vendor=1"
        span.flags = 1
        span.attributes = [
            kv("s") { $0.stringValue = "text" },
            kv("b") { $0.boolValue = true },
            kv("i") { $0.intValue = -42 },
            kv("d") { $0.doubleValue = 0.25 },
            kv("bytes") { $0.bytesValue = Data([0xDE, 0xAD, 0xBE, 0xEF]) },
            kv("array") {
                var a = Opentelemetry_Proto_Common_V1_ArrayValue()
                var x = PBAnyValue()
                x.stringValue = "stop"
                var y = PBAnyValue()
                y.intValue = 3
                a.values = [x, y]
                $0.arrayValue = a
            },
            kv("kv") {
                var l = Opentelemetry_Proto_Common_V1_KeyValueList()
                l.values = [kv("blocks") { $0.intValue = 12 }, kv("ok") { $0.boolValue = false }]
                $0.kvlistValue = l
            },
            kv("empty") { _ in },
            kv(SpanAttributeKey.serviceInstance) { $0.stringValue = "span wins" }
        ]
        var event = PBSpan.Event()
        event.name = "first_token"
        event.timeUnixNano = 5
        event.attributes = [kv("x") { $0.intValue = 1 }]
        span.events = [event]
        var link = PBSpan.Link()
        link.traceID = Data(Array(repeating: 9, count: 16))
        link.spanID = Data(Array(repeating: 9, count: 8))
        span.links = [link]
        span.droppedEventsCount = 3
        let request = pbRequest(
            [span],
            resource: [
                kv(SpanAttributeKey.hostName) { $0.stringValue = "node-07" },
                kv(SpanAttributeKey.serviceName) { $0.stringValue = "vllm" },
                kv(SpanAttributeKey.serviceInstance) { $0.stringValue = "resource" },
                kv("infertop.gpus") { $0.stringValue = "0-7" }
            ])

        let result = try OTLPProtobufDecoder.decode(try request.serializedBytes() as [UInt8])
        #expect(result.rejectedSpans == 0)
        #expect(result.rejectionMessage == nil)
        let decoded = try #require(result.spans.first)
        #expect(result.spans.count == 1)
        #expect(decoded.traceID.hex == "0102030405060708090a0b0c0d0e0f10")
        #expect(decoded.spanID.hex == "eee19b7ec3c1b174")
        #expect(decoded.parentSpanID?.hex == "eee19b7ec3c1b173")
        #expect(decoded.name == "llm_request")
        #expect(decoded.kind == .server)
        #expect(decoded.startNanos == 1_544_712_660_000_000_000)
        #expect(decoded.endNanos == 1_544_712_661_000_000_000)
        #expect(decoded.status == SpanStatus(code: .error, message: "boom"))
        #expect(decoded.node == NodeID("node-07"))
        #expect(decoded.service == "vllm")
        #expect(
            decoded.attributes == [
                "s": .string("text"), "b": .bool(true), "i": .int(-42), "d": .double(0.25),
                "bytes": .string("deadbeef"), "array": .string("[stop, 3]"), "kv": .string("{blocks=12, ok=false}"),
                "empty": .string(""), SpanAttributeKey.serviceInstance: .string("span wins"),
                "infertop.gpus": .string("0-7")
            ])
    }

    @Test func encoderRoundTripIsLossless() throws {
        let spans = SampleSpans.make(count: 200, nodes: 3)
        let bytes = OTLPEncoder.protobuf(spans)
        let result = try OTLPProtobufDecoder.decode(bytes)
        #expect(result.rejectedSpans == 0)
        // The encoder groups by (node, service); compare as sets keyed by span id.
        #expect(result.spans.count == spans.count)
        let byID = Dictionary(uniqueKeysWithValues: result.spans.map { ($0.spanID, $0) })
        for span in spans { #expect(byID[span.spanID] == span) }
        // And SwiftProtobuf reads the encoder's bytes as the same request.
        let parsed = try PBRequest(serializedBytes: bytes)
        #expect(parsed.resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) }.count == spans.count)
        #expect(try OTLPProtobufDecoder.decode(Data(bytes)) == result)
    }

    @Test func emptyBodyIsAnEmptyRequest() throws {
        let result = try OTLPProtobufDecoder.decode([UInt8]())
        #expect(result == OTLPDecodeResult())
    }

    @Test func invalidSpansAreRejectedAndTheRestKept() throws {
        let good = pbSpan(span: [0, 0, 0, 0, 0, 0, 0, 1])
        let request = pbRequest([
            good,
            pbSpan(trace: Array(repeating: 1, count: 15)),  // short trace id
            pbSpan(trace: Array(repeating: 0, count: 16)),  // zero trace id
            pbSpan(span: [1, 2, 3]),  // short span id
            pbSpan(span: Array(repeating: 0, count: 8)),  // zero span id
            pbSpan(parent: [1, 2, 3, 4]),  // bad parent
            pbSpan(start: 20, end: 10),  // ends before it starts
            pbSpan(span: [0, 0, 0, 0, 0, 0, 0, 2], parent: Array(repeating: 0, count: 8))  // zero parent: a root
        ])
        let result = try OTLPProtobufDecoder.decode(try request.serializedBytes() as [UInt8])
        #expect(result.spans.map(\.spanID.value) == [1, 2])
        #expect(result.spans.allSatisfy { $0.parentSpanID == nil })
        #expect(result.rejectedSpans == 6)
        #expect(result.rejectionMessage == "resourceSpans[0].scopeSpans[0].spans[1].traceId: expected 16 bytes, got 15")
    }

    @Test func malformedBytesFailNamingThePlace() throws {
        let bytes: [UInt8] = try pbRequest([pbSpan()]).serializedBytes()
        // Cut inside the span: every length prefix above it now runs past the end.
        #expect(throws: OTLPDecodeError.self) { try OTLPProtobufDecoder.decode(Array(bytes.dropLast(3))) }
        do {
            _ = try OTLPProtobufDecoder.decode(Array(bytes.dropLast(3)))
        } catch {
            #expect(error.message.contains("malformed protobuf"))
            #expect(error.message.contains("runs past the end"))
        }
        // Garbage: a tag with field number 0.
        #expect(throws: OTLPDecodeError.self) { try OTLPProtobufDecoder.decode([0x00, 0x01]) }
        // Span field 1 (trace_id) sent as a varint: a wire-type mismatch is an unknown field (as
        // protobuf parsers treat it), so the span has no trace id and is rejected.
        let inner: [UInt8] = [0x08, 0x01]
        let scope: [UInt8] = [0x12, UInt8(inner.count)] + inner
        let resource: [UInt8] = [0x12, UInt8(scope.count)] + scope
        let request: [UInt8] = [0x0A, UInt8(resource.count)] + resource
        let mismatch = try OTLPProtobufDecoder.decode(request)
        #expect(mismatch.rejectedSpans == 1)
        #expect(
            mismatch.rejectionMessage == "resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 16 bytes, got 0")
        #expect(try PBRequest(serializedBytes: request).resourceSpans[0].scopeSpans[0].spans[0].traceID.isEmpty)
        // Truncated varint.
        #expect(throws: OTLPDecodeError.self) { try OTLPProtobufDecoder.decode([0x0A, 0xFF]) }
    }

    @Test func unknownFieldsAndGroupsAreSkipped() throws {
        // Unknown varint (field 99), fixed32 (field 100), and a group (field 101) holding a varint.
        var unknown: [UInt8] = []
        unknown += [0x98, 0x06, 0x05]  // field 99, wire 0
        unknown += [0xA5, 0x06, 1, 2, 3, 4]  // field 100, wire 5
        unknown += [0xAB, 0x06, 0x08, 0x01, 0xAC, 0x06]  // field 101 group { field 1 varint } end group
        let span: [UInt8] = try pbSpan().serializedBytes() + unknown
        let scope: [UInt8] = [0x12] + varint(span.count) + span
        let resource: [UInt8] = [0x12] + varint(scope.count) + scope
        let request: [UInt8] = [0x0A] + varint(resource.count) + resource + [0x10, 0x01]  // and field 2 at the top
        let result = try OTLPProtobufDecoder.decode(request)
        #expect(result.spans.count == 1)
        #expect(result.rejectedSpans == 0)
        // SwiftProtobuf reads the same bytes as a request with one span.
        #expect(try PBRequest(serializedBytes: request).resourceSpans[0].scopeSpans[0].spans.count == 1)
        // A group closed with the wrong number is damage.
        let badGroup: [UInt8] = [0xAB, 0x06, 0xB4, 0x06]
        #expect(throws: OTLPDecodeError.self) { try OTLPProtobufDecoder.decode(badGroup) }
    }

    @Test func resourceAfterItsSpansStillApplies() throws {
        // ResourceSpans with scope_spans (2) before resource (1) on the wire.
        let spanBytes: [UInt8] = try pbSpan().serializedBytes()
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = [try PBSpan(serializedBytes: spanBytes)]
        var resource = Opentelemetry_Proto_Resource_V1_Resource()
        resource.attributes = [kv(SpanAttributeKey.hostName) { $0.stringValue = "node-3" }]
        let scopeBytes: [UInt8] = try scope.serializedBytes()
        let resourceBytes: [UInt8] = try resource.serializedBytes()
        var rs: [UInt8] = [0x12] + varint(scopeBytes.count) + scopeBytes
        rs += [0x0A] + varint(resourceBytes.count) + resourceBytes
        let request: [UInt8] = [0x0A] + varint(rs.count) + rs
        let result = try OTLPProtobufDecoder.decode(request)
        #expect(result.spans.first?.node == NodeID("node-3"))
    }

    @Test func boundsKeepSpansSmall() throws {
        var span = pbSpan(name: String(repeating: "n", count: 1000))
        span.attributes = (0..<100).map { i in kv("k\(i)") { $0.stringValue = String(repeating: "é", count: 400) } }
        let request = pbRequest([span], resource: (0..<10).map { i in kv("r\(i)") { $0.intValue = Int64(i) } })
        let decoded = try #require(try OTLPProtobufDecoder.decode(try request.serializedBytes() as [UInt8]).spans.first)
        #expect(decoded.name.utf8.count == OTLPLimits.maxNameBytes)
        #expect(decoded.attributes.count == OTLPLimits.maxAttributes)
        // Span attributes come first; resource ones only fill room that is left.
        #expect(decoded.attributes["k0"] != nil)
        #expect(decoded.attributes["r0"] == nil)
        let value = try #require(decoded.attributes["k0"]?.text)
        #expect(value.utf8.count == 512)  // 256 two-byte characters, cut on a character boundary
        #expect(value == String(repeating: "é", count: 256))
        // A cut inside a character backs off to the character's start.
        #expect(BoundedText.truncate("aé", limit: 2) == "a")
    }

    @Test func invalidUTF8IsRepairedNotRefused() throws {
        var span = pbSpan()
        span.unknownFields = UnknownStorage()
        var bytes: [UInt8] = try pbRequest([span]).serializedBytes()
        // Replace the name "s" with 0xFF (not UTF-8).
        let index = try #require(bytes.lastIndex(of: UInt8(ascii: "s")))
        bytes[index] = 0xFF
        let result = try OTLPProtobufDecoder.decode(bytes)
        #expect(result.spans.first?.name == "\u{FFFD}")
    }
}

func varint(_ n: Int) -> [UInt8] {
    var v = UInt64(n)
    var out: [UInt8] = []
    while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
    return out
}

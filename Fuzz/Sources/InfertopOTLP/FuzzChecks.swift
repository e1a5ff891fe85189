import Foundation
import InfertopCore
import SwiftProtobuf

/// What the fuzzers check for every input, beyond "no crash, no out-of-bounds read" (AddressSanitizer):
///
/// - protobuf: whatever SwiftProtobuf parses as an ExportTraceServiceRequest, the hand-written
///   decoder must accept too (it may accept more: it repairs invalid UTF-8), and it must account
///   for every span (kept + rejected = spans in the request);
/// - both: decoded spans respect the bounds, and encode → decode gives the same spans back,
///   through the protobuf and the JSON encoder; the JSON encoder's output is JSON to Foundation.
public enum FuzzChecks {
    public static func protobuf(_ bytes: UnsafeRawBufferPointer) {
        let mine: OTLPDecodeResult?
        do {
            mine = try OTLPProtobufDecoder.decode(bytes)
        } catch {
            mine = nil
            if let reference = try? Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(
                serializedBytes: Array(bytes))
            {
                fatalError("refused bytes SwiftProtobuf reads (\(spanCount(reference)) spans): \(error)")
            }
        }
        guard let mine else { return }
        if let reference = try? Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(
            serializedBytes: Array(bytes))
        {
            let total = spanCount(reference)
            guard total == mine.spans.count + mine.rejectedSpans else {
                fatalError(
                    "SwiftProtobuf sees \(total) spans, the decoder \(mine.spans.count) + \(mine.rejectedSpans) rejected"
                )
            }
        }
        check(mine)
    }

    public static func json(_ bytes: UnsafeRawBufferPointer) {
        guard let mine = try? OTLPJSONDecoder.decode(bytes) else { return }
        check(mine)
    }

    static func spanCount(_ request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest) -> Int {
        request.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
    }

    static func check(_ result: OTLPDecodeResult) {
        guard result.rejectedSpans >= 0, (result.rejectedSpans == 0) == (result.rejectionMessage == nil) else {
            fatalError("rejections \(result.rejectedSpans) with message \(String(describing: result.rejectionMessage))")
        }
        for span in result.spans { checkBounds(span) }
        let viaProtobuf: OTLPDecodeResult
        let viaJSON: OTLPDecodeResult
        let json = OTLPEncoder.json(result.spans)
        do {
            viaProtobuf = try OTLPProtobufDecoder.decode(OTLPEncoder.protobuf(result.spans))
            viaJSON = try OTLPJSONDecoder.decode(json)
        } catch {
            fatalError("encoded spans do not decode: \(error)")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(json))) != nil else {
            fatalError("the JSON encoder wrote something that is not JSON: \(String(decoding: json, as: UTF8.self))")
        }
        for (name, again) in [("protobuf", viaProtobuf), ("JSON", viaJSON)] {
            guard again.rejectedSpans == 0, sameSpans(grouped(again.spans), grouped(result.spans)) else {
                fatalError("\(name) round trip changed the spans:\n\(result.spans)\n->\n\(again.spans)")
            }
        }
    }

    static func checkBounds(_ span: Span) {
        guard span.attributes.count <= OTLPLimits.maxAttributes, span.name.utf8.count <= OTLPLimits.maxNameBytes,
            span.status.message.utf8.count <= OTLPLimits.maxValueBytes,
            span.service.utf8.count <= OTLPLimits.maxValueBytes,
            (span.node?.name.utf8.count ?? 0) <= OTLPLimits.maxValueBytes,
            span.attributes.allSatisfy({ key, value in
                !key.isEmpty && key.utf8.count <= OTLPLimits.maxValueBytes
                    && (value.text?.utf8.count ?? 0) <= OTLPLimits.maxValueBytes
            }),
            span.endNanos >= span.startNanos, span.spanID.value != 0, span.parentSpanID?.value != 0,
            span.traceID.high != 0 || span.traceID.low != 0
        else {
            fatalError("span out of bounds: \(span)")
        }
    }

    /// The encoder groups spans by (node, service), keeping their order within a group.
    static func grouped(_ spans: [Span]) -> [Span] {
        spans.enumerated().sorted { a, b in
            let ka = (a.element.node?.name ?? "", a.element.node == nil ? 1 : 0, a.element.service)
            let kb = (b.element.node?.name ?? "", b.element.node == nil ? 1 : 0, b.element.service)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    static func sameSpans(_ a: [Span], _ b: [Span]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy(same)
    }

    /// Span equality where NaN equals NaN.
    static func same(_ a: Span, _ b: Span) -> Bool {
        var a2 = a
        var b2 = b
        a2.attributes = [:]
        b2.attributes = [:]
        guard a2 == b2, a.attributes.count == b.attributes.count else { return false }
        return a.attributes.allSatisfy { key, value in
            guard let other = b.attributes[key] else { return false }
            if case .double(let x) = value, case .double(let y) = other {
                return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
            }
            return value == other
        }
    }
}

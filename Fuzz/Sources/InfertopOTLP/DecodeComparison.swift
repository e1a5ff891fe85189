import Foundation
import InfertopCore
import SwiftProtobuf

/// Issue 14, point 1: the hand-written OTLP decoders against what the libraries give, on the
/// same requests (16 requests of 512 vLLM-like spans, a dozen attributes each, encoded by our
/// `OTLPEncoder`). Each alternative is measured without the mapping to Core spans it would
/// also need, so its figure is an upper bound of its speed: SwiftProtobuf's generated types
/// parsing the binary body, and `Codable` types (the fields a mapper reads, with OTLP/JSON's
/// 64-bit integers as strings or numbers) through Foundation's `JSONDecoder`, and SwiftProtobuf's
/// own JSON parser. Run with `scripts/otlp-decode-compare.sh`.
public enum DecodeComparison {
    /// Spans a second through each decoder, best of `rounds` rounds of every request.
    public static func run(rounds: Int) -> [(String, Double)] {
        let spans = sample(count: 16 * 512)
        let batches = stride(from: 0, to: spans.count, by: 512).map { Array(spans[$0..<$0 + 512]) }
        let protobuf = batches.map { OTLPEncoder.protobuf($0) }
        let json = batches.map { OTLPEncoder.json($0) }
        let jsonData = json.map { Data($0) }
        func rate(_ body: () throws -> Int) -> Double {
            var best = 0.0
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                let decoded = (try? body()) ?? -1
                let elapsed = ContinuousClock.now - start
                precondition(decoded == spans.count, "a decoder lost spans: \(decoded)")
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                best = max(best, Double(decoded) / seconds)
            }
            return best
        }
        typealias Request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
        func parsedSpans(_ bodies: [[UInt8]], _ parse: ([UInt8]) throws -> Request) throws -> Int {
            try bodies.reduce(0) { try $0 + FuzzChecks.spanCount(parse($1)) }
        }
        return [
            (
                "protobuf, hand reader (spans mapped)",
                rate { try protobuf.reduce(0) { try $0 + OTLPProtobufDecoder.decode($1).spans.count } }
            ),
            (
                "protobuf, SwiftProtobuf + mapper",
                rate { try protobuf.reduce(0) { try $0 + GeneratedMapper.spans(Request(serializedBytes: $1)).count } }
            ),
            (
                "protobuf, SwiftProtobuf parse only",
                rate { try parsedSpans(protobuf) { try Request(serializedBytes: $0) } }
            ),
            (
                "JSON, hand decoder (spans mapped)",
                rate { try json.reduce(0) { try $0 + OTLPJSONDecoder.decode($1).spans.count } }
            ),
            ("JSON, Codable + JSONDecoder only", rate { try codableSpans(jsonData) }),
            ("JSON, SwiftProtobuf JSON parse only", rate { try parsedSpans(json) { try Request(jsonUTF8Bytes: $0) } })
        ]
    }

    /// The spans in each body as `Codable` types read them through `JSONDecoder`, without mapping.
    static func codableSpans(_ bodies: [Data]) throws -> Int {
        let decoder = JSONDecoder()
        return try bodies.reduce(0) { total, data in
            let request = try decoder.decode(CodableRequest.self, from: data)
            return total
                + (request.resourceSpans ?? []).reduce(0) {
                    $0 + ($1.scopeSpans ?? []).reduce(0) { $0 + ($1.spans ?? []).count }
                }
        }
    }

    /// Spans like a vLLM server's: a request span and its children, a dozen attributes.
    static func sample(count: Int) -> [Span] {
        (0..<count).map { i in
            let start = UInt64(1_795_000_000_000_000_000) + UInt64(i) * 1_000_000
            var attributes: SpanAttributes = [
                "gen_ai.request.model": .string("llama-3.1-70b-instruct"), "gen_ai.request.id": .string("cmpl-\(i)"),
                "gen_ai.usage.prompt_tokens": .int(Int64(300 + i % 700)),
                "gen_ai.usage.completion_tokens": .int(Int64(i % 400)),
                "gen_ai.latency.time_to_first_token": .double(0.05 + Double(i % 9) / 100),
                "gen_ai.latency.time_in_queue": .double(Double(i % 5) / 100), "gen_ai.request.max_tokens": .int(1024),
                "gen_ai.request.temperature": .double(0.7), "gen_ai.response.finish_reasons": .string("stop"),
                "server.address": .string("node-07"), "gen_ai.system": .string("vllm"),
                "http.streamed": .bool(i % 2 == 0)
            ]
            attributes["gen_ai.request.n"] = .int(1)
            return Span(
                traceID: TraceID(high: UInt64(i / 4) &* 0x9E37_79B9_7F4A_7C15, low: UInt64(i / 4) | 1),
                spanID: SpanID(UInt64(i) &+ 1), parentSpanID: i % 4 == 0 ? nil : SpanID(UInt64(i - i % 4) &+ 1),
                name: i % 4 == 0 ? "llm_request" : "llm_decode", kind: .server, startNanos: start,
                endNanos: start + 250_000_000, service: "vllm", attributes: attributes)
        }
    }
}

/// OTLP/JSON's shape as `Codable` types: the fields a mapper to Core spans reads.
struct CodableRequest: Swift.Decodable {
    let resourceSpans: [ResourceSpans]?

    struct ResourceSpans: Swift.Decodable {
        let resource: Resource?
        let scopeSpans: [ScopeSpans]?
    }
    struct Resource: Swift.Decodable { let attributes: [KeyValue]? }
    struct ScopeSpans: Swift.Decodable { let spans: [Span]? }
    struct Span: Swift.Decodable {
        let traceId: String
        let spanId: String
        let parentSpanId: String?
        let name: String
        let kind: Int?
        let startTimeUnixNano: Int64Text
        let endTimeUnixNano: Int64Text
        let attributes: [KeyValue]?
        let status: Status?
    }
    struct Status: Swift.Decodable {
        let code: Int?
        let message: String?
    }
    struct KeyValue: Swift.Decodable {
        let key: String
        let value: AnyValue?
    }
    struct AnyValue: Swift.Decodable {
        let stringValue: String?
        let boolValue: Bool?
        let intValue: Int64Text?
        let doubleValue: Double?
    }
    /// OTLP/JSON writes 64-bit integers as strings, and readers take numbers too.
    struct Int64Text: Swift.Decodable {
        let value: Int64
        init(from decoder: any Swift.Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int64.self) {
                value = n
            } else if let text = try? c.decode(String.self), let n = Int64(text) {
                value = n
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a 64-bit integer")
            }
        }
    }
}

/// The least a mapper from SwiftProtobuf's generated messages to Core spans does: ids, name,
/// kind, times, status, the service from the resource, and the scalar attributes (the hand
/// reader also renders lists and maps as text, bounds every field and repairs bad UTF-8).
enum GeneratedMapper {
    static func spans(_ request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest) -> [Span] {
        var out: [Span] = []
        for resourceSpans in request.resourceSpans {
            var service = ""
            for kv in resourceSpans.resource.attributes where kv.key == "service.name" {
                service = kv.value.stringValue
            }
            for scope in resourceSpans.scopeSpans {
                for s in scope.spans {
                    guard let trace = TraceID(bytes: s.traceID), let id = SpanID(bytes: s.spanID) else { continue }
                    var attributes = SpanAttributes()
                    for kv in s.attributes {
                        switch kv.value.value {
                        case .stringValue(let v): attributes[kv.key] = .string(v)
                        case .boolValue(let v): attributes[kv.key] = .bool(v)
                        case .intValue(let v): attributes[kv.key] = .int(v)
                        case .doubleValue(let v): attributes[kv.key] = .double(v)
                        default: continue
                        }
                    }
                    out.append(
                        Span(
                            traceID: trace, spanID: id, parentSpanID: SpanID(bytes: s.parentSpanID), name: s.name,
                            kind: SpanKind(rawValue: s.kind.rawValue) ?? .unspecified, startNanos: s.startTimeUnixNano,
                            endNanos: s.endTimeUnixNano,
                            status: SpanStatus(
                                code: SpanStatus.Code(rawValue: s.status.code.rawValue) ?? .unset,
                                message: s.status.message),
                            service: service, attributes: attributes))
                }
            }
        }
        return out
    }
}

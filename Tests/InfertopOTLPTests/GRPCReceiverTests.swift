import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import InfertopCore
import SwiftProtobuf
import Testing

@testable import InfertopOTLP

/// Sends bytes as they are: garbage must reach the server untouched.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// An OTLP exporter's side of `TraceService/Export`, over grpc-swift's plain unary call.
struct TraceExporter {
    let client: GRPCClient<HTTP2ClientTransport.Posix>

    func export(_ request: PBRequest, options: CallOptions = .defaults) async throws -> PBResponse {
        try await client.unary(
            request: ClientRequest(message: request), descriptor: OTLPTraceService.export,
            serializer: ProtobufSerializer<PBRequest>(), deserializer: ProtobufDeserializer<PBResponse>(),
            options: options
        ) { try $0.message }
    }
}

func withTraceClient<R: Sendable>(
    port: Int, compression: CompressionAlgorithm = .none,
    _ body: (TraceExporter, GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R
) async throws -> R {
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
        config: .defaults {
            $0.compression.enabledAlgorithms = .all
            $0.compression.algorithm = compression
        })
    return try await withGRPCClient(transport: transport) { client in
        try await body(TraceExporter(client: client), client)
    }
}

@Suite struct GRPCReceiverTests {
    @Test func exportIsOKWithPartialSuccessUnset() async throws {
        try await withReceiver(http: false) { receiver, sink, port in
            let spans = SampleSpans.make(count: 40)
            let request = try PBRequest(serializedBytes: OTLPEncoder.protobuf(spans))
            let response = try await withTraceClient(port: port) { trace, _ in try await trace.export(request) }
            #expect(!response.hasPartialSuccess)
            #expect(Set(sink.spans.map(\.spanID)) == Set(spans.map(\.spanID)))
            #expect(receiver.stats.requestsOK == 1)
            #expect(receiver.stats.spansAccepted == 40)
        }
    }

    @Test func gzipCompressedRequestsAreAccepted() async throws {
        try await withReceiver(http: false) { receiver, sink, port in
            let request = try PBRequest(serializedBytes: OTLPEncoder.protobuf(SampleSpans.make(count: 5)))
            _ = try await withTraceClient(port: port, compression: .gzip) { trace, _ in
                try await trace.export(
                    request,
                    options: {
                        var o = CallOptions.defaults
                        o.compression = .gzip
                        return o
                    }())
            }
            #expect(sink.spans.count == 5)
        }
    }

    @Test func partialSuccessReportsRejectedSpans() async throws {
        try await withReceiver(http: false) { receiver, sink, port in
            let request = pbRequest([pbSpan(), pbSpan(span: [0, 0, 0, 0, 0, 0, 0, 0]), pbSpan(start: 5, end: 1)])
            let response = try await withTraceClient(port: port) { trace, _ in try await trace.export(request) }
            #expect(response.hasPartialSuccess)
            #expect(response.partialSuccess.rejectedSpans == 2)
            #expect(
                response.partialSuccess.errorMessage
                    == "resourceSpans[0].scopeSpans[0].spans[1].spanId: all zeros (invalid)")
            #expect(sink.spans.count == 1)
            #expect(receiver.stats.spansRejected == 2)
        }
    }

    @Test func garbageBytesAreInvalidArgument() async throws {
        try await withReceiver(http: false) { receiver, sink, port in
            let error = try await withTraceClient(port: port) { _, client in
                do {
                    _ = try await client.unary(
                        request: ClientRequest(message: [0x0A, 0xFF, 0xFF, 0xFF, 0x01, 0x02]),
                        descriptor: OTLPTraceService.export,
                        serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer(), options: .defaults
                    ) { try $0.message }
                    return nil as RPCError?
                } catch let error as RPCError {
                    return error
                }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("malformed protobuf") == true)
            #expect(receiver.stats.requestsBad == 1)
            #expect(sink.calls == 0)
            // The server is still there.
            let request = try PBRequest(serializedBytes: OTLPEncoder.protobuf(SampleSpans.make(count: 1)))
            _ = try await withTraceClient(port: port) { trace, _ in try await trace.export(request) }
            #expect(sink.spans.count == 1)
        }
    }

    @Test func overloadedIsUnavailableWithRetryInfo() async throws {
        try await withReceiver(sink: RecordingSink(admission: .overloaded(retryAfterSeconds: 3)), http: false) {
            receiver, sink, port in
            let request = try PBRequest(serializedBytes: OTLPEncoder.protobuf(SampleSpans.make(count: 2)))
            let error = try await withTraceClient(port: port) { trace, _ in
                do {
                    _ = try await trace.export(request)
                    return nil as RPCError?
                } catch let error as RPCError {
                    return error
                }
            }
            #expect(error?.code == .unavailable)
            #expect(error?.message == "span storage is busy: retry in 3 s")
            // What an exporter reads to back off: RetryInfo in grpc-status-details-bin.
            let status = try error?.unpackGoogleRPCStatus()
            #expect(status?.code == .unavailable)
            #expect(status?.details.first?.retryInfo?.delay == .seconds(3))
            #expect(receiver.stats.requestsOverloaded == 1)
        }
    }
}

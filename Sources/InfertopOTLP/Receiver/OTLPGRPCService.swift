import GRPCCore
import GRPCProtobuf
import InfertopCore
import SwiftProtobuf

/// `opentelemetry.proto.collector.trace.v1.TraceService/Export`, registered by hand so that the
/// request bytes go straight into `OTLPProtobufDecoder` (no intermediate messages) and malformed
/// ones come back as INVALID_ARGUMENT, whatever grpc-swift would make of a deserializer failure.
/// Being the one method registered by hand, it needs no generated service code.
struct OTLPTraceService: RegistrableRPCService {
    /// `/opentelemetry.proto.collector.trace.v1.TraceService/Export`, unary.
    static let export = MethodDescriptor(
        fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export", type: .unary)

    let sink: any OTLPSpanSink
    let counters: OTLPCounters

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: Self.export,
            deserializer: DecodingDeserializer(),
            serializer: ProtobufSerializer<Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse>(),
            handler: { request, context in
                let response = try await export(request)
                return StreamingServerResponse(single: ServerResponse(message: response))
            })
    }

    func export(_ request: StreamingServerRequest<DecodedRequest>) async throws
        -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
    {
        var decoded: OTLPDecodeResult?
        do {
            for try await message in request.messages {
                guard decoded == nil else {
                    throw RPCError(code: .invalidArgument, message: "Export takes one request message, got more")
                }
                switch message {
                case .success(let result): decoded = result
                case .failure(let error): throw RPCError(code: .invalidArgument, message: error.message)
                }
            }
        } catch let error as RPCError where error.code == .invalidArgument {
            counters.update { $0.requestsBad += 1 }
            throw error
        }
        guard let decoded else {
            counters.update { $0.requestsBad += 1 }
            throw RPCError(code: .invalidArgument, message: "Export got no request message")
        }
        switch counters.admit(decoded, to: sink) {
        case .accepted:
            return OTLPReplies.successMessage(rejected: decoded.rejectedSpans, message: decoded.rejectionMessage)
        case .overloaded(let seconds):
            throw OTLPReplies.overloaded(
                message: "span storage is busy: retry in \(seconds) s", retryAfterSeconds: seconds)
        }
    }
}

/// One Export request as decoded: spans, or why the bytes are not an ExportTraceServiceRequest.
typealias DecodedRequest = Result<OTLPDecodeResult, OTLPDecodeError>

/// Decodes the request bytes in place. Never throws: a failure is handed to the handler, which
/// answers INVALID_ARGUMENT and counts it.
struct DecodingDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> DecodedRequest {
        serializedMessageBytes.withUnsafeBytes { OTLPProtobufDecoder.decodeResult($0) }
    }
}

import Foundation
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

/// The two OTLP/HTTP body encodings.
enum OTLPBodyFormat: Equatable {
    case protobuf
    case json

    var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    /// From a Content-Type header: the media type before any parameters, case-insensitive.
    init?(contentType: String?) {
        guard let contentType else { return nil }
        let media = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { String($0).trimmingSpaces.lowercased() }
        switch media {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }
}

/// The reply bodies OTLP defines: ExportTraceServiceResponse for success and google.rpc.Status for failure.
enum OTLPReplies {
    /// ExportTraceServiceResponse: partial_success only when spans were rejected.
    static func success(rejected: Int, message: String?, format: OTLPBodyFormat) -> [UInt8] {
        switch format {
        case .protobuf:
            return (try? successMessage(rejected: rejected, message: message).serializedBytes()) ?? []
        case .json:
            guard rejected > 0 else { return Array("{}".utf8) }
            var out = JSONWriter()
            out.raw("{\"partialSuccess\":{\"rejectedSpans\":\"")
            out.text(String(rejected))
            out.raw("\",\"errorMessage\":")
            out.string(message ?? "")
            out.raw("}}")
            return out.bytes
        }
    }

    static func successMessage(rejected: Int, message: String?)
        -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse
    {
        var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
        if rejected > 0 {
            response.partialSuccess.rejectedSpans = Int64(rejected)
            response.partialSuccess.errorMessage = message ?? ""
        }
        return response
    }

    /// google.rpc.Status with a gRPC code (INVALID_ARGUMENT, UNAVAILABLE, ...) and a message.
    static func status(code: RPCError.Code, message: String, format: OTLPBodyFormat) -> [UInt8] {
        switch format {
        case .protobuf:
            return (try? GoogleRPCStatus(code: code, message: message, details: []).serializedBytes()) ?? []
        case .json:
            var out = JSONWriter()
            out.raw("{\"code\":")
            out.text(String(code.rawValue))
            out.raw(",\"message\":")
            out.string(message)
            out.raw("}")
            return out.bytes
        }
    }

    /// UNAVAILABLE with a RetryInfo detail: grpc-swift sends it as `grpc-status-details-bin`, where
    /// OTLP exporters read when to retry.
    static func overloaded(message: String, retryAfterSeconds: Int) -> GoogleRPCStatus {
        GoogleRPCStatus(
            code: .unavailable, message: message, details: .retryInfo(delay: .seconds(max(0, retryAfterSeconds))))
    }
}

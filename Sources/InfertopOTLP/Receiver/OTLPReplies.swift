import Foundation
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

    /// google.rpc.Status with a gRPC code (3 INVALID_ARGUMENT, 14 UNAVAILABLE, ...) and a message.
    static func status(code: Int32, message: String, format: OTLPBodyFormat) -> [UInt8] {
        switch format {
        case .protobuf:
            var status = Google_Rpc_Status()
            status.code = code
            status.message = message
            return (try? status.serializedBytes()) ?? []
        case .json:
            var out = JSONWriter()
            out.raw("{\"code\":")
            out.text(String(code))
            out.raw(",\"message\":")
            out.string(message)
            out.raw("}")
            return out.bytes
        }
    }

    /// google.rpc.Status{code 14, message, details [RetryInfo{retry_delay}]}: what gRPC clients read
    /// from `grpc-status-details-bin` to learn when to retry. Encoded by hand: the local status.proto
    /// leaves `details` out.
    static func unavailableStatusDetails(message: String, retryAfterSeconds: Int) -> [UInt8] {
        var duration = ProtoWriter()
        duration.varintField(1, UInt64(max(0, retryAfterSeconds)))
        var retryInfo = ProtoWriter()
        retryInfo.bytesField(1, duration.bytes)
        var any = ProtoWriter()
        any.bytesField(1, Array("type.googleapis.com/google.rpc.RetryInfo".utf8))
        any.bytesField(2, retryInfo.bytes)
        var status = ProtoWriter()
        status.varintField(1, 14)
        status.bytesField(2, Array(message.utf8))
        status.bytesField(3, any.bytes)
        return status.bytes
    }
}

/// The few protobuf writes `unavailableStatusDetails` needs.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varintField(_ field: Int, _ value: UInt64) {
        varint(UInt64(field << 3))
        varint(value)
    }

    mutating func bytesField(_ field: Int, _ value: [UInt8]) {
        varint(UInt64(field << 3 | 2))
        varint(UInt64(value.count))
        bytes += value
    }
}

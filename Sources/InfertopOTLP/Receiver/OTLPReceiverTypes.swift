import InfertopCore
import Synchronization

/// Where spans the receiver accepts go (the agent's span storage).
public protocol OTLPSpanSink: Sendable {
    /// Takes one request's valid spans; `rejected` is how many of its spans were invalid.
    /// Called on a network thread: it should return quickly.
    func accept(_ spans: [Span], rejected: Int) -> OTLPAdmission
}

/// What the sink made of a request.
public enum OTLPAdmission: Sendable, Equatable {
    case accepted
    /// Too busy now: the client is told to retry (HTTP 429 with Retry-After, gRPC UNAVAILABLE).
    case overloaded(retryAfterSeconds: Int)
}

/// Where the receiver listens.
public struct OTLPReceiverConfig: Sendable, Equatable {
    /// `host:port` for OTLP/gRPC (the spec's port is 4317); nil: off. Port 0 picks a free port.
    public var grpcAddress: String?
    /// `host:port` for OTLP/HTTP (the spec's port is 4318); nil: off. Port 0 picks a free port.
    public var httpAddress: String?
    /// The largest request body accepted, both as sent and after gzip is undone.
    public var maxBodyBytes: Int

    public static let defaultMaxBodyBytes = 4 << 20

    public init(grpcAddress: String? = nil, httpAddress: String? = nil, maxBodyBytes: Int = Self.defaultMaxBodyBytes) {
        self.grpcAddress = grpcAddress
        self.httpAddress = httpAddress
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Counts of what the receiver did, over both protocols, since it started.
public struct OTLPReceiverStats: Sendable, Equatable {
    /// Requests answered 200 / OK (partial successes included).
    public var requestsOK: UInt64 = 0
    /// Requests refused as malformed: HTTP 400, gRPC INVALID_ARGUMENT.
    public var requestsBad: UInt64 = 0
    /// HTTP requests with an unsupported type or encoding (415), path (404) or method (405).
    public var requestsUnsupported: UInt64 = 0
    /// Requests whose body was over the limit (HTTP 413).
    public var requestsTooLarge: UInt64 = 0
    /// Requests turned away because the sink was overloaded: HTTP 429, gRPC UNAVAILABLE.
    public var requestsOverloaded: UInt64 = 0
    /// Spans handed to the sink.
    public var spansAccepted: UInt64 = 0
    /// Spans refused as invalid (partial success).
    public var spansRejected: UInt64 = 0

    public init() {}
}

/// A receiver that could not start, in words that say what to do.
public struct OTLPReceiverError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The counters behind `OTLPReceiverStats`, shared by the gRPC and HTTP sides.
final class OTLPCounters: Sendable {
    private let stats = Mutex(OTLPReceiverStats())

    var snapshot: OTLPReceiverStats { stats.withLock { $0 } }

    func update(_ body: (inout OTLPReceiverStats) -> Void) {
        stats.withLock { body(&$0) }
    }

    /// Hands a decoded request to the sink and counts what it made of it; both protocols answer
    /// from the admission returned.
    func admit(_ result: OTLPDecodeResult, to sink: any OTLPSpanSink) -> OTLPAdmission {
        let admission = sink.accept(result.spans, rejected: result.rejectedSpans)
        update {
            switch admission {
            case .accepted:
                $0.requestsOK += 1
                $0.spansAccepted += UInt64(result.spans.count)
                $0.spansRejected += UInt64(result.rejectedSpans)
            case .overloaded:
                $0.requestsOverloaded += 1
            }
        }
        return admission
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}

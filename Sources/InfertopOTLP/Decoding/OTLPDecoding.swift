import InfertopCore

#if canImport(Foundation)
    import Foundation
#endif

// What the two OTLP decoders (protobuf and JSON) share: their result and error, the bounds that
// keep stored spans small, and the mapping of one OTLP span onto infertop's `Span`.
//
// This folder imports only InfertopCore (no SwiftProtobuf, no NIO) so that Fuzz/ can compile it
// with -sanitize=fuzzer on its own.

/// Why a whole OTLP request could not be read (a 400 / INVALID_ARGUMENT): not protobuf or not
/// JSON at all, or the wrong shape outside any one span. The message names what and where, such as
/// `resourceSpans[0].scopeSpans: expected an array, got a string`.
public struct OTLPDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A decoder of OTLP request bodies: it reads bytes in place, and the byte containers it is
/// called with ([UInt8], Data, a NIO buffer's bytes) are adapters over that one entry point.
public protocol OTLPBodyDecoder {
    /// Decodes bytes in place; a failure says what was wrong and where.
    static func decodeResult(_ buffer: UnsafeRawBufferPointer) -> Result<OTLPDecodeResult, OTLPDecodeError>
}

extension OTLPBodyDecoder {
    public static func decode(_ bytes: [UInt8]) throws(OTLPDecodeError) -> OTLPDecodeResult {
        let result: Result<OTLPDecodeResult, OTLPDecodeError> = bytes.withUnsafeBytes { decodeResult($0) }
        return try result.get()
    }

    #if canImport(Foundation)
        public static func decode(_ data: Data) throws(OTLPDecodeError) -> OTLPDecodeResult {
            let result: Result<OTLPDecodeResult, OTLPDecodeError> = data.withUnsafeBytes { decodeResult($0) }
            return try result.get()
        }
    #endif

    /// Decodes bytes in place (a NIO buffer's readable bytes, for instance).
    public static func decode(_ buffer: UnsafeRawBufferPointer) throws(OTLPDecodeError) -> OTLPDecodeResult {
        try decodeResult(buffer).get()
    }
}

/// The spans of one request, and how many were refused (partial success).
public struct OTLPDecodeResult: Sendable, Equatable {
    /// The spans that were valid, in request order.
    public var spans: [Span]
    /// Spans refused as invalid: bad trace or span id, end before start, wrong field types (JSON).
    public var rejectedSpans: Int
    /// The first refusal, naming the span and the field (`resourceSpans[0].scopeSpans[0].spans[3].traceId: ...`).
    public var rejectionMessage: String?

    public init(spans: [Span] = [], rejectedSpans: Int = 0, rejectionMessage: String? = nil) {
        self.spans = spans
        self.rejectedSpans = rejectedSpans
        self.rejectionMessage = rejectionMessage
    }

    /// Counts one refused span; the first refusal's message is the one kept.
    mutating func reject(_ message: String) {
        rejectedSpans += 1
        if rejectionMessage == nil { rejectionMessage = message }
    }
}

/// The bounds the decoders apply so that what a client sends cannot make storage grow without limit.
public enum OTLPLimits {
    /// Attributes kept per span (span attributes first, then resource attributes).
    public static let maxAttributes = 64
    /// UTF-8 bytes kept of a string value, attribute key, status message, service or host name.
    public static let maxValueBytes = 512
    /// UTF-8 bytes kept of a span name.
    public static let maxNameBytes = 256
    /// Levels of arrays and key-value lists rendered as text; deeper ones become `…`.
    static let maxRenderDepth = 4
    /// JSON nesting followed before a request is refused.
    static let maxNesting = 64
    /// Unknown protobuf groups nested this deep are refused (SwiftProtobuf's default depth limit).
    static let maxGroupNesting = 100
}

// MARK: - Strings

enum BoundedText {
    /// The UTF-8 bytes as a String of at most `limit` bytes, cut at a character boundary.
    /// Invalid UTF-8 is repaired (U+FFFD) rather than refused.
    @inline(__always)
    static func make(_ base: UnsafePointer<UInt8>, _ count: Int, limit: Int) -> String {
        if count == 0 { return "" }
        var n = count
        if n > limit {
            n = limit
            // Back off to the start of the scalar that the cut fell into.
            while n > 0 && base[n] & 0xC0 == 0x80 { n -= 1 }
        }
        let s = String(decoding: UnsafeBufferPointer(start: base, count: n), as: UTF8.self)
        return n < count || s.utf8.count > limit ? truncate(s, limit: limit) : s
    }

    /// `s` cut to at most `limit` UTF-8 bytes at a scalar boundary.
    static func truncate(_ s: String, limit: Int) -> String {
        if s.utf8.count <= limit { return s }
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in s.unicodeScalars {
            let size = UTF8.width(scalar)
            if used + size > limit { break }
            used += size
            out.append(scalar)
        }
        return String(out)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Bytes as lowercase hex, at most `limit` characters.
    static func hex(_ base: UnsafePointer<UInt8>?, _ count: Int, limit: Int) -> String {
        let n = min(count, limit / 2)
        guard n > 0, let base else { return "" }
        return String(unsafeUninitializedCapacity: 2 * n) { out in
            for i in 0..<n {
                out[2 * i] = hexDigits[Int(base[i] >> 4)]
                out[2 * i + 1] = hexDigits[Int(base[i] & 15)]
            }
            return 2 * n
        }
    }
}

// MARK: - Rendering arrays and key-value lists

/// Builds the short text that stands for an OTLP array (`[a, b]`) or key-value list (`{k=v, k2=w}`),
/// stopping once it is longer than the bound.
struct RenderedText {
    var text = ""
    var full: Bool { text.utf8.count > OTLPLimits.maxValueBytes }

    mutating func append(_ s: String) {
        if !full { text += s }
    }

    var value: AttributeValue { .string(BoundedText.truncate(text, limit: OTLPLimits.maxValueBytes)) }
}

// MARK: - Mapping one OTLP span onto Span

/// The resource of one ResourceSpans: its `host.name`, `service.name`, and other attributes.
struct ResourceContext {
    var node: NodeID?
    var service = ""
    /// The resource attributes other than host.name and service.name, at most `maxAttributes`.
    var attributes: [String: AttributeValue] = [:]

    /// Takes one resource attribute; host.name and service.name become the span's node and service.
    mutating func add(key: String, value: AttributeValue) {
        if key == SpanAttributeKey.hostName {
            let name = value.description
            node = name.isEmpty ? nil : NodeID(BoundedText.truncate(name, limit: OTLPLimits.maxValueBytes))
        } else if key == SpanAttributeKey.serviceName {
            service = BoundedText.truncate(value.description, limit: OTLPLimits.maxValueBytes)
        } else if attributes.count < OTLPLimits.maxAttributes || attributes[key] != nil {
            attributes[key] = value
        }
    }
}

/// Collects one span's attributes (a scratch buffer reused from span to span) and merges them
/// with the resource's, span keys winning, at most `maxAttributes` in all.
struct AttributeScratch {
    var keys: [String] = []
    var values: [AttributeValue] = []

    init() {
        keys.reserveCapacity(OTLPLimits.maxAttributes)
        values.reserveCapacity(OTLPLimits.maxAttributes)
    }

    var isEmpty: Bool { keys.isEmpty }

    mutating func reset() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Keeps the first `maxAttributes` distinct keys the span sends (a repeated key: the last value).
    /// Extra attributes past the bound are dropped here, before any dictionary work.
    mutating func add(_ key: String, _ value: AttributeValue) {
        if keys.count < 2 * OTLPLimits.maxAttributes {
            keys.append(key)
            values.append(value)
        }
    }

    func merged(with resource: [String: AttributeValue]) -> [String: AttributeValue] {
        if keys.isEmpty { return resource }
        let limit = OTLPLimits.maxAttributes
        if keys.count + resource.count <= limit {
            // Common case: everything fits; start from the resource's (copy-on-write) and let span keys win.
            var out = resource
            if resource.isEmpty { out.reserveCapacity(keys.count) }
            for i in keys.indices { out[keys[i]] = values[i] }
            return out
        }
        var out = [String: AttributeValue](minimumCapacity: limit)
        for i in keys.indices {
            if out.count < limit {
                out[keys[i]] = values[i]
            } else if out.index(forKey: keys[i]) != nil {
                out[keys[i]] = values[i]
            }
        }
        for (key, value) in resource {
            if out.count >= limit { break }
            if out.index(forKey: key) == nil { out[key] = value }
        }
        return out
    }
}

enum SpanKindMapping {
    static func kind(_ raw: Int64) -> SpanKind { SpanKind(rawValue: Int(truncatingIfNeeded: raw)) ?? .unspecified }
    static func statusCode(_ raw: Int64) -> SpanStatus.Code {
        SpanStatus.Code(rawValue: Int(truncatingIfNeeded: raw)) ?? .unset
    }
}

/// Reads ids from raw bytes the way the spec has them: 16 / 8 bytes, big-endian.
enum RawIDs {
    @inline(__always)
    static func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(p[i]) }
        return v
    }

    /// nil with the reason when not 16 bytes or all zeros.
    static func traceID(_ p: UnsafePointer<UInt8>?, _ count: Int) -> Result<TraceID, IDProblem> {
        guard count == 16, let p else { return .failure(.length(count)) }
        let high = load64(p)
        let low = load64(p + 8)
        guard high != 0 || low != 0 else { return .failure(.zero) }
        return .success(TraceID(high: high, low: low))
    }

    static func spanID(_ p: UnsafePointer<UInt8>?, _ count: Int) -> Result<SpanID, IDProblem> {
        guard count == 8, let p else { return .failure(.length(count)) }
        let v = load64(p)
        guard v != 0 else { return .failure(.zero) }
        return .success(SpanID(v))
    }

    enum IDProblem: Error {
        case length(Int)
        case zero
    }
}

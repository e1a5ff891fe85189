import InfertopCore

#if canImport(Foundation)
    import Foundation
#endif

/// Reads an OTLP/JSON `ExportTraceServiceRequest` into `Span`s, by the OTLP/JSON rules
/// (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"), which differ from
/// the proto3 JSON mapping: ids are case-insensitive hex (not base64), enums are integers.
///
/// - Keys are lowerCamelCase; the proto's snake_case names are accepted too. Unknown keys are ignored.
/// - 64-bit integers may be decimal strings or numbers; `null` stands for the default value.
/// - Not JSON at all, or the wrong shape outside a span (`resourceSpans` not an array): the whole
///   request fails with an `OTLPDecodeError` naming the place.
/// - A span whose fields are wrong (bad ids, a name that is a number, end before start) is
///   rejected alone and counted, its place and problem kept as the rejection message.
///
/// Hand-written, not `Codable`: on the same 16 requests of 512 spans (`scripts/otlp-decode-compare.sh`,
/// release, 2026-12-06, best of five on the idle 2-core machine) this decoder read 131,487
/// spans/s with the mapping to spans, where `Codable` types through `JSONDecoder` read 17,831
/// spans/s without any mapping and SwiftProtobuf's JSON parser 61,071 (issue 14 asked to
/// replace it only if the replacement stayed above 100,000 spans/s).
/// The lexing, numbers and OTLP structure are in `JSONSpanDecoder+*.swift`.
public enum OTLPJSONDecoder: OTLPBodyDecoder {
    public static func decode(_ string: String) throws(OTLPDecodeError) -> OTLPDecodeResult {
        try decode(Array(string.utf8))
    }

    public static func decodeResult(_ buffer: UnsafeRawBufferPointer) -> Result<OTLPDecodeResult, OTLPDecodeError> {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return .failure(OTLPDecodeError("invalid JSON: the body is empty"))
        }
        var decoder = JSONSpanDecoder(base: base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
        do {
            try decoder.request()
        } catch {
            return .failure(OTLPDecodeError(decoder.describe(error)))
        }
        return .success(decoder.result)
    }
}

/// What went wrong in JSON: the text is not JSON (`syntax`: the request fails), or a value has the
/// wrong type or content (`shape`: fails the request outside a span, rejects the span inside one).
/// The path is captured where the problem was found.
enum JSONProblem: Error {
    case syntax(String, path: String, offset: Int)
    case shape(String, path: String)
}

/// One step of the path to the value being read: a key (by its place in the input) or an index.
enum JSONPathStep {
    case key(start: Int, end: Int)
    case index(Int)
}

/// A key as found in the input: its bytes (between the quotes) and whether it has escapes.
struct JSONKey {
    var start: Int
    var end: Int
    var escaped: Bool
}

/// The kind of the next JSON value, from its first byte.
enum JSONValueKind {
    case object, array, string, number, bool, null

    var described: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

struct JSONSpanDecoder {
    let base: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    var path: [JSONPathStep] = []
    /// The spans kept and those refused, so far.
    var result = OTLPDecodeResult()
    var scratch = AttributeScratch()
    /// Unescaped string bytes, reused.
    var buffer: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
        path.reserveCapacity(16)
        buffer.reserveCapacity(256)
    }

    // MARK: Paths and errors

    func pathString() -> String {
        var s = ""
        for step in path {
            switch step {
            case .key(let start, let end):
                if !s.isEmpty { s += "." }
                s += String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            case .index(let i):
                s += "[\(i)]"
            }
        }
        return s
    }

    func describe(_ problem: JSONProblem) -> String {
        switch problem {
        case .syntax(let what, let path, let offset):
            return (path.isEmpty ? "" : path + ": ") + "invalid JSON at byte \(offset): \(what)"
        case .shape(let what, let path):
            return (path.isEmpty ? "" : path + ": ") + what
        }
    }

    func syntax(_ what: String) -> JSONProblem {
        .syntax(what, path: pathString(), offset: pos)
    }

    func shape(_ what: String) -> JSONProblem {
        .shape(what, path: pathString())
    }

    /// Text showing a bad value in a message: the value's own bytes, shortened.
    func excerpt(_ start: Int, _ end: Int) -> String {
        let n = min(end - start, 40)
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: n), as: UTF8.self)
        return n < end - start ? text + "…" : text
    }
}

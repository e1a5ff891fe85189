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
        return .success(OTLPDecodeResult(
            spans: decoder.spans, rejectedSpans: decoder.rejected, rejectionMessage: decoder.rejection))
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
    var spans: [Span] = []
    var rejected = 0
    var rejection: String?
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

    // MARK: Lexing

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            switch base[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    @inline(__always)
    mutating func peekKind() throws(JSONProblem) -> JSONValueKind {
        skipWhitespace()
        guard pos < count else { throw syntax("unexpected end of input, expected a value") }
        switch base[pos] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw syntax("unexpected character \(describeByte(base[pos])), expected a value")
        }
    }

    func describeByte(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16)
    }

    @inline(__always)
    mutating func consume(_ c: UInt8, _ what: StaticString) throws(JSONProblem) {
        skipWhitespace()
        guard pos < count, base[pos] == c else {
            if pos >= count { throw syntax("unexpected end of input, expected \(what)") }
            throw syntax("unexpected character \(describeByte(base[pos])), expected \(what)")
        }
        pos += 1
    }

    /// `{` then: true when a member follows, false for `{}`.
    mutating func beginObject() throws(JSONProblem) -> Bool {
        try consume(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if pos < count, base[pos] == UInt8(ascii: "}") {
            pos += 1
            return false
        }
        return true
    }

    /// After a member: true when `,` (another follows), false at `}`.
    mutating func nextMember() throws(JSONProblem) -> Bool {
        skipWhitespace()
        guard pos < count else { throw syntax("unexpected end of input, expected ',' or '}'") }
        switch base[pos] {
        case UInt8(ascii: ","):
            pos += 1
            return true
        case UInt8(ascii: "}"):
            pos += 1
            return false
        default:
            throw syntax("unexpected character \(describeByte(base[pos])), expected ',' or '}'")
        }
    }

    mutating func beginArray() throws(JSONProblem) -> Bool {
        try consume(UInt8(ascii: "["), "'['")
        skipWhitespace()
        if pos < count, base[pos] == UInt8(ascii: "]") {
            pos += 1
            return false
        }
        return true
    }

    mutating func nextElement() throws(JSONProblem) -> Bool {
        skipWhitespace()
        guard pos < count else { throw syntax("unexpected end of input, expected ',' or ']'") }
        switch base[pos] {
        case UInt8(ascii: ","):
            pos += 1
            return true
        case UInt8(ascii: "]"):
            pos += 1
            return false
        default:
            throw syntax("unexpected character \(describeByte(base[pos])), expected ',' or ']'")
        }
    }

    /// A member's key and the `:` after it; pushes the key onto the path.
    mutating func key() throws(JSONProblem) -> JSONKey {
        skipWhitespace()
        guard pos < count, base[pos] == UInt8(ascii: "\"") else {
            if pos >= count { throw syntax("unexpected end of input, expected a key") }
            throw syntax("unexpected character \(describeByte(base[pos])), expected a key in quotes")
        }
        let (start, end, escaped) = try scanString()
        try consume(UInt8(ascii: ":"), "':'")
        path.append(.key(start: start, end: end))
        return JSONKey(start: start, end: end, escaped: escaped)
    }

    /// Compares a key with a name; a key written with escapes is unescaped first.
    func keyIs(_ key: JSONKey, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        if !key.escaped {
            guard key.end - key.start == n else { return false }
            let p = name.utf8Start
            for i in 0..<n where base[key.start + i] != p[i] { return false }
            return true
        }
        var copy = self
        let bytes = copy.unescape(key.start, key.end)
        return bytes.count == n && bytes.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: n))
    }

    func keyIs(_ key: JSONKey, _ camel: StaticString, _ snake: StaticString) -> Bool {
        keyIs(key, camel) || keyIs(key, snake)
    }

    /// Scans a string starting at its opening quote; returns its content range and whether it has escapes.
    mutating func scanString() throws(JSONProblem) -> (Int, Int, Bool) {
        let open = pos
        pos += 1
        let start = pos
        var escaped = false
        while pos < count {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return (start, pos - 1, escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                guard pos + 1 < count else { break }
                let e = base[pos + 1]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    pos += 2
                case UInt8(ascii: "u"):
                    guard pos + 5 < count, (2...5).allSatisfy({ hexValue(base[pos + $0]) != nil }) else {
                        throw syntax("bad \\u escape in string")
                    }
                    pos += 6
                default:
                    throw syntax("bad escape \\\(describeByte(e)) in string")
                }
                continue
            }
            if c < 0x20 { throw syntax("control character \(describeByte(c)) in string") }
            pos += 1
        }
        pos = open
        throw syntax("unterminated string")
    }

    @inline(__always)
    func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The unescaped UTF-8 bytes of a scanned string (escapes were validated by `scanString`).
    mutating func unescape(_ start: Int, _ end: Int) -> [UInt8] {
        buffer.removeAll(keepingCapacity: true)
        var i = start
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | UInt32(hexValue(base[at + k]) ?? 0) }
            return v
        }
        while i < end {
            let c = base[i]
            guard c == UInt8(ascii: "\\") else {
                buffer.append(c)
                i += 1
                continue
            }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 5 < end + 0, base[i] == UInt8(ascii: "\\"),
                    base[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(s) { buffer.append($0) }
            default: buffer.append(e)  // " \ /
            }
        }
        return buffer
    }

    /// A string value, bounded; throws `shape` when the value is not a string (null: "").
    mutating func string(limit: Int) throws(JSONProblem) -> String {
        switch try peekKind() {
        case .string:
            let (start, end, escaped) = try scanString()
            if !escaped { return BoundedText.make(base + start, end - start, limit: limit) }
            let bytes = unescape(start, end)
            return bytes.withUnsafeBufferPointer { BoundedText.make($0.baseAddress!, $0.count, limit: limit) }
        case .null:
            try skipValue()
            return ""
        case let kind:
            throw try wrongType(kind, expected: "a string")
        }
    }

    /// Skips the value (so that parsing can go on) and returns the problem of its type.
    mutating func wrongType(_ kind: JSONValueKind, expected: String) throws(JSONProblem) -> JSONProblem {
        let problem = shape("expected \(expected), got \(kind.described)")
        try skipValue()
        return problem
    }

    /// The number token at `pos` (validated against the JSON grammar): its range.
    mutating func scanNumber() throws(JSONProblem) -> (Int, Int) {
        let start = pos
        func digits(_ d: inout Self) -> Int {
            let s = d.pos
            while d.pos < d.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d.base[d.pos]) { d.pos += 1 }
            return d.pos - s
        }
        if pos < count, base[pos] == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let n = digits(&self)
        guard n > 0 else { throw syntax("bad number") }
        if n > 1 && base[intStart] == UInt8(ascii: "0") { throw syntax("bad number: leading zero") }
        if pos < count, base[pos] == UInt8(ascii: ".") {
            pos += 1
            guard digits(&self) > 0 else { throw syntax("bad number: no digits after '.'") }
        }
        if pos < count, base[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < count, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            guard digits(&self) > 0 else { throw syntax("bad number: no digits in exponent") }
        }
        return (start, pos)
    }

    /// Reads `true`, `false` or `null` at `pos`.
    mutating func literal(_ word: StaticString) throws(JSONProblem) {
        let n = word.utf8CodeUnitCount
        guard count - pos >= n else { throw syntax("unexpected end of input") }
        for i in 0..<n where base[pos + i] != word.utf8Start[i] {
            throw syntax("unexpected character \(describeByte(base[pos])), expected a value")
        }
        pos += n
    }

    /// Skips one value of any kind, checking its syntax, nested at most `maxNesting` deep.
    mutating func skipValue(depth: Int = 0) throws(JSONProblem) {
        guard depth < OTLPLimits.maxNesting else { throw syntax("values nested deeper than \(OTLPLimits.maxNesting)") }
        switch try peekKind() {
        case .object:
            if try beginObject() {
                repeat {
                    _ = try key()
                    try skipValue(depth: depth + 1)
                    path.removeLast()
                } while try nextMember()
            }
        case .array:
            if try beginArray() {
                repeat { try skipValue(depth: depth + 1) } while try nextElement()
            }
        case .string: _ = try scanString()
        case .number: _ = try scanNumber()
        case .bool: try literal(base[pos] == UInt8(ascii: "t") ? "true" : "false")
        case .null: try literal("null")
        }
    }

    // MARK: Numbers

    /// Parses a decimal integer (optional '-') from bytes; nil when not one or out of range.
    func parseInteger(_ start: Int, _ end: Int) -> (negative: Bool, magnitude: UInt64)? {
        var i = start
        var negative = false
        if i < end, base[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end, end - i <= 20 else { return nil }
        var v: UInt64 = 0
        while i < end {
            let d = base[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return (negative, v)
    }

    /// A number written with a fraction or exponent that is still a whole number (`1e9`, `5.0`).
    func wholeDouble(_ start: Int, _ end: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        guard let d = Double(text), d.isFinite, d.rounded(.towardZero) == d else { return nil }
        return d
    }

    /// The digits of an integer value given as a number or a string; nil with a problem otherwise.
    mutating func integerToken(expected: String) throws(JSONProblem) -> (Int, Int) {
        switch try peekKind() {
        case .number:
            return try scanNumber()
        case .string:
            let (start, end, escaped) = try scanString()
            if escaped { throw shape("expected \(expected), got \"\(excerpt(start, end))\"") }
            return (start, end)
        case let kind:
            throw try wrongType(kind, expected: expected)
        }
    }

    /// An unsigned 64-bit value (`fixed64` times) as a number or a decimal string; null is 0.
    mutating func uint64() throws(JSONProblem) -> UInt64 {
        if try peekKind() == .null {
            try skipValue()
            return 0
        }
        let (start, end) = try integerToken(expected: "an unsigned 64-bit integer")
        if let (negative, v) = parseInteger(start, end), !negative || v == 0 { return v }
        if let d = wholeDouble(start, end), d >= 0, d < 18_446_744_073_709_551_616 { return UInt64(d) }
        throw shape("expected an unsigned 64-bit integer, got \(excerpt(start, end))")
    }

    /// A signed 64-bit value as a number or a decimal string; null is 0.
    mutating func int64() throws(JSONProblem) -> Int64 {
        if try peekKind() == .null {
            try skipValue()
            return 0
        }
        let (start, end) = try integerToken(expected: "a 64-bit integer")
        if let (negative, v) = parseInteger(start, end) {
            if !negative, v <= UInt64(Int64.max) { return Int64(v) }
            if negative, v <= UInt64(Int64.max) + 1 { return v == UInt64(Int64.max) + 1 ? .min : -Int64(v) }
        }
        if let d = wholeDouble(start, end), d >= -9_223_372_036_854_775_808, d < 9_223_372_036_854_775_808 {
            return Int64(d)
        }
        throw shape("expected a 64-bit integer, got \(excerpt(start, end))")
    }

    /// An enum: an integer (the OTLP/JSON rule), or, leniently, its proto name.
    mutating func enumValue(names: [String]) throws(JSONProblem) -> Int64 {
        if try peekKind() == .string {
            let save = pos
            let (start, end, _) = try scanString()
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            if let i = names.firstIndex(of: text) { return Int64(i) }
            pos = save
        }
        return try int64()
    }

    /// A double: a number, or a string ("NaN", "Infinity", "-Infinity" or a number).
    mutating func double() throws(JSONProblem) -> Double {
        switch try peekKind() {
        case .number:
            let (start, end) = try scanNumber()
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            return Double(text) ?? 0
        case .string:
            let (start, end, _) = try scanString()
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                if let d = Double(text), !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 && $0 > 0x20 }) { return d }
                throw shape("expected a number, got \"\(excerpt(start, end))\"")
            }
        case .null:
            try skipValue()
            return 0
        case let kind:
            throw try wrongType(kind, expected: "a number")
        }
    }

    mutating func bool() throws(JSONProblem) -> Bool {
        switch try peekKind() {
        case .bool:
            let isTrue = base[pos] == UInt8(ascii: "t")
            try literal(isTrue ? "true" : "false")
            return isTrue
        case .null:
            try skipValue()
            return false
        case let kind:
            throw try wrongType(kind, expected: "true or false")
        }
    }

    enum HexID {
        case id(UInt64, UInt64)
        /// `""` or null: no id.
        case none
        /// Anything else, as it was written.
        case bad(String)
    }

    /// An id written as hex (either case) of `bytes` bytes: up to 16, in two big-endian halves.
    mutating func hexID(bytes: Int) throws(JSONProblem) -> HexID {
        switch try peekKind() {
        case .string:
            let (start, end, escaped) = try scanString()
            if start == end { return .none }
            if !escaped, end - start == 2 * bytes {
                var high: UInt64 = 0
                var low: UInt64 = 0
                var ok = true
                for i in 0..<(2 * bytes) {
                    guard let v = hexValue(base[start + i]) else {
                        ok = false
                        break
                    }
                    high = high << 4 | low >> 60
                    low = low << 4 | UInt64(v)
                }
                if ok { return .id(high, low) }
            }
            return .bad("\"\(excerpt(start, end))\"")
        case .null:
            try skipValue()
            return .none
        case let kind:
            throw try wrongType(kind, expected: "\(2 * bytes) hex digits")
        }
    }

    /// Base64 (standard or URL alphabet, padding optional) as lowercase hex text, bounded.
    mutating func base64AsHex() throws(JSONProblem) -> String {
        switch try peekKind() {
        case .string:
            let (start, end, escaped) = try scanString()
            var input: [UInt8]
            if escaped { input = unescape(start, end) } else { input = Array(UnsafeBufferPointer(start: base + start, count: end - start)) }
            while let last = input.last, last == UInt8(ascii: "=") { input.removeLast() }
            var out: [UInt8] = []
            out.reserveCapacity(input.count * 3 / 4)
            var acc: UInt32 = 0
            var bits = 0
            for c in input {
                let v: UInt32
                switch c {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
                case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
                case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
                case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
                case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
                default: throw shape("expected base64, got \"\(excerpt(start, end))\"")
                }
                acc = acc << 6 | v
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                }
            }
            return out.withUnsafeBufferPointer { BoundedText.hex($0.baseAddress, $0.count, limit: OTLPLimits.maxValueBytes) }
        case .null:
            try skipValue()
            return ""
        case let kind:
            throw try wrongType(kind, expected: "base64 text")
        }
    }

    // MARK: OTLP structure

    /// ExportTraceServiceRequest: `{"resourceSpans": [...]}`.
    mutating func request() throws(JSONProblem) {
        let kind = try peekKind()
        guard kind == .object else {
            try skipValue()  // not JSON at all is a syntax error, reported as such
            throw shape("expected an ExportTraceServiceRequest object, got \(kind.described)")
        }
        if try beginObject() {
            repeat {
                let k = try key()
                if keyIs(k, "resourceSpans", "resource_spans") {
                    try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.resourceSpans() }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        skipWhitespace()
        if pos < count { throw syntax("unexpected \(describeByte(base[pos])) after the end of the request") }
    }

    /// Reads an array (null: none) calling `element` for each, with the index on the path.
    mutating func array(_ element: (inout Self, Int) throws(JSONProblem) -> Void) throws(JSONProblem) {
        let kind = try peekKind()
        if kind == .null { return try skipValue() }
        guard kind == .array else { throw try wrongType(kind, expected: "an array") }
        guard try beginArray() else { return }
        var i = 0
        repeat {
            path.append(.index(i))
            try element(&self, i)
            path.removeLast()
            i += 1
        } while try nextElement()
    }

    /// Checks the next value is an object (null: returns false).
    mutating func objectStart() throws(JSONProblem) -> Bool {
        let kind = try peekKind()
        if kind == .null {
            try skipValue()
            return false
        }
        guard kind == .object else { throw try wrongType(kind, expected: "an object") }
        return try beginObject()
    }

    /// ResourceSpans: `{"resource": {...}, "scopeSpans": [...], "schemaUrl": ""}`.
    /// The resource usually comes first; scope spans seen before it are read again once it is known.
    mutating func resourceSpans() throws(JSONProblem) {
        var context = ResourceContext()
        var sawResource = false
        var deferred: [(key: JSONKey, at: Int)] = []
        if try objectStart() {
            repeat {
                let k = try key()
                if keyIs(k, "resource") {
                    try resource(into: &context)
                    sawResource = true
                } else if keyIs(k, "scopeSpans", "scope_spans") || keyIs(k, "instrumentationLibrarySpans") {
                    if sawResource {
                        try scopeSpansArray(context)
                    } else {
                        deferred.append((k, pos))
                        try skipValue()
                    }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        guard !deferred.isEmpty else { return }
        let end = pos
        for (k, at) in deferred {
            pos = at
            path.append(.key(start: k.start, end: k.end))
            try scopeSpansArray(context)
            path.removeLast()
        }
        pos = end
    }

    mutating func scopeSpansArray(_ context: ResourceContext) throws(JSONProblem) {
        try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.scopeSpans(context) }
    }

    /// Resource: `{"attributes": [...], "droppedAttributesCount": 0}`.
    mutating func resource(into context: inout ResourceContext) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "attributes") {
                try array { (d: inout Self, i: Int) throws(JSONProblem) in
                    if let (key, value) = try d.keyValue() { context.add(key: key, value: value) }
                }
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    /// ScopeSpans: `{"scope": {...}, "spans": [...], "schemaUrl": ""}`.
    mutating func scopeSpans(_ context: ResourceContext) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "spans") {
                try array { (d: inout Self, i: Int) throws(JSONProblem) in try d.span(context) }
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    static let spanKindNames = [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
        "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
    ]
    static let statusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]

    /// One span. Syntax errors fail the request; a field of the wrong type or content rejects the span.
    mutating func span(_ context: ResourceContext) throws(JSONProblem) {
        let kind = try peekKind()
        guard kind == .object else {
            let problem = try wrongType(kind, expected: "a span object")
            return reject(problem)
        }
        var fields = RawSpanFields()
        var problem: JSONProblem?
        var traceID = HexID.none
        var spanID = HexID.none
        var parentID = HexID.none
        scratch.reset()
        if try beginObject() {
            repeat {
                let k = try key()
                let mark = pos
                let depth = path.count
                do throws(JSONProblem) {
                    if keyIs(k, "traceId", "trace_id") {
                        traceID = try hexID(bytes: 16)
                    } else if keyIs(k, "spanId", "span_id") {
                        spanID = try hexID(bytes: 8)
                    } else if keyIs(k, "parentSpanId", "parent_span_id") {
                        parentID = try hexID(bytes: 8)
                    } else if keyIs(k, "name") {
                        fields.name = try string(limit: OTLPLimits.maxNameBytes)
                    } else if keyIs(k, "kind") {
                        fields.kind = SpanKindMapping.kind(try enumValue(names: Self.spanKindNames))
                    } else if keyIs(k, "startTimeUnixNano", "start_time_unix_nano") {
                        fields.start = try uint64()
                    } else if keyIs(k, "endTimeUnixNano", "end_time_unix_nano") {
                        fields.end = try uint64()
                    } else if keyIs(k, "attributes") {
                        try array { (d: inout Self, i: Int) throws(JSONProblem) in
                            if let (key, value) = try d.keyValue() { d.scratch.add(key, value) }
                        }
                    } else if keyIs(k, "status") {
                        try status(into: &fields.status)
                    } else {
                        try skipValue()
                    }
                } catch {
                    if case .syntax = error { throw error }
                    if problem == nil { problem = error }
                    // The problem may lie deep inside the field's value: skip the value whole.
                    pos = mark
                    path.removeSubrange(depth...)
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        if let problem { return reject(problem) }
        let trace: (UInt64, UInt64)
        switch traceID {
        case .id(let high, let low) where high != 0 || low != 0: trace = (high, low)
        case .id: return reject(field: "traceId", "all zeros (invalid)")
        case .none: return reject(field: "traceId", "missing (expected 32 hex digits)")
        case .bad(let text): return reject(field: "traceId", "expected 32 hex digits, got \(text)")
        }
        let span: UInt64
        switch spanID {
        case .id(_, let low) where low != 0: span = low
        case .id: return reject(field: "spanId", "all zeros (invalid)")
        case .none: return reject(field: "spanId", "missing (expected 16 hex digits)")
        case .bad(let text): return reject(field: "spanId", "expected 16 hex digits, got \(text)")
        }
        var parent: SpanID?
        switch parentID {
        case .id(_, let low): parent = low == 0 ? nil : SpanID(low)
        case .none: parent = nil
        case .bad(let text): return reject(field: "parentSpanId", "expected 16 hex digits or \"\", got \(text)")
        }
        guard fields.end >= fields.start else {
            return reject(field: "endTimeUnixNano", "\(fields.end) is before startTimeUnixNano \(fields.start)")
        }
        spans.append(Span(
            traceID: TraceID(high: trace.0, low: trace.1), spanID: SpanID(span), parentSpanID: parent,
            name: fields.name, kind: fields.kind, startNanos: fields.start, endNanos: fields.end,
            status: fields.status, service: context.service, node: context.node,
            attributes: SpanAttributes(scratch.merged(with: context.attributes))))
    }

    mutating func reject(_ problem: JSONProblem) {
        rejected += 1
        if rejection == nil { rejection = describe(problem) }
    }

    mutating func reject(field: String, _ what: String) {
        rejected += 1
        if rejection == nil { rejection = "\(pathString()).\(field): \(what)" }
    }

    /// Status: `{"message": "", "code": 2}`.
    mutating func status(into status: inout SpanStatus) throws(JSONProblem) {
        guard try objectStart() else { return }
        repeat {
            let k = try key()
            if keyIs(k, "message") {
                status.message = try string(limit: OTLPLimits.maxValueBytes)
            } else if keyIs(k, "code") {
                status.code = SpanKindMapping.statusCode(try enumValue(names: Self.statusCodeNames))
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
    }

    /// KeyValue: `{"key": "k", "value": {...AnyValue}}`; nil for an empty key.
    mutating func keyValue() throws(JSONProblem) -> (String, AttributeValue)? {
        var name = ""
        var value = AttributeValue.string("")
        guard try objectStart() else { return nil }
        repeat {
            let k = try key()
            if keyIs(k, "key") {
                name = try string(limit: OTLPLimits.maxValueBytes)
            } else if keyIs(k, "value") {
                var text = RenderedText()
                value = try anyValue(depth: 0, rendering: &text)
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
        return name.isEmpty ? nil : (name, value)
    }

    /// AnyValue: `{"stringValue": "x"}`, `{"intValue": "3"}`, `{"arrayValue": {"values": [...]}}` ...
    /// Arrays and key-value lists come back as their rendered text.
    mutating func anyValue(depth: Int, rendering text: inout RenderedText) throws(JSONProblem) -> AttributeValue {
        var value = AttributeValue.string("")
        guard try objectStart() else { return value }
        repeat {
            let k = try key()
            if keyIs(k, "stringValue", "string_value") {
                value = .string(try string(limit: OTLPLimits.maxValueBytes))
            } else if keyIs(k, "boolValue", "bool_value") {
                value = .bool(try bool())
            } else if keyIs(k, "intValue", "int_value") {
                value = .int(try int64())
            } else if keyIs(k, "doubleValue", "double_value") {
                value = .double(try double())
            } else if keyIs(k, "bytesValue", "bytes_value") {
                value = .string(try base64AsHex())
            } else if keyIs(k, "arrayValue", "array_value") {
                value = try list(keyed: false, depth: depth)
            } else if keyIs(k, "kvlistValue", "kvlist_value") {
                value = try list(keyed: true, depth: depth)
            } else {
                try skipValue()
            }
            path.removeLast()
        } while try nextMember()
        return value
    }

    /// ArrayValue `{"values": [AnyValue...]}` as `[a, b]`; KeyValueList `{"values": [KeyValue...]}` as `{k=v}`.
    mutating func list(keyed: Bool, depth: Int) throws(JSONProblem) -> AttributeValue {
        var text = RenderedText()
        text.append(keyed ? "{" : "[")
        if depth >= OTLPLimits.maxRenderDepth {
            try skipValue()
            text.append("…")
        } else if try objectStart() {
            repeat {
                let k = try key()
                if keyIs(k, "values") {
                    try array { (d: inout Self, i: Int) throws(JSONProblem) in
                        if i > 0 { text.append(", ") }
                        if keyed {
                            try d.renderKeyValue(depth: depth + 1, into: &text)
                        } else {
                            var inner = RenderedText()
                            text.append(try d.anyValue(depth: depth + 1, rendering: &inner).description)
                        }
                    }
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        text.append(keyed ? "}" : "]")
        return text.value
    }

    mutating func renderKeyValue(depth: Int, into text: inout RenderedText) throws(JSONProblem) {
        var name = ""
        var value = AttributeValue.string("")
        if try objectStart() {
            repeat {
                let k = try key()
                if keyIs(k, "key") {
                    name = try string(limit: OTLPLimits.maxValueBytes)
                } else if keyIs(k, "value") {
                    var inner = RenderedText()
                    value = try anyValue(depth: depth, rendering: &inner)
                } else {
                    try skipValue()
                }
                path.removeLast()
            } while try nextMember()
        }
        text.append(name)
        text.append("=")
        text.append(value.description)
    }
}

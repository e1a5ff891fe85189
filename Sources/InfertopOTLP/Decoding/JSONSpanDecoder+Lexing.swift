import InfertopCore

#if canImport(Foundation)
    import Foundation
#endif

/// JSON lexing: whitespace, punctuation, keys, strings with their escapes, literals, skipping.
extension JSONSpanDecoder {
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
    mutating func beginObject() throws(JSONProblem) -> Bool { try begin(UInt8(ascii: "{"), "'{'", UInt8(ascii: "}")) }

    /// After a member: true when `,` (another follows), false at `}`.
    mutating func nextMember() throws(JSONProblem) -> Bool { try next(UInt8(ascii: "}")) }

    /// `[` then: true when an element follows, false for `[]`.
    mutating func beginArray() throws(JSONProblem) -> Bool { try begin(UInt8(ascii: "["), "'['", UInt8(ascii: "]")) }

    /// After an element: true when `,` (another follows), false at `]`.
    mutating func nextElement() throws(JSONProblem) -> Bool { try next(UInt8(ascii: "]")) }

    /// `open` then: true when something follows, false when `close` does at once.
    private mutating func begin(_ open: UInt8, _ what: StaticString, _ close: UInt8) throws(JSONProblem) -> Bool {
        try consume(open, what)
        skipWhitespace()
        if pos < count, base[pos] == close {
            pos += 1
            return false
        }
        return true
    }

    /// After a value in a container: true at `,`, false at `close`.
    private mutating func next(_ close: UInt8) throws(JSONProblem) -> Bool {
        skipWhitespace()
        guard pos < count else { throw syntax("unexpected end of input, expected \(Self.commaOr(close))") }
        switch base[pos] {
        case UInt8(ascii: ","):
            pos += 1
            return true
        case close:
            pos += 1
            return false
        default:
            throw syntax("unexpected character \(describeByte(base[pos])), expected \(Self.commaOr(close))")
        }
    }

    /// `',' or '}'`, for an error.
    private static func commaOr(_ close: UInt8) -> String { "',' or '\(Character(Unicode.Scalar(close)))'" }

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
                guard
                    let length = JSONStringEscapes.escapeLength(UnsafeBufferPointer(start: base, count: count), at: pos)
                else {
                    let e = base[pos + 1]
                    throw syntax(
                        e == UInt8(ascii: "u")
                            ? "bad \\u escape in string" : "bad escape \\\(describeByte(e)) in string")
                }
                pos += length
                continue
            }
            if c < 0x20 { throw syntax("control character \(describeByte(c)) in string") }
            pos += 1
        }
        pos = open
        throw syntax("unterminated string")
    }

    /// The unescaped UTF-8 bytes of a scanned string (escapes were validated by `scanString`).
    mutating func unescape(_ start: Int, _ end: Int) -> [UInt8] {
        buffer.removeAll(keepingCapacity: true)
        JSONStringEscapes.unescape(UnsafeBufferPointer(start: base + start, count: end - start), into: &buffer)
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
}

import InfertopCore

/// A small JSON reader for the Prometheus API's answers, over the body's bytes.
///
/// Foundation's JSONDecoder read a 1,024-GPU refresh (3.5 MB over 21 bodies) in about 400 ms on
/// this machine, twice the whole refresh budget; this reads the same in a few ms. It knows JSON's
/// grammar in full (objects, arrays, strings with escapes, numbers, literals) and lets the caller
/// walk the structure it expects, skipping any other key.
struct PrometheusJSONScanner {
    enum Failure: Error { case malformed(String) }

    private let bytes: [UInt8]
    private var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads an object, calling `field` with each key; `field` must read that key's value.
    mutating func object(_ field: (inout PrometheusJSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
            let c = try next()
            if c == UInt8(ascii: "}") { return }
            guard c == UInt8(ascii: ",") else { throw Failure.malformed("expected , or } at byte \(i - 1)") }
        }
    }

    /// Reads an array, calling `element` for each element; `element` must read it.
    mutating func array(_ element: (inout PrometheusJSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try peek() == UInt8(ascii: "]") {
            i += 1
            return
        }
        while true {
            try element(&self)
            let c = try next()
            if c == UInt8(ascii: "]") { return }
            guard c == UInt8(ascii: ",") else { throw Failure.malformed("expected , or ] at byte \(i - 1)") }
        }
    }

    /// An object of string values (a series' labels).
    mutating func stringMap() throws -> [String: String] {
        var map: [String: String] = [:]
        try object { scanner, key in map[key] = try scanner.string() }
        return map
    }

    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = i
        var escaped = false
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                defer { i += 1 }
                guard escaped else { return String(decoding: bytes[start..<i], as: UTF8.self) }
                var out: [UInt8] = []
                bytes[start..<i].withUnsafeBufferPointer { JSONStringEscapes.unescape($0, into: &out) }
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let length = bytes.withUnsafeBufferPointer({ JSONStringEscapes.escapeLength($0, at: i) }) else {
                    throw Failure.malformed("bad escape in a string at byte \(i)")
                }
                escaped = true
                i += length
            default:
                i += 1
            }
        }
        throw Failure.malformed("unterminated string")
    }

    mutating func number() throws -> Double {
        skipSpace()
        let start = i
        while i < bytes.count, Self.isNumberByte(bytes[i]) { i += 1 }
        guard i > start, let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
            throw Failure.malformed("expected a number at byte \(start)")
        }
        return value
    }

    /// Skips any value.
    mutating func skip() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try object { scanner, _ in try scanner.skip() }
        case UInt8(ascii: "["): try array { try $0.skip() }
        case UInt8(ascii: "\""): _ = try string()
        default:
            while i < bytes.count, Self.isNumberByte(bytes[i]) || (bytes[i] >= 97 && bytes[i] <= 122) { i += 1 }
        }
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 9 { i += 1 }
    }

    private mutating func peek() throws -> UInt8 {
        skipSpace()
        guard i < bytes.count else { throw Failure.malformed("unexpected end") }
        return bytes[i]
    }

    private mutating func next() throws -> UInt8 {
        let c = try peek()
        i += 1
        return c
    }

    private mutating func expect(_ c: UInt8) throws {
        let got = try next()
        guard got == c else { throw Failure.malformed("expected \(Character(Unicode.Scalar(c))) at byte \(i - 1)") }
    }
}

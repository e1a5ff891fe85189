import InfertopCore

#if canImport(Foundation)
    import Foundation
#endif

/// JSON numbers as OTLP reads them: 64-bit integers as strings or numbers, enums, hex ids.
extension JSONSpanDecoder {
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
                    guard let v = HexDigit.value(base[start + i]) else {
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
            if escaped {
                input = unescape(start, end)
            } else {
                input = Array(UnsafeBufferPointer(start: base + start, count: end - start))
            }
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
            return out.withUnsafeBufferPointer {
                BoundedText.hex($0.baseAddress, $0.count, limit: OTLPLimits.maxValueBytes)
            }
        case .null:
            try skipValue()
            return ""
        case let kind:
            throw try wrongType(kind, expected: "base64 text")
        }
    }
}

/// JSON string escapes (RFC 8259, section 7), for the two hand-written JSON readers: OTLP/JSON
/// spans and the Prometheus API's answers.
public enum JSONStringEscapes {
    /// Whether the escape starting at `bytes[at]` (a backslash) is whole and valid: one of
    /// `\" \\ \/ \b \f \n \r \t`, or `\u` and four hex digits. Its length is 2 or 6.
    @inlinable
    public static func escapeLength(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> Int? {
        guard at + 1 < bytes.count else { return nil }
        switch bytes[at + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard at + 5 < bytes.count, (2...5).allSatisfy({ HexDigit.value(bytes[at + $0]) != nil }) else {
                return nil
            }
            return 6
        default:
            return nil
        }
    }

    /// Appends the unescaped UTF-8 of a string's contents (between its quotes, every escape
    /// already checked by `escapeLength`) to `out`. A surrogate pair becomes its one scalar; a
    /// lone surrogate becomes U+FFFD.
    public static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 { v = v << 4 | UInt32(HexDigit.value(bytes[at + k]) ?? 0) }
            return v
        }
        var i = 0
        let end = bytes.count
        while i < end {
            let c = bytes[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 5 < end, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
            default: out.append(e)  // " \ /
            }
        }
    }
}

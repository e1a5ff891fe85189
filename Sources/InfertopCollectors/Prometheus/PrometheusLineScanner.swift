/// Why one line of an exposition did not parse.
struct PrometheusLineError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A cursor over the bytes of one line, with the token readers of the text format.
struct PrometheusLineScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    /// Skips spaces and tabs; true when there were any (or the line ended).
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = position
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
        return position > start || atEnd
    }

    /// Bytes up to the next blank or the end of the line.
    mutating func readWord() -> String {
        let start = position
        while let byte = peek, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") { advance() }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    mutating func readMetricName() -> String? {
        readIdentifier(allowColon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`
    mutating func readLabelName() -> String? {
        readIdentifier(allowColon: false)
    }

    private mutating func readIdentifier(allowColon: Bool) -> String? {
        let start = position
        while let byte = peek {
            let letter =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
                || (allowColon && byte == UInt8(ascii: ":"))
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || (digit && position > start) else { break }
            advance()
        }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A `"..."` label value with the escapes `\\`, `\"` and `\n`; any other escape is an error.
    mutating func readQuotedLabelValue() throws(PrometheusLineError) -> String {
        guard peek == UInt8(ascii: "\"") else { throw PrometheusLineError("label value must be quoted") }
        advance()
        var out: [UInt8] = []
        while let byte = peek {
            advance()
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { break }
                advance()
                switch escaped {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(escaped)
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                default:
                    throw PrometheusLineError("invalid escape \\\(Character(Unicode.Scalar(escaped))) in label value")
                }
            default:
                out.append(byte)
            }
        }
        throw PrometheusLineError("unterminated label value")
    }

    /// The rest of a `# HELP` line, with `\\` and `\n` unescaped (other backslashes kept as-is).
    mutating func readHelpText() -> String {
        var out: [UInt8] = []
        while let byte = peek {
            advance()
            if byte == UInt8(ascii: "\\"), let escaped = peek,
                escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: "n")
            {
                advance()
                out.append(escaped == UInt8(ascii: "n") ? UInt8(ascii: "\n") : escaped)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A W3C / OpenTelemetry trace id: 16 bytes, written as 32 lowercase hex digits.
public struct TraceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Reads 16 bytes, big-endian as on the wire; nil for any other length or all zeros (invalid per the spec).
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (i, byte) in bytes.enumerated() {
            if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        guard high != 0 || low != 0 else { return nil }
        self.init(high: high, low: low)
    }

    /// Reads 32 hex digits, either case; nil otherwise.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32, let bytes = HexDigits.bytes(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] { HexDigits.bigEndian(high) + HexDigits.bigEndian(low) }
    public var hex: String { HexDigits.string(high) + HexDigits.string(low) }
    public var description: String { hex }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        lhs.high == rhs.high ? lhs.low < rhs.low : lhs.high < rhs.high
    }
}

/// An OpenTelemetry span id: 8 bytes, written as 16 lowercase hex digits.
public struct SpanID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Reads 8 bytes, big-endian; nil for any other length or all zeros.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard value != 0 else { return nil }
        self.value = value
    }

    /// Reads 16 hex digits, either case; nil otherwise.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let bytes = HexDigits.bytes(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] { HexDigits.bigEndian(value) }
    public var hex: String { HexDigits.string(value) }
    public var description: String { hex }

    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.value < rhs.value }
}

/// Hex helpers shared by the two id types.
enum HexDigits {
    static func bytes(_ hex: some StringProtocol) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var pending: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: return nil
            }
            if let p = pending {
                out.append(p << 4 | v)
                pending = nil
            } else {
                pending = v
            }
        }
        return pending == nil ? out : nil
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    static func string(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

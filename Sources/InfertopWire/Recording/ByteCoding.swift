/// Appends the small binary pieces a recording is made of: LEB128 varints, little-endian fixed
/// integers, doubles by their bits (so a time comes back exactly), length-prefixed bytes and text.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: Int) { varint(UInt64(value)) }

    /// A signed value, zig-zag encoded so small negatives stay short.
    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func fixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func double(_ value: Double) { fixed64(value.bitPattern) }

    mutating func data(_ value: [UInt8]) {
        varint(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) { data(Array(value.utf8)) }

    mutating func optionalString(_ value: String?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        string(value)
    }

    mutating func optionalDouble(_ value: Double?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        double(value)
    }
}

/// Why bytes could not be read back: they end early or say something impossible.
struct ByteFormatError: Error, CustomStringConvertible {
    let description: String
}

/// Reads what `ByteWriter` wrote, refusing (never trapping on) short or malformed input.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw ByteFormatError(description: "ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let b = try byte()
            value |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return value }
        }
        throw ByteFormatError(description: "a number runs past 64 bits")
    }

    /// A varint that must fit a count or length of at most `limit` (checked after it is read).
    mutating func count(limit: Int = Int(Int32.max)) throws -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw ByteFormatError(description: "a length of \(v) is past \(limit)") }
        return Int(v)
    }

    mutating func signed() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    mutating func fixed32() throws -> UInt32 { try fixed(UInt32.self) }

    mutating func fixed64() throws -> UInt64 { try fixed(UInt64.self) }

    /// A little-endian fixed-width integer.
    private mutating func fixed<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw ByteFormatError(description: "ends early") }
        var v: T = 0
        for i in 0..<size { v |= T(bytes[offset + i]) << T(8 * i) }
        offset += size
        return v
    }

    mutating func double() throws -> Double { Double(bitPattern: try fixed64()) }

    mutating func skip(_ n: Int) { offset = min(bytes.count, offset + n) }

    mutating func data() throws -> [UInt8] {
        let n = try count()
        guard n <= remaining else { throw ByteFormatError(description: "ends early") }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func string() throws -> String {
        let raw = try data()
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw ByteFormatError(description: "text is not UTF-8")
        }
        return s
    }

    mutating func optionalString() throws -> String? { try flag() ? try string() : nil }

    mutating func optionalDouble() throws -> Double? { try flag() ? try double() : nil }

    private mutating func flag() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let b: throw ByteFormatError(description: "a presence flag is \(b), not 0 or 1")
        }
    }
}

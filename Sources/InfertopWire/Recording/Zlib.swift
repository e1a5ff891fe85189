import CZlib

/// zlib's one-shot deflate, inflate and CRC-32, for the chunks of a recording.
enum Zlib {
    /// `bytes` deflated (zlib format) at `level` 0-9.
    static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var bound = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &bound, src.baseAddress, uLong(src.count), level)
            }
        }
        // compressBound is enough by zlib's contract: anything else is a broken library.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        out.removeSubrange(Int(bound)...)
        return out
    }

    /// The inflated bytes, which must be exactly `expectedCount` long; nil when they are not
    /// zlib data or their length differs (a damaged chunk).
    static func decompress(_ bytes: ArraySlice<UInt8>, expectedCount: Int) -> [UInt8]? {
        guard expectedCount >= 0 else { return nil }
        var length = uLongf(expectedCount)
        var out = [UInt8](repeating: 0, count: max(expectedCount, 1))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                uncompress(dst.baseAddress, &length, src.baseAddress, uLong(src.count))
            }
        }
        guard status == Z_OK, Int(length) == expectedCount else { return nil }
        out.removeSubrange(expectedCount...)
        return out
    }

    /// CRC-32 (as in zip and PNG) of `bytes`.
    static func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}

/// One ASCII hex digit's value: what the OTLP id readers, the recording's id columns and the JSON
/// escape reader all need.
public enum HexDigit {
    /// 0 to 15 for `0-9`, `a-f` and `A-F`; nil for any other byte.
    @inlinable @inline(__always)
    public static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

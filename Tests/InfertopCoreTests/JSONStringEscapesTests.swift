import InfertopCore
import Testing

/// The JSON string escapes both hand-written JSON readers share.
@Suite struct JSONStringEscapesTests {
    private func unescaped(_ contents: String) -> String {
        var out: [UInt8] = []
        Array(contents.utf8).withUnsafeBufferPointer { JSONStringEscapes.unescape($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func length(_ text: String, at: Int = 0) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { JSONStringEscapes.escapeLength($0, at: at) }
    }

    @Test func unescapesTheShortEscapesAndLeavesOtherBytes() {
        #expect(unescaped(#"a\"b\\c\/d\be\ff\ng\rh\ti"#) == "a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti")
        #expect(unescaped("plain ü") == "plain ü")
    }

    @Test func joinsSurrogatePairsAndReplacesLoneHalves() {
        #expect(unescaped(#"\u00e9\u20AC"#) == "é€")
        #expect(unescaped(#"\ud83d\ude80!"#) == "🚀!")
        #expect(unescaped(#"\ud83d x"#) == "\u{FFFD} x")
        #expect(unescaped(#"\ude80"#) == "\u{FFFD}")
    }

    @Test func measuresValidEscapesAndRefusesTheRest() {
        #expect(length(#"\n"#) == 2)
        #expect(length(#"\u0041"#) == 6)
        #expect(length(#"x\"y"#, at: 1) == 2)
        #expect(length(#"\x"#) == nil)
        #expect(length(#"\u00G1"#) == nil)
        #expect(length(#"\u004"#) == nil)
        #expect(length(#"\"#) == nil)
    }

    @Test func hexDigitsInBothCases() {
        #expect(HexDigit.value(UInt8(ascii: "7")) == 7)
        #expect(HexDigit.value(UInt8(ascii: "b")) == 11)
        #expect(HexDigit.value(UInt8(ascii: "F")) == 15)
        #expect(HexDigit.value(UInt8(ascii: "g")) == nil)
    }
}

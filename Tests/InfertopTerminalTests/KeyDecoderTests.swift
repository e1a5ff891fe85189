import InfertopTerminal
import InfertopUI
import Testing

/// ncurses' key codes, written out so that only InfertopTerminal imports CNcursesw; they are
/// fixed in curses.h (octal, as there) and the same in every ncurses build.
private enum Code {
    static let down: Int32 = 0o402, up: Int32 = 0o403, left: Int32 = 0o404, right: Int32 = 0o405
    static let home: Int32 = 0o406, backspace: Int32 = 0o407, f1: Int32 = 0o411, delete: Int32 = 0o512
    static let pageDown: Int32 = 0o522, pageUp: Int32 = 0o523, enter: Int32 = 0o527, end: Int32 = 0o550
    static let resize: Int32 = 0o632
}

@Suite struct KeyDecoderTests {
    @Test(arguments: [
        (Int32(10), Key.enter), (13, .enter), (27, .escape), (127, .backspace), (8, .backspace),
        (9, .tab), (1, .ctrl("a")), (3, .ctrl("c")), (12, .ctrl("l")), (26, .ctrl("z")),
        (32, .char(" ")), (113, .char("q")), (58, .char(":")), (0x00E9, .char("é")), (0x2193, .char("↓"))
    ])
    func characters(code: Int32, key: Key) {
        #expect(KeyDecoder.decode(code: code, isFunctionKey: false) == key)
    }

    @Test func functionKeys() {
        let expected: [(Int32, Key)] = [
            (Code.up, .up), (Code.down, .down), (Code.left, .left),
            (Code.right, .right), (Code.enter, .enter),
            (Code.backspace, .backspace), (Code.pageUp, .pageUp),
            (Code.pageDown, .pageDown), (Code.home, .home), (Code.end, .end),
            (Code.delete, .delete)
        ]
        for (code, key) in expected {
            #expect(KeyDecoder.decode(code: code, isFunctionKey: true) == key, "\(key)")
        }
    }

    @Test(arguments: [Int32(0), 28, 31, 0x85, -1])
    func unboundCharacters_areNil(code: Int32) {
        #expect(KeyDecoder.decode(code: code, isFunctionKey: false) == nil)
    }

    @Test func f1ToF12_decode_forTheConfigFilesKeys() {
        #expect(KeyDecoder.decode(code: Code.f1, isFunctionKey: true) == .function(1))
        #expect(KeyDecoder.decode(code: Code.f1 + 11, isFunctionKey: true) == .function(12))
    }

    @Test func unboundFunctionKeys_areNil() {
        #expect(KeyDecoder.decode(code: Code.f1 + 12, isFunctionKey: true) == nil)
        #expect(KeyDecoder.decode(code: Code.resize, isFunctionKey: true) == nil)
    }

    @Test func functionKeyCodes_areNotReadAsCharacters() {
        // KEY_UP's code is also a printable scalar (U+0103); only the flag tells them apart.
        #expect(KeyDecoder.decode(code: Code.up, isFunctionKey: false) == .char("\u{103}"))
    }
}

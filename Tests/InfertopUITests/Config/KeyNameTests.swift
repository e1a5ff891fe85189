import Testing

@testable import InfertopUI

/// Key names as the config file's `[keys]` writes them.
@Suite struct KeyNameTests {
    @Test func everyKeyOfTheBuiltInKeymap_readsBackFromItsName() {
        for key in Keymap.default.bindings.flatMap(\.keys) + [.function(1), .function(12), .tab, .delete] {
            #expect(Key(name: key.name) == key, "\(key.name)")
        }
    }

    @Test(arguments: [
        ("q", Key.char("q")), ("Q", .char("Q")), ("F2", .function(2)), ("f12", .function(12)), ("^C", .ctrl("c")),
        ("ctrl-f", .ctrl("f")), ("enter", .enter), ("Return", .enter), ("ESC", .escape), ("space", .char(" ")),
        ("PgDn", .pageDown), ("up", .up), ("↓", .down), ("^", .char("^"))
    ])
    func names(name: String, key: Key) {
        #expect(Key(name: name) == key)
    }

    @Test(arguments: ["", "F0", "F13", "ctrl-1", "^CC", "enterr", "\t", "qq"])
    func badNames_areNil(name: String) {
        #expect(Key(name: name) == nil)
    }
}
